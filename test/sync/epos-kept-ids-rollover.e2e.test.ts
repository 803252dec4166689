// 1 September on ЭПОС.Школа as the system of record, if ЭПОС keeps a class unit's id when 5А becomes 6А and a subject's
// catalog id from one year to the next ([U]: `subject_id` may be a catalog id that outlives the year). The canonical
// classes and subjects are of one school year, but the platform id's stored link named last year's record: the first
// roster sync of September wrote the new year over it (last year's 5А became 6А of 2026/2027, its subjects moved to the
// new year) and the old year's archive lost them. Now the kept id is linked to a record of the new year and the old
// year's records stay as they were (src/sync/other-year-ids.ts; the scenario: test/support/kept-ids-rollover.ts).
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { EposWorld, startEposEmulator } from '../../src/emulators/epos/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { eposInstance } from '../support/emulator-configs.js';
import { keptIds, keptIdsRollover } from '../support/kept-ids-rollover.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });
const oldWorld = new EposWorld(roll.old.records);
// The world the new year's emulator serves (the same records and options give the same ids), to know its ids.
const newWorld = new EposWorld(roll.next.records, { previousYear: oldWorld, keepIds: true });

/**
 * What the ЭПОС roster read makes of a world: a class per class unit with groups, a subject per subject id, a section
 * per group but a subgroups' container (mapGroups).
 */
function platformCounts(w: EposWorld): Record<string, number> {
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
    await keptIdsRollover({
      store, system: 'epos', instance: 'ep', roll, run,
      platformCounts: { old: platformCounts(oldWorld), next: platformCounts(newWorld) },
      kept: keptIds(oldWorld.crosswalk(), newWorld.crosswalk()),
      // A window into last year is refused on ЭПОС once the new year's roster is in (past-year-window.ts).
      oldWindowAfterRoster: 'refused',
    });
  }, 300_000);
});
