// A pushed mark that keeps vanishing from a target (a teacher deleting it there every time, or a platform that drops
// what it accepted): it is written there again WRITES_AGAIN_BEFORE_HOLDING times, then held for an operator instead of
// being written every night for good; `review keep` writes it once more. ЭПОС → ЭПОС.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { WRITES_AGAIN_BEFORE_HOLDING } from '../../src/sync/push-again.js';
import { resolveConflict } from '../../src/sync/review.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: EposWorld };

describe('a pushed mark that keeps vanishing from the target', () => {
  let school: SorAndTarget<Ep, Ep>;
  let target: Ep;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, Ep>({ sor: 'epos', target: 'epos', school: generateSchool({ seed: 85, pupils: 10, weeks: 1 }), window });
    ({ target, ctx } = school);
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  const cell = (lesson: number, student: number) => [...target.world.marks.values()].filter((m) => m.lesson === lesson && m.student === student);
  const readTarget = async () => (await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx))[0];
  const push = async () => (await runJob('grade-push', { schoolId: 's1', window }, ctx))[0];
  const openAbout = async (id: string) => (await openConflicts(ctx)).filter((c) => c.leftId === id && c.field === 'status');

  it(`is written there again ${WRITES_AGAIN_BEFORE_HOLDING} times, then held for review; review keep writes it once more`, async () => {
    const lone = [...target.world.marks.values()].find((m) => cell(m.lesson, m.student).length === 1)!;
    const canonical = (await ctx.store.resolve('epos', 't', 'mark', [String(lone.id)])).get(String(lone.id))!;
    const deleteOnTarget = () => { for (const m of cell(lone.lesson, lone.student)) target.world.marks.delete(m.id); };

    for (let n = 1; n <= WRITES_AGAIN_BEFORE_HOLDING; n++) {
      deleteOnTarget();
      const read = await readTarget();
      expect(read.deletedOnTarget).toEqual(expect.objectContaining({ count: 1 }));
      expect(read.deletedOnTarget?.held).toBeUndefined();
      // The operator acknowledges the first deletion: that decision must not hide the hold later on.
      if (n === 1) {
        const [first] = await openAbout(canonical);
        expect(await resolveConflict(ctx.store, first.id, 'keep', 'op-0')).toMatch(/^kept: /);
      }
      expect((await push()).pushed!.applied).toBe(1);
      expect(cell(lone.lesson, lone.student).map((m) => m.original)).toEqual([lone.original]);
    }

    deleteOnTarget();
    const held = await readTarget();
    expect(held.deletedOnTarget).toEqual(expect.objectContaining({ count: 1, held: 1 }));
    expect(formatSummary(held)).toMatch(/of them 1 not written again: each vanished again after being written there again 3 times/);
    const [item] = await openAbout(canonical);
    expect(item.rule).toBe('vanishes_on_target');
    // Not written again, by this push or the next night's.
    expect((await push()).pushed!.applied).toBe(0);
    expect((await readTarget()).deletedOnTarget).toBeUndefined();
    expect((await push()).pushed!.applied).toBe(0);
    expect(cell(lone.lesson, lone.student)).toEqual([]);

    expect(await resolveConflict(ctx.store, item.id, 'keep', 'op-1')).toMatch(/writes it there once more/);
    expect((await push()).pushed!.applied).toBe(1);
    expect(cell(lone.lesson, lone.student).map((m) => m.original)).toEqual([lone.original]);
    expect((await push()).pushed!.applied).toBe(0);
    expect((await readTarget()).deletedOnTarget).toBeUndefined();

    // Vanished again after the operator's write: held again, with an item of its own to decide (not hidden by the
    // decision before).
    deleteOnTarget();
    expect((await readTarget()).deletedOnTarget).toEqual(expect.objectContaining({ count: 1, held: 1 }));
    const again = await openAbout(canonical);
    expect(again.map((c) => c.rule)).toEqual(['vanishes_on_target']);
    expect(again[0].id).not.toBe(item.id);
    expect((await push()).pushed!.applied).toBe(0);
  }, 300_000);
});
