// 1 September on Дневник.ру as the system of record, if it keeps a class's edu-group id when 5А becomes 6А and a
// subject's id from one year to the next (no evidence yet that it does: docs/sync.md "Deletes"). Its emulator derives
// platform ids from canonical ids, so the rollover dataset keeping the promoted classes' and the subjects' canonical ids
// (`sameClassIds`, `sameSubjectIds`) makes it list them under last year's ids — and with them the journal pages of a
// kept class and subject (`group:subject`) and their memberships, whose ids are made of those. The old year's records
// must stay as they were (src/sync/other-year-ids.ts; the scenario: test/support/kept-ids-rollover.ts).
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { DnevnikWorld, startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { keptIds, keptIdsRollover } from '../support/kept-ids-rollover.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2, sameClassIds: true, sameSubjectIds: true });
// The worlds the emulator serves for each year (derived from the records alone), to know their ids.
const oldWorld = new DnevnikWorld(roll.old.records);
const newWorld = new DnevnikWorld(roll.next.records);

/** What the Дневник.ру roster read makes of a world: a class per class edu-group, its subjects, a section per journal page. */
function platformCounts(w: DnevnikWorld): Record<string, number> {
  return { homeroom_class: [...w.groups.values()].filter((g) => g.type === 'Group').length, subject: w.subjects.size, section: w.sectionTarget.size };
}

describe('a school-year rollover on Дневник.ру that keeps class and subject ids', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
    runOnSor(store, { name: 'dn', start: () => startDnevnikEmulator({ dataset }), instance: dnevnikInstance }, kind, data);

  it('links the kept ids to the new year and leaves every record of the old year as it was', async () => {
    await keptIdsRollover({
      store, system: 'dnevnik_ru', instance: 'dn', roll, run,
      platformCounts: { old: platformCounts(oldWorld), next: platformCounts(newWorld) },
      kept: keptIds(oldWorld.crosswalk(), newWorld.crosswalk()),
      // Read by the ids linked last year (pastYearJournal): the kept ones now name the new year's records, not asked,
      // and each said in the summary as not read (year-groups.ts keptGroupsNotRead).
      oldWindowAfterRoster: 'read',
    });
  }, 300_000);
});
