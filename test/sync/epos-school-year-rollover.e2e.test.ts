// 1 September with ЭПОС.Школа as the system of record: the platform now lists the new academic year — new periods,
// class units, groups and subjects under new ids, while every person keeps their profile id (a promoted pupil, their
// parents and the teachers are the same profiles a year later), and the 11th-graders are gone. The Дневник.ру test
// (school-year-rollover.e2e.test.ts) checked this on one platform only, because the other emulators numbered every
// start afresh; the ЭПОС emulator now can keep people's profile ids across two starts (`previousYear`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { EposWorld, startEposEmulator } from '../../src/emulators/epos/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { eposInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { aDayLater, attendanceRows, deletedPupils, OF_A_YEAR, pupilsBySourceId, runOnSor, yearRecords } from '../support/rollover-store.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });
// The old year as ЭПОС numbered it: the new year's world keeps its people's profile ids and numbers the rest above it.
const oldWorld = new EposWorld(roll.old.records);

describe('a school-year rollover on ЭПОС as the system of record', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'ep', instance: eposInstance,
      start: () => startEposEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}) }),
    }, kind, data);
  const oldYear = () => yearRecords(store, 2026);
  const pupilsByProfile = () => pupilsBySourceId(store, 'epos');
  const profileOf = (datasetId: string) => String(oldWorld.profileOf.get(datasetId));

  it('keeps the old year as it was; promoted pupils stay the same people; only those who left are missing, and deleted once accepted', async () => {
    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const before = await oldYear();
    for (const e of OF_A_YEAR) expect(before[`${e}:active`], e).toBeGreaterThan(0);
    const rowsBefore = await attendanceRows(store);
    expect(rowsBefore).toBeGreaterThan(0);
    const pupilsBefore = await pupilsByProfile();

    // 1 September: the scheduled roster sync reads the new year. Not three quarters of the school missing: the old
    // year's records are kept as an earlier year's, and only the people who left are missing (over the 10% threshold
    // in this small school), so the operator is asked about them alone.
    const first = await run(roll.next, 'roster-sync');
    const oldCount = OF_A_YEAR.reduce((n, e) => n + before[`${e}:active`], 0);
    expect(first.pastYear).toEqual({ year: 2027, records: oldCount });
    expect(formatSummary(first)).toContain(`kept as an earlier school year's (the platform now lists 2026/2027) ${oldCount}`);
    expect(first.deletesRefused).toMatch(/^\d+ of \d+ records of the scope are missing \(\d+% > 10%\): person \d+, role_assignment \d+, guardian_link \d+$/);
    expect(first.deleted).toBe(0);
    expect(formatSummary(first)).toContain(`journal-gateway sync roster --config FILE --school s1 --instance ep --accept-deletes ${first.deletesToAccept}`);

    // A promoted pupil is the same person: same profile, same canonical record, now a grade up.
    const pupilsAfter = await pupilsByProfile();
    const promoted = [...roll.promoted.keys()];
    expect(promoted.length).toBeGreaterThan(0);
    for (const id of promoted) {
      const was = pupilsBefore.get(profileOf(id))!;
      expect(was, id).toBeDefined();
      expect(pupilsAfter.get(profileOf(id)), id).toEqual({ id: was.id, status: 'active', grade: Number(/^\d+/.exec(roll.promoted.get(id)!)![0]) });
    }

    const accepted = await run(roll.next, 'roster-sync', { acceptDeletes: first.deletesToAccept });
    expect(accepted.deletesRefused).toBeUndefined();
    expect(accepted.pastYear).toBeUndefined(); // out of the snapshot since the first night
    expect(accepted.missingOnce).toBe(first.deletesToAccept); // people go only at a second miss
    await aDayLater(store, 'epos', 'ep');
    const next = await run(roll.next, 'roster-sync');
    expect(next.deletesRefused).toBeUndefined();
    expect(next.deleted).toBe(first.deletesToAccept);
    expect(await deletedPupils(store)).toBe(roll.graduates.length + 2); // the 11th-graders, and the two 4th-graders replaced in 5th grade
    const pupilsLater = await pupilsByProfile();
    for (const id of roll.graduates) expect(pupilsLater.get(profileOf(id))?.status, id).toBe('deleted');
    for (const id of promoted) expect(pupilsLater.get(profileOf(id))?.status, id).toBe('active');

    // The old year is untouched: its periods, classes, groups, subjects and memberships, and its reports.
    expect(await oldYear()).toEqual(before);
    expect(await attendanceRows(store)).toBe(rowsBefore);
  }, 300_000);
});
