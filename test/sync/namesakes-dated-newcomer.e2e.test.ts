// Two pupils of one name in a school whose system of record is АСУ РСО: its teacher routes carry no birth date, so
// both are stored undated. ЭПОС, added as a second platform, lists each of them with a birth date — and each fit both
// stored pupils equally, so the tie proposed nothing: the two stayed unlinked on ЭПОС and every push skipped their
// marks until an operator found the right pairs by hand. Now the stored pupil in the newcomer's class is proposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { pendingReview } from '../../src/sync/review.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

type WithCrosswalk = RunningEmulator & { crosswalk(): { entity: string; sourceId: string; canonicalId: string }[] };

// Seed 15 at 60 pupils holds one such pair, in two classes.
const school = generateSchool({ seed: 15, pupils: 60, weeks: 1 });
const WINDOW = { from: '2025-09-01', to: '2025-09-07' };
let region: SorAndTarget<WithCrosswalk, WithCrosswalk>;

const pupils = new Set(school.all('role_assignment').filter((r) => r.role === 'student').map((r) => r.personId));
const namesakes = (() => {
  const byName = new Map<string, string[]>();
  for (const p of school.all('person')) if (pupils.has(p.id)) {
    const k = `${p.familyName}|${p.givenName}|${p.middleName ?? ''}`;
    byName.set(k, [...(byName.get(k) ?? []), p.id]);
  }
  return [...byName.values()].filter((ids) => ids.length > 1).flat();
})();

// АСУ РСО the system of record, ЭПОС the second platform; one roster sync of both has run.
beforeAll(async () => {
  region = await sorAndTarget<WithCrosswalk, WithCrosswalk>({ sor: 'asurso', target: 'epos', school, window: WINDOW });
}, 120_000);
afterAll(async () => {
  await region?.close();
});

describe('a dated newcomer and two undated namesakes', () => {
  it('the ЭПОС record of each namesake is proposed against the АСУ РСО pupil of its class, never the other one', async () => {
    expect(namesakes).toHaveLength(2);
    const store = region.ctx.store;
    /** The gateway's person for a dataset person as one platform lists them. */
    const canonical = async (emu: WithCrosswalk, system: string, instance: string, datasetId: string) => {
      const sourceId = emu.crosswalk().find((r) => r.entity === 'person' && r.canonicalId === datasetId)!.sourceId;
      return (await store.resolve(system, instance, 'person', [sourceId])).get(sourceId)!;
    };
    const review = (await pendingReview(store)).filter((r) => r.kind === 'person_match');
    for (const id of namesakes) {
      const fromEpos = await canonical(region.target, 'epos', 't', id);
      const fromAsurso = await canonical(region.sor, 'asu_rso', 'sor', id);
      const proposed = review.filter((r) => r.leftId === fromEpos);
      expect(proposed.map((r) => r.rightId), `dataset pupil ${id}`).toEqual([fromAsurso]);
    }
  }, 120_000);
});
