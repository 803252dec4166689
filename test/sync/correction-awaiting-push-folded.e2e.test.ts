// A correction at the system of record of a value the target holds in its own spelling: an unexcused absence on
// ЭПОС is held on Дневник.ру as Absent, which reads back as "no reason" (mark-spelling.ts). A sick note brought the
// next day turns it into an illness on ЭПОС; the night reads Дневник.ру before the push, still holding Absent. That
// is the gateway's own earlier write, waiting for tonight's push — before, the ledger's hash was of the value as
// given (unexcused), matched nothing read there, and every such correction opened a conflict for a night.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { EAttendance } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { nightlyRound, openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: { attendances: Map<string, EAttendance> } };
const UNEXCUSED = 2;
const ILLNESS = 3;

describe('a correction of a value the target holds in its own spelling, read before tonight\'s push', () => {
  let school: SorAndTarget<Ep, DnevnikEmulator>;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, DnevnikEmulator>({ sor: 'epos', target: 'dnevnik', school: generateSchool({ seed: 63, pupils: 20, weeks: 1 }), window });
    ({ ctx } = school);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.failed).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });

  const conflicts = () => openConflicts(ctx);
  const night = () => nightlyRound(ctx, window);

  it('an unexcused absence excused as illness opens no conflict on Дневник.ру, and the push brings the illness', async () => {
    // Three absences made unexcused at the system of record and pushed; read back folded the night after, they are
    // what the gateway wrote there: nothing waits, nothing to decide.
    for (const a of [...school.sor.world.attendances.values()].filter((x) => [1, 3, 4].includes(x.reasonId)).slice(0, 3)) a.reasonId = UNEXCUSED;
    const unexcused = [...school.sor.world.attendances.values()].filter((a) => a.reasonId === UNEXCUSED);
    expect(unexcused.length).toBeGreaterThanOrEqual(3);
    expect((await night()).push.pushed!.failed).toBe(0);
    expect((await night()).awaiting).toBe(0);
    expect(await conflicts()).toEqual([]);
    for (const a of unexcused) a.reasonId = ILLNESS;
    const { awaiting, push } = await night();
    expect(await conflicts()).toEqual([]);
    expect(awaiting).toBe(unexcused.length);
    expect(push.pushed!.applied).toBe(unexcused.length);
    const ill = [...school.target.world.logEntries.values()].filter((e) => e.status === 'Ill');
    expect(ill.length).toBeGreaterThanOrEqual(unexcused.length);
    // The next night: Дневник.ру agrees, nothing waits, nothing to decide.
    const next = await night();
    expect(next.awaiting).toBe(0);
    expect(next.push.pushed!.applied).toBe(0);
    expect(await conflicts()).toEqual([]);
  }, 180_000);
});
