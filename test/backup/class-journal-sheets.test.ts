// R-31, docs/backup.md: the class journal's HTML prints every lesson date and every final mark on A4 landscape. A
// subject's year of dates is cut into sheets of at most MAX_DATES_PER_SHEET columns, each repeating the pupils' names,
// and the final marks have a sheet of their own. Before, one table per subject held ~100–200 date columns and the final
// marks, and a printed page cut off everything from December on.
import { describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import { dateBlocks, MAX_DATES_PER_SHEET } from '../../src/backup/documents/date-blocks.js';
import { dayMonth } from '../../src/backup/documents/format.js';
import { finalKindRu } from '../../src/model/final-kind-labels.js';
import { cls, fullYear, leaver, math, pupilIds, russian } from './full-year-journal.js';

interface Sheet { heading: string; heads: string[]; rows: string[][] }

const unescape = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const cellsOf = (tr: string, tag: 'th' | 'td') => [...tr.matchAll(new RegExp(`<${tag}[^>]*>(.*?)</${tag}>`, 'g'))].map((m) => unescape(m[1]));

/** The sheets of the page: each an <h2> and the table under it. */
function sheets(page: string): Sheet[] {
  const body = page.slice(page.indexOf('<body>'), page.indexOf('</body>'));
  return body.split('<h2>').slice(1).map((part) => {
    expect(part.match(/<table>/g), 'one table a sheet').toHaveLength(1);
    const thead = /<thead>(.*?)<\/thead>/s.exec(part)![1];
    const tbody = /<tbody>(.*?)<\/tbody>/s.exec(part)![1];
    return { heading: unescape(part.slice(0, part.indexOf('</h2>'))), heads: cellsOf(thead, 'th'), rows: [...tbody.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => cellsOf(m[1], 'td')) };
  });
}

describe('class journal HTML on A4 landscape sheets (R-31)', () => {
  const { y, data } = fullYear();
  const page = classJournalDocuments(y, cls, data).find((d) => d.path.endsWith('.html'))!.text;
  const all = sheets(page);
  const names = pupilIds.map((p) => `${y.pupils.get(p)!.familyName} ${y.pupils.get(p)!.givenName}`);

  for (const s of [math, russian]) {
    const lessons = data.lessons.filter((l) => l.sectionId === s.id && l.lessonStatus !== 'cancelled').sort((a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber);
    const dateSheets = all.filter((x) => x.heading.startsWith(`${s.title}, `) && !x.heading.endsWith('итоговые отметки'));
    const finalSheet = all.filter((x) => x.heading === `${s.title}, итоговые отметки`);

    it(`${s.title}: no sheet has more than ${MAX_DATES_PER_SHEET} date columns, and together they hold every lesson of the year in order`, () => {
      expect(lessons.length).toBeGreaterThan(4 * MAX_DATES_PER_SHEET); // a whole year, not a sample
      expect(dateSheets.length).toBeGreaterThan(1);
      for (const x of dateSheets) {
        expect(x.heads.slice(0, 2)).toEqual(['№', 'Ученик']);
        expect(x.heads.length - 2).toBeLessThanOrEqual(MAX_DATES_PER_SHEET);
        // every sheet repeats the pupils' names
        expect(x.rows.map((r) => r[1])).toEqual([...names].sort((a, b) => a.localeCompare(b, 'ru')));
        // the heading names the sheet's first and last date
        expect(x.heading).toBe(`${s.title}, ${x.heads[2]}–${x.heads.at(-1)}`);
      }
      expect(dateSheets.flatMap((x) => x.heads.slice(2))).toEqual(lessons.map((l) => dayMonth(l.date)));
    });

    it(`${s.title}: every mark and absence is in its pupil's row under its lesson`, () => {
      const columns = dateSheets.flatMap((x) => x.heads.slice(2).map((_, i) => ({ x, i: i + 2 })));
      const cell = (lessonIndex: number, pupil: string) => {
        const { x, i } = columns[lessonIndex];
        const name = `${y.pupils.get(pupil)!.familyName} ${y.pupils.get(pupil)!.givenName}`;
        return x.rows.find((r) => r[1] === name)![i];
      };
      lessons.forEach((l, n) => {
        for (const m of data.marks.filter((k) => k.lessonId === l.id)) expect(cell(n, m.studentId).split(' ')).toContain(m.raw);
        for (const a of data.attendance.filter((k) => k.lessonId === l.id)) expect(cell(n, a.studentId).split(' ')).toContain(a.kind === 'late' ? 'оп' : 'н');
      });
    });

    it(`${s.title}: the final marks have a sheet of their own, with every final mark of the year`, () => {
      expect(finalSheet).toHaveLength(1);
      const [x] = finalSheet;
      // after the subject's date sheets
      expect(all.indexOf(x)).toBe(all.indexOf(dateSheets.at(-1)!) + 1);
      const finals = data.finalMarks.filter((f) => f.sectionId === s.id);
      for (const f of finals) {
        const col = x.heads.indexOf(`${finalKindRu(f.kind, y.sessions.get(f.periodId)!.kind)}: ${y.sessions.get(f.periodId)!.title}`);
        expect(col).toBeGreaterThan(1);
        const p = y.pupils.get(f.studentId)!;
        const row = x.rows.find((r) => r[1] === `${p.familyName} ${p.givenName}`);
        expect(row?.[col], `${f.studentId} ${f.kind} ${f.periodId}`).toBe(f.raw);
      }
      expect(finals.some((f) => f.studentId === leaver)).toBe(s === math);
    });
  }

  it('every sheet starts with an <h2>, which the page\'s print style puts on a new sheet', () => {
    expect(page).toMatch(/h2 \{[^}]*break-before: page/);
    expect(page.match(/<h2>/g)).toHaveLength(all.length);
    expect(page.match(/<table>/g)).toHaveLength(all.length);
  });
});

describe('dateBlocks', () => {
  const n = (count: number) => Array.from({ length: count }, (_, i) => i);

  it('uses the fewest sheets, as even as they can be, never more than the maximum', () => {
    expect(dateBlocks(n(101), 20).map((b) => b.length)).toEqual([17, 17, 17, 17, 17, 16]);
    expect(dateBlocks(n(40), 20).map((b) => b.length)).toEqual([20, 20]);
    expect(dateBlocks(n(41), 20).map((b) => b.length)).toEqual([14, 14, 13]);
    expect(dateBlocks(n(7), 20).map((b) => b.length)).toEqual([7]);
  });

  it('keeps every lesson, in order, and gives no blocks for no lessons', () => {
    for (const count of [1, 19, 20, 21, 99, 199]) expect(dateBlocks(n(count), 20).flat()).toEqual(n(count));
    expect(dateBlocks([])).toEqual([]);
    expect(() => dateBlocks(n(3), 0)).toThrow(/positive integer/);
  });
});
