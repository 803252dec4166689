// The HTML report's «final marks to enter by hand» table is cut at 1,000 rows, as the differences are: a
// 1,000-pupil school put tens of thousands of rows into one page the operator opens in a browser. The page says how
// many are left out and that the JSON report holds them all; the JSON keeps every row.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FinalMarkByHand } from '../../src/sync/finals-by-hand.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { writeMigrationReport } from '../../src/sync/migration-report.js';

/** As the differences table: src/sync/migration-report-text.ts HTML_ROWS_SHOWN. */
const HTML_ROWS_SHOWN = 1000;
const dir = mkdtempSync(path.join(tmpdir(), 'finals-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const finals = (n: number): FinalMarkByHand[] => Array.from({ length: n }, (_, i) => ({
  id: `fm-${i}`, class: '5А', subject: 'Математика', period: '1 четверть', value: '5', pupilTargetId: `pupil-${i}`, pupilId: `p-${i}`,
}));
const report = (rows: FinalMarkByHand[]): MigrationReport => ({
  school: 's1', from: 'asurso', to: 'epos', window: { from: '2025-09-01', to: '2025-10-31' }, dryRun: true, steps: [], notMigrated: 0, ok: false,
  startedAt: '2025-11-01T00:00:00Z', finishedAt: '2025-11-01T00:01:00Z',
  plan: {
    toCreate: {}, alreadyThere: {}, unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0,
    notWritable: { final_mark: rows.length }, toEnterByHand: { final_mark: rows.length }, finalsByHand: rows,
  },
});
/** Rows of the final-marks table in the page (one per pupil id cell). */
const htmlRows = (html: string) => html.match(/<td><code>pupil-\d+<\/code><\/td><\/tr>/g) ?? [];

describe('migration report: final marks to enter by hand', () => {
  it(`more than ${HTML_ROWS_SHOWN}: the page shows the first ${HTML_ROWS_SHOWN} and says how many there are and where all are; the JSON has every row`, () => {
    const total = HTML_ROWS_SHOWN + 2_345;
    const { json, html } = writeMigrationReport(report(finals(total)), path.join(dir, 'big'));
    const page = readFileSync(html, 'utf8');
    expect(htmlRows(page)).toHaveLength(HTML_ROWS_SHOWN);
    expect(page).toContain(`<td><code>pupil-${HTML_ROWS_SHOWN - 1}</code></td></tr>`);
    expect(page).not.toContain(`<code>pupil-${HTML_ROWS_SHOWN}</code>`);
    expect(page).toContain(`вручную (показаны первые ${HTML_ROWS_SHOWN} из ${total}; все — в JSON-отчёте)</h3>`);
    const saved = JSON.parse(readFileSync(json, 'utf8')) as MigrationReport;
    expect(saved.plan.finalsByHand).toHaveLength(total);
    expect(saved.plan.finalsByHand!.at(-1)!.pupilTargetId).toBe(`pupil-${total - 1}`);
  });

  it(`${HTML_ROWS_SHOWN} or fewer: every row, and no note of rows left out`, () => {
    const page = readFileSync(writeMigrationReport(report(finals(HTML_ROWS_SHOWN)), path.join(dir, 'small')).html, 'utf8');
    expect(htmlRows(page)).toHaveLength(HTML_ROWS_SHOWN);
    expect(page).toContain('Итоговые отметки, которые нужно внести в epos вручную</h3>');
    expect(page).not.toContain('показаны первые');
  });
});
