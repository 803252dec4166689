// R-31, docs/backup.md: the class journal as Chromium lays it out for print — A4 landscape with the page's 12 mm
// margins leaves 273 mm — has every cell of every sheet inside that width, so no date and no final mark falls off the
// right edge of the paper (before, a subject's one table printed to early December). The year is the full one of
// full-year-journal.ts: 28 pupils, the longest name, and cells holding two marks.
import { describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import { HAS_CHROMIUM, launchChromium } from '../web/chromium.js';
import { cls, fullYear } from './full-year-journal.js';

if (!HAS_CHROMIUM) console.warn('skipping the class journal print test: Debian chromium is not installed at /usr/bin/chromium (run `bash scripts/setup.sh chromium`)');

/** A4 landscape (297 mm) less the page's two 12 mm margins, in CSS pixels (96 per inch). */
const PRINTABLE_WIDTH_PX = ((297 - 2 * 12) * 96) / 25.4;

describe.skipIf(!HAS_CHROMIUM)('class journal printed on A4 landscape (Chromium)', () => {
  it('every date column and every final mark of the year lies within the sheet\'s printable width', async () => {
    const { y, data } = fullYear();
    const page = classJournalDocuments(y, cls, data).find((d) => d.path.endsWith('.html'))!.text;
    expect(page).toContain('@page { size: A4 landscape; margin: 12mm; }');
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: Math.floor(PRINTABLE_WIDTH_PX), height: 800 } });
      await tab.emulateMedia({ media: 'print' });
      await tab.setContent(page);
      const layout = await tab.evaluate(() => ({
        width: document.documentElement.clientWidth,
        tables: [...document.querySelectorAll('table')].map((t) => ({
          heading: t.previousElementSibling?.textContent ?? '',
          columns: t.querySelectorAll('thead th').length,
          right: Math.max(...[...t.querySelectorAll('th, td')].map((c) => c.getBoundingClientRect().right)),
        })),
      }));
      expect(layout.width).toBe(Math.floor(PRINTABLE_WIDTH_PX));
      expect(layout.tables.length).toBeGreaterThan(10);
      for (const t of layout.tables) expect(t.right, `${t.heading} (${t.columns} columns) reaches ${Math.round(t.right)} px of ${layout.width}`).toBeLessThanOrEqual(layout.width);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
