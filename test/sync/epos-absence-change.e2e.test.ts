// An absence whose reason changes at the system of record («Б» → «УП») after it was pushed to ЭПОС: ЭПОС has no route
// that changes or deletes an absence, and answers a second one with «Пропуск … уже существует». The push must say
// the change was not made (refused), not count it as already done.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EposEmulator } from '../../src/emulators/epos/index.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
let school: SorAndTarget<EposEmulator, EposEmulator>;
let sor: EposEmulator;
let target: EposEmulator;
let ctx: JobContext;

beforeAll(async () => {
  school = await sorAndTarget<EposEmulator, EposEmulator>({ sor: 'epos', target: 'epos', school: generateSchool({ seed: 71, pupils: 12, weeks: 1 }), window });
  ({ sor, target, ctx } = school);
  await runJob('grade-push', { schoolId: 's1', window }, ctx);
}, 120_000);
afterAll(async () => {
  await school?.close();
});

it('Б → УП at the source: the push to ЭПОС reports the change refused; the next push, with nothing changed, sends nothing', async () => {
  // Not «УП» (1), «Б» (3) or 5 already: the first change is a real one.
  const a = [...sor.world.attendances.values()].find((x) => x.reasonId !== 3 && x.reasonId !== 1 && x.reasonId !== 5)!;
  const canonical = new Map([...sor.world.sourceOf].map(([c, s]) => [s, c]));
  const key = `${target.world.sourceOf.get(canonical.get(String(a.lesson))!)}:${target.world.profileOf.get(canonical.get(String(a.student))!)}`;
  const pushedBefore = target.world.attendances.get(key)!.reasonId;
  a.reasonId = 3; // Болезнь («Б»)
  await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
  const [changed] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
  expect(changed.pushed).toMatchObject({ refused: 1, unchanged: 0 });
  expect(target.world.attendances.get(key)!.reasonId).toBe(pushedBefore);
  const [again] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
  expect(again.pushed).toMatchObject({ applied: 0, unchanged: 0, refused: 0 });
}, 120_000);
