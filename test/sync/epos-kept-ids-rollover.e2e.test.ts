// 1 September on ЭПОС.Школа as the system of record, if ЭПОС keeps a class unit's id when 5А becomes 6А and a subject's
// catalog id from one year to the next ([U]: `subject_id` may be a catalog id that outlives the year). The canonical
// classes and subjects are of one school year, but the platform id's stored link named last year's record: the first
// roster sync of September wrote the new year over it (last year's 5А became 6А of 2026/2027, its subjects moved to the
// new year) and the old year's archive lost them. Now the kept id is linked to a record of the new year and the old
// year's records stay as they were (src/sync/other-year-ids.ts; the scenario: test/support/kept-ids-rollover.ts).
// If it keeps the groups' ids too ([U] as well), its lessons, works and final marks name a group id whose link is of
// the other year: the new year's journal read before the new year's roster, and the nightly's autumn re-read of last
// year's final marks after it, are mapped by the records' own school year (src/sync/journal-year-links.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { EposWorld, startEposEmulator } from '../../src/emulators/epos/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { eposInstance } from '../support/emulator-configs.js';
import { keptIds, keptIdsRollover } from '../support/kept-ids-rollover.js';
import { buildRollover, type Rollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';

/**
 * What the ЭПОС roster read makes of a world: a class per class unit with groups, a subject per subject id, a section
 * per group but a subgroups' container (mapGroups).
 */
function platformCounts(w: EposWorld): Record<string, number> {
  const groups = [...w.groups.values()];
  return { homeroom_class: new Set(groups.map((g) => g.classUnitId)).size, subject: new Set(groups.map((g) => g.subjectId)).size, section: groups.filter((g) => g.subgroupIds.length === 0).length };
}

/**
 * The memberships the ЭПОС roster read makes of a world, by their platform ids (`group:profile`, mapper's enrollment):
 * a group's pupils and teacher, but a subgroups' container's. The world's crosswalk does not list them.
 */
function memberships(w: EposWorld): Set<string> {
  const out = new Set<string>();
  for (const g of w.groups.values()) {
    if (g.subgroupIds.length > 0) continue;
    for (const p of [...g.students, ...(g.teacher !== undefined ? [g.teacher] : [])]) out.add(`${g.id}:${p}`);
  }
  return out;
}

/** The platform ids both years list: keptIds of the crosswalks, and the memberships a kept group keeps with its people. */
function keptOf(oldWorld: EposWorld, newWorld: EposWorld): Map<string, string[]> {
  const kept = keptIds(oldWorld.crosswalk(), newWorld.crosswalk());
  const was = memberships(oldWorld);
  const members = [...memberships(newWorld)].filter((id) => was.has(id));
  if (members.length) kept.set('enrollment', members);
  return kept;
}

/** How the new year's emulator numbers and lists: class unit and subject ids kept, and what else the test asks. */
type NewYear = { keepGroupIds?: boolean; listsPreviousYear?: boolean };

/** Both years of `roll` as ЭПОС numbers them, and a job on the emulator of either year into `store`. */
function eposYears(store: () => CanonicalStore, roll: Rollover, next: NewYear) {
  const oldWorld = new EposWorld(roll.old.records);
  // The world the new year's emulator serves (the same records and options give the same ids), to know its ids.
  const newWorld = new EposWorld(roll.next.records, { previousYear: oldWorld, keepIds: true, keepGroupIds: next.keepGroupIds });
  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}, yaml: { extra?: string } = {}): Promise<RunSummary> =>
    runOnSor(store(), {
      name: 'ep', instance: eposInstance,
      start: () => startEposEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld, keepIds: true, ...next } : {}) }),
    }, kind, data, yaml);
  return { oldWorld, newWorld, run };
}

describe('a school-year rollover on ЭПОС that keeps class unit and subject ids', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('links the kept ids to the new year and leaves every record of the old year as it was', async () => {
    const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });
    const { oldWorld, newWorld, run } = eposYears(() => store, roll, {});
    await keptIdsRollover({
      store, system: 'epos', instance: 'ep', roll, run,
      platformCounts: { old: platformCounts(oldWorld), next: platformCounts(newWorld) },
      kept: keptOf(oldWorld, newWorld),
      // A window into last year is refused on ЭПОС once the new year's roster is in (past-year-window.ts).
      oldWindowAfterRoster: 'refused',
    });
  }, 300_000);
});

describe('a school-year rollover on ЭПОС that keeps group ids as well', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('holds the new year\'s journal until its roster is read, and keeps last year\'s final marks under last year\'s groups', async () => {
    // Eight weeks: the first quarter ends inside them, so last year has quarter marks for the autumn re-read.
    const roll = buildRollover({ pupils: 24, weeks: 8, newFifthGraders: 2 });
    // The new year's emulator lists last year too, as ЭПОС does in the autumn (the re-read of its final marks).
    const { oldWorld, newWorld, run } = eposYears(() => store, roll, { keepGroupIds: true, listsPreviousYear: true });
    const kept = keptOf(oldWorld, newWorld);
    // The emulator really keeps the groups' ids (and so their memberships'), or the journal would name none of them.
    expect(kept.get('section')?.length, 'kept group ids').toBeGreaterThan(0);
    await keptIdsRollover({
      store, system: 'epos', instance: 'ep', roll, run,
      platformCounts: { old: platformCounts(oldWorld), next: platformCounts(newWorld) },
      kept,
      oldWindowAfterRoster: 'refused',
      // A night in September: besides its own window, it re-reads last year's final marks (pastYearFinals: true).
      lastYearFinals: () => run(roll.next, 'journal-sync', {}, { extra: 'sync: { windowEndsOn: "2026-09-10" }' }),
    });
  }, 300_000);
});
