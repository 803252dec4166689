// 1 September on ЭПОС.Школа as the system of record, if ЭПОС keeps a class unit's id when 5А becomes 6А and a subject's
// catalog id from one year to the next ([U]: `subject_id` may be a catalog id that outlives the year). The canonical
// classes and subjects are of one school year, so the platform id's stored link named last year's record: the first
// roster sync of September wrote the new year over it (the old year's 5А became 6А of 2026/2027, its subjects moved
// to the new year) and the old year's archive lost them. Now the kept id is linked to a record of the new year and the
// old year's records stay as they were (src/sync/other-year-ids.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { EposWorld, startEposEmulator } from '../../src/emulators/epos/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { eposInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { aDayLater, attendanceRows, contentById, OF_A_YEAR, runOnSor, yearIds, yearRecords } from '../support/rollover-store.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });
const oldWorld = new EposWorld(roll.old.records);
// The world the new year's emulator serves (the same records and options give the same ids), to know its ids.
const newWorld = new EposWorld(roll.next.records, { previousYear: oldWorld, keepIds: true });
const JOURNAL = ['lesson', 'work', 'mark', 'attendance_record', 'final_mark'] as const;

/**
 * What the ЭПОС roster read makes of a world: a class per class unit with groups, a subject per subject id, a section
 * per group but a subgroups' container (mapGroups).
 */
function platformCounts(w: EposWorld): { homeroom_class: number; subject: number; section: number } {
  const groups = [...w.groups.values()];
  return { homeroom_class: new Set(groups.map((g) => g.classUnitId)).size, subject: new Set(groups.map((g) => g.subjectId)).size, section: groups.filter((g) => g.subgroupIds.length === 0).length };
}

describe('a school-year rollover on ЭПОС that keeps class unit and subject ids', () => {
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
      start: () => startEposEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld, keepIds: true } : {}) }),
    }, kind, data);

  it('links the kept ids to the new year and leaves every record of the old year as it was', async () => {
    // The emulator really keeps them: promoted classes and every subject of both years under the old ids.
    const keptClasses = [...newWorld.classUnits.keys()].filter((id) => oldWorld.classUnits.has(id));
    const keptSubjects = [...newWorld.subjects.keys()].filter((id) => oldWorld.subjects.has(id));
    expect(keptClasses.length).toBe([...newWorld.classUnits.values()].filter((u) => u.grade > 1).length);
    expect(keptSubjects.length).toBeGreaterThan(0);

    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const counts2026 = await yearRecords(store, 2026);
    for (const e of OF_A_YEAR) expect(counts2026[`${e}:active`], e).toBeGreaterThan(0);
    for (const [e, n] of Object.entries(platformCounts(oldWorld))) expect(counts2026[`${e}:active`], e).toBe(n);
    const oldIds = await yearIds(store, 2026);
    const before = await contentById(store, [...OF_A_YEAR, ...JOURNAL]);
    const rowsBefore = await attendanceRows(store);
    expect(rowsBefore).toBeGreaterThan(0);

    // 1 September: the new year under the kept ids, its roster and its journal.
    const first = await run(roll.next, 'roster-sync');
    expect(first.quarantined).toBe(0);
    // The kept class units and subjects, and nothing else, are linked anew.
    expect(first.otherYearIds).toBe(keptClasses.length + keptSubjects.length);
    expect(formatSummary(first)).toContain(`platform ids kept from an earlier school year, linked to this year's records ${first.otherYearIds}`);
    const journal = await run(roll.next, 'journal-sync', { window: roll.next.lessonWindow() });
    expect(Object.keys(journal.quarantineReasons).filter((r) => r.includes('crosswalk conflict'))).toEqual([]);

    // The new year has records of its own, as many as the platform lists.
    const counts2027 = await yearRecords(store, 2027);
    for (const [e, n] of Object.entries(platformCounts(newWorld))) expect(counts2027[`${e}:active`], e).toBe(n);
    const newIds = await yearIds(store, 2027);
    for (const id of newIds) expect(oldIds.has(id), id).toBe(false);
    // Each kept id now stands for the new year's record; its link to last year's is closed, not lost.
    for (const [entity, ids] of [['homeroom_class', keptClasses], ['subject', keptSubjects]] as const) {
      const now = await store.resolve('epos', 'ep', entity, ids.map(String));
      expect(now.size, entity).toBe(ids.length);
      for (const cid of now.values()) {
        expect(newIds.has(cid), entity).toBe(true);
        const rows = await store.crosswalkFor(cid);
        expect(rows.filter((r) => r.validTo === null).length, entity).toBe(1);
      }
    }
    // The new year's groups name the new year's class and subject, not last year's.
    for await (const s of store.iterate('section')) {
      if (!newIds.has(s.id) || s.entity !== 'section') continue;
      expect(newIds.has(s.homeroomClassId), s.id).toBe(true);
      expect(newIds.has(s.subjectId), s.id).toBe(true);
    }

    // The operator accepts the leavers; a day later they go. Nothing of the old year goes with them.
    const accepted = await run(roll.next, 'roster-sync', { acceptDeletes: first.deletesToAccept });
    expect(accepted.deletesRefused).toBeUndefined();
    expect(accepted.otherYearIds).toBeUndefined(); // linked once
    await aDayLater(store, 'epos', 'ep');
    const next = await run(roll.next, 'roster-sync');
    expect(next.deletesRefused).toBeUndefined();
    expect(next.deleted).toBe(first.deletesToAccept);

    // The old year, record by record: same ids, content and status; found by its canonical ids; its report the same.
    const after = await contentById(store, [...OF_A_YEAR, ...JOURNAL]);
    for (const [id, was] of before) expect(after.get(id), id).toBe(was);
    expect(await yearIds(store, 2026)).toEqual(oldIds);
    expect(await yearRecords(store, 2026)).toEqual(counts2026);
    expect(await attendanceRows(store)).toBe(rowsBefore);
  }, 300_000);
});
