// The HTML report's other long tables are cut at 1,000 rows as the differences and the final marks to enter by hand
// are: the records the target cannot delete («NOT deletable», `plan.notDeletable`) and the lessons missing from the
// target's timetable (`plan.missingLessons`), and the unmatched pupils. A 1,000-pupil school has tens of thousands of either, and they all went
// into the one page the operator opens in a browser. The page says how many are left out and that the JSON report
// holds them all; the JSON keeps every row. Synthetic ids only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { writeMigrationReport } from '../../src/sync/migration-report.js';

/** As src/sync/migration-report-text.ts HTML_ROWS_SHOWN. */
const HTML_ROWS_SHOWN = 1000;
const dir = mkdtempSync(path.join(tmpdir(), 'long-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const undeletable = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `mark-${i}`, targetId: `dn-${i}`, date: '2025-10-01' }));
const missingLessons = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `lesson-${i}`, date: '2025-10-02' }));
const report = (deletes: number, lessons: number): MigrationReport => ({
  school: 's1', from: 'epos', to: 'dnevnik', window: { from: '2025-09-01', to: '2025-10-31' }, dryRun: true, steps: [], notMigrated: 0, ok: false,
  startedAt: '2025-11-01T00:00:00Z', finishedAt: '2025-11-01T00:01:00Z',
  plan: {
    toCreate: {}, alreadyThere: {}, unmatchedPeople: 0, lessonsMissingInTarget: lessons, conflicts: 0,
    toDelete: { mark: 0 }, notDeletable: { mark: { count: deletes, reason: 'dnevnik: no route', records: undeletable(deletes) } },
    missingLessons: missingLessons(lessons),
  },
});
const write = (name: string, r: MigrationReport) => {
  const { json, html } = writeMigrationReport(r, path.join(dir, name));
  return { page: readFileSync(html, 'utf8'), saved: JSON.parse(readFileSync(json, 'utf8')) as MigrationReport };
};
/** Rows of the «NOT deletable» table (one per gateway id cell) and of the missing-lessons table. */
const deleteRows = (page: string) => page.match(/<td><code>mark-\d+<\/code><\/td><\/tr>/g) ?? [];
const lessonRows = (page: string) => page.match(/<td><code>lesson-\d+<\/code><\/td><\/tr>/g) ?? [];

describe('migration report: the long tables of records to delete by hand and lessons missing in the target', () => {
  it(`more than ${HTML_ROWS_SHOWN} of each: the page shows the first ${HTML_ROWS_SHOWN} of each table and says how many there are; the JSON has every row`, () => {
    const deletes = HTML_ROWS_SHOWN + 4_321;
    const lessons = HTML_ROWS_SHOWN + 1_234;
    const { page, saved } = write('big', report(deletes, lessons));
    expect(deleteRows(page)).toHaveLength(HTML_ROWS_SHOWN);
    expect(page).toContain(`<code>mark-${HTML_ROWS_SHOWN - 1}</code>`);
    expect(page).not.toContain(`<code>mark-${HTML_ROWS_SHOWN}</code>`);
    expect(page).toContain(`остаются в dnevnik — ${deletes} (показаны первые ${HTML_ROWS_SHOWN} из ${deletes}; все — в JSON-отчёте)</h3>`);
    expect(lessonRows(page)).toHaveLength(HTML_ROWS_SHOWN);
    expect(page).not.toContain(`<code>lesson-${HTML_ROWS_SHOWN}</code>`);
    expect(page).toContain(`Уроки, которых нет в расписании dnevnik (показаны первые ${HTML_ROWS_SHOWN} из ${lessons}; все — в JSON-отчёте)</h3>`);
    expect(saved.plan.notDeletable!.mark.records).toHaveLength(deletes);
    expect(saved.plan.missingLessons).toHaveLength(lessons);
    expect(saved.plan.missingLessons!.at(-1)!.id).toBe(`lesson-${lessons - 1}`);
  });

  it(`${HTML_ROWS_SHOWN} or fewer: every row, and no note of rows left out`, () => {
    const { page } = write('small', report(HTML_ROWS_SHOWN, 3));
    expect(deleteRows(page)).toHaveLength(HTML_ROWS_SHOWN);
    expect(lessonRows(page)).toHaveLength(3);
    expect(page).toContain(`остаются в dnevnik — ${HTML_ROWS_SHOWN}</h3>`);
    expect(page).toContain('Уроки, которых нет в расписании dnevnik</h3>');
    expect(page).not.toContain('показаны первые');
  });

  it('the unmatched pupils list too: a school whose pupils the target does not list (АСУ РСО gives no birth dates)', () => {
    const pupils = HTML_ROWS_SHOWN + 500;
    const r = report(0, 0);
    r.plan.unmatchedPeople = pupils;
    r.plan.unmatchedPupilIds = Array.from({ length: pupils }, (_, i) => `pupil-${i}`);
    const { page, saved } = write('unmatched', r);
    expect(page.match(/<code>pupil-\d+<\/code>/g)).toHaveLength(HTML_ROWS_SHOWN);
    expect(page).toContain(`Обучающиеся без соответствия (идентификаторы шлюза) (показаны первые ${HTML_ROWS_SHOWN} из ${pupils}; все — в JSON-отчёте)</h3>`);
    expect(saved.plan.unmatchedPupilIds).toHaveLength(pupils);
  });
});
