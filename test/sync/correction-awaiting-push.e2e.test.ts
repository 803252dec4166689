// A correction at the system of record, read in the nightly order (every platform read, then the push): the target
// still holds the value the gateway wrote there before. That is the push not having run yet, not a disagreement —
// before, every correction opened a conflict on every target, in the review queue until the next night's read
// closed it. A value changed on the target itself stays a conflict, as does one the gateway never wrote there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { nightlyRound, openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: { marks: Map<number, EMark> } };

describe('a correction at the system of record, read before tonight\'s push', () => {
  let school: SorAndTarget<DnevnikEmulator, Ep>;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<DnevnikEmulator, Ep>({ sor: 'dnevnik', target: 'epos', school: generateSchool({ seed: 62, pupils: 20, weeks: 1 }), window });
    ({ ctx } = school);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.failed).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await school?.close();
  });

  const conflicts = () => openConflicts(ctx);
  const night = () => nightlyRound(ctx, window);
  const eposMarkOf = async (dnevnikMarkId: string) => {
    const canonical = (await ctx.store.resolve('dnevnik_ru', 'sor', 'mark', [dnevnikMarkId])).get(dnevnikMarkId)!;
    const eposId = (await ctx.store.sourceIdsFor('epos', 't', 'mark', [canonical])).get(canonical)!;
    return school.target.world.marks.get(Number(eposId))!;
  };

  it('opens no conflict: the target holds what the gateway wrote, and the push brings the correction', async () => {
    const corrected = school.sor.correctMarks(0.05, 3);
    expect(corrected.length).toBeGreaterThan(3);
    const { awaiting, push } = await night();
    expect(await conflicts()).toEqual([]);
    expect(awaiting).toBe(corrected.length);
    expect(push.pushed!.applied).toBe(corrected.length);
    // The next night: the target agrees, nothing waits, nothing to decide.
    const next = await night();
    expect(next.awaiting).toBe(0);
    expect(next.push.pushed!.applied).toBe(0);
    expect(await conflicts()).toEqual([]);
  }, 180_000);

  it('a teacher\'s own change on the target the same day is still a conflict (its value kept there for the operator)', async () => {
    const corrected = school.sor.correctMarks(0.02, 9);
    const id = corrected[0];
    const m = await eposMarkOf(id);
    // Neither what the gateway wrote there nor the correction: the teacher on ЭПОС typed a value of their own.
    const sorValue = Number((school.sor.world.marks.get(BigInt(id)) as { value: string }).value);
    const typed = [2, 3, 4, 5].find((v) => v !== m.five && v !== sorValue)!;
    Object.assign(m, { five: typed, original: String(typed) });
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const open = await conflicts();
    expect(open.length).toBeGreaterThan(0);
    const canonical = (await ctx.store.resolve('dnevnik_ru', 'sor', 'mark', [id])).get(id)!;
    expect(open.map((c) => c.leftId)).toEqual(open.map(() => canonical));
    // The other corrections of the day wait for the push, as above.
    expect(reads.reduce((n, s) => n + (s.awaitingPush ?? 0), 0)).toBe(corrected.length - 1);
  }, 180_000);

  it('a correction the target refuses for good (ЭПОС changes no absence) is a conflict from the night after the refusal', async () => {
    await night(); // the corrections above are pushed: nothing else waits
    const entries = [...school.sor.world.logEntries.values()].filter((e) => e.status === 'Absent').slice(0, 3);
    expect(entries).toHaveLength(3);
    for (const e of entries) e.status = 'Ill';
    const onAbsences = async () => {
      const ids = new Set<string>();
      for (const c of await conflicts()) if ((await ctx.store.get(c.leftId!))?.entity === 'attendance_record') ids.add(c.leftId!);
      return ids.size;
    };
    // Night 1: read before the push, which has not tried the correction yet — it waits; then the push is refused.
    const first = await night();
    expect(first.awaiting).toBe(3);
    expect(first.push.pushed!.refused).toBe(3);
    expect(await onAbsences()).toBe(0);
    // Night 2: nothing is on its way any more, so the operator sees the disagreement.
    const second = await night();
    expect(second.awaiting).toBe(0);
    expect(await onAbsences()).toBe(3);
  }, 180_000);
});
