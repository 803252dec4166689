// 1 September on a running gateway: the system of record (Дневник.ру) now lists the new school year — new terms,
// classes, groups and subjects, the pupils promoted, the 11th-graders gone. Before, the first new-year roster sync
// counted every record of the old year as missing and refused all deletes (three quarters of the school), night after
// night; accepting the number tombstoned last year's terms, classes, sections, subjects and enrollments, and the old
// year's reports came out empty. Found by an audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { aDayLater, attendanceRows, deletedPupils, OF_A_YEAR, runOnSor, yearRecords } from '../support/rollover-store.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });

describe('a school-year rollover on the system of record', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
    runOnSor(store, { name: 'dn', start: () => startDnevnikEmulator({ dataset }), instance: dnevnikInstance }, kind, data);
  const oldYear = () => yearRecords(store, 2026);

  it('keeps the old year as it was; only the people who left are missing, named to the operator, and deleted once accepted', async () => {
    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const before = await oldYear();
    for (const e of OF_A_YEAR) expect(before[`${e}:active`], e).toBeGreaterThan(0);
    const rowsBefore = await attendanceRows(store);
    expect(rowsBefore).toBeGreaterThan(0);

    // 1 September: the scheduled roster sync reads the new year. The old year's records are not missing; the people who
    // left are (this small school loses 14% of its pupils, over the 10% threshold): the operator is asked, and told who.
    const first = await run(roll.next, 'roster-sync');
    const oldCount = OF_A_YEAR.reduce((n, e) => n + before[`${e}:active`], 0);
    expect(first.pastYear).toEqual({ year: 2027, records: oldCount });
    expect(formatSummary(first)).toContain(`kept as an earlier school year's (the platform now lists 2026/2027) ${oldCount}`);
    expect(first.deletesRefused).toMatch(/^\d+ of \d+ records of the scope are missing \(\d+% > 10%\): person \d+, role_assignment \d+, guardian_link \d+$/);
    expect(first.deleted).toBe(0);
    expect(formatSummary(first)).toContain(`journal-gateway sync roster --config FILE --school s1 --instance dn --accept-deletes ${first.deletesToAccept}`);

    const accepted = await run(roll.next, 'roster-sync', { acceptDeletes: first.deletesToAccept });
    expect(accepted.deletesRefused).toBeUndefined();
    expect(accepted.pastYear).toBeUndefined(); // out of the snapshot since the first night
    expect(accepted.missingOnce).toBe(first.deletesToAccept); // people go only at a second miss
    await aDayLater(store, 'dnevnik_ru', 'dn');
    const next = await run(roll.next, 'roster-sync');
    expect(next.deletesRefused).toBeUndefined();
    expect(next.deleted).toBe(first.deletesToAccept);
    expect(await deletedPupils(store)).toBe(roll.graduates.length + 2); // the 11th-graders, and the two 4th-graders replaced in 5th grade

    // The old year is untouched: its terms, classes, groups, subjects and memberships, and its reports.
    expect(await oldYear()).toEqual(before);
    expect(await attendanceRows(store)).toBe(rowsBefore);
  }, 300_000);
});
