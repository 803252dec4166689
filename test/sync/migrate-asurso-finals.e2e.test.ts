// A migration from АСУ РСО reads its journal in 28-day slices and the final marks with the last one. АСУ РСО answers
// final marks per period through its report queue, and the connector asks only for periods ending near the days it
// reads: a window whose last slice starts more than 30 days after a term ended dropped that term's final marks — not
// in the plan, not in the reconciliation, "nothing lost", exit 0. The final marks' read now covers the whole window.
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

type AsursoWorld = { finals: Map<unknown, unknown[]>; persons: Map<number, unknown> };

describe('migrate from АСУ РСО: the final marks of every term in the window, however far its last slice is', () => {
  // Quarter 1 ends on 24 October; the last 28-day slice of this window starts on 24 November.
  const move = useApiMove({ from: 'asurso', to: 'epos', dataset: { seed: 3, pupils: 12, weeks: 14 }, window: { since: '2025-09-01', until: '2025-12-05' } });

  it('the plan names every final mark the source holds (no target can be written them)', async () => {
    const inSource = [...(move.source as unknown as { world: AsursoWorld }).world.finals.values()].reduce((n, l) => n + l.length, 0);
    expect(inSource).toBeGreaterThan(0);
    const { code } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const plan = move.report().plan;
    expect(plan.notWritable).toEqual({ final_mark: inSource });
    // To enter by hand, not to create: no push writes them.
    expect(plan.toEnterByHand).toEqual({ final_mark: inSource });
    expect(plan.toCreate.final_mark).toBeUndefined();
    // АСУ РСО's pupils wait for review on ЭПОС (no birth date): each row names its pupil by the АСУ РСО id instead.
    expect(plan.finalsByHand).toHaveLength(inSource);
    const sourcePupils = new Set([...(move.source as unknown as { world: AsursoWorld }).world.persons.keys()].map(String));
    for (const f of plan.finalsByHand!) {
      expect(f.pupilTargetId).toBeUndefined();
      expect(sourcePupils.has(f.pupilSourceId!), f.pupilSourceId).toBe(true);
    }
  }, 300_000);
});
