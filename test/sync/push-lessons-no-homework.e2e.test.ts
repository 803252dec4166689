// A target that cannot be given homework (ЭПОС, АСУ РСО): the system of record's lessons are nothing to push there.
// When lessons joined the push (for Дневник.ру's homework), every lesson whose topic a teacher typed counted as
// `skipped` — the status page's «ждут привязки в целевой системе» — as if it waited to be linked, night after night.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('Дневник.ру → ЭПОС: lessons changed at the system of record', () => {
  let school: SorAndTarget<DnevnikEmulator, RunningEmulator>;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<DnevnikEmulator, RunningEmulator>({ sor: 'dnevnik', target: 'epos', school: generateSchool({ seed: 62, pupils: 20, weeks: 1 }), window });
    ({ ctx } = school);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });

  it('are not counted as records waiting on the target', async () => {
    const [first] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(first.pushed).toMatchObject({ failed: 0, skipped: 0 }); // every pupil and lesson is linked on ЭПОС
    for (const l of [...school.sor.world.lessons.values()].slice(0, 5)) l.title = `${l.title ?? ''} (тема уточнена)`;
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed).toEqual({ applied: 0, unchanged: 0, refused: 0, failed: 0, skipped: 0 });
  }, 180_000);
});
