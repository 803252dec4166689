// A migration run again after the target changed behind the gateway's back, or the source was corrected: the plan
// counted every linked record as "already there" (its crosswalk link, not the target), the dry run showed no update,
// and a re-run never wrote a lost absence or a changed mark again — the reconciliation listed them for ever. Now a run
// that finds records already in the target reads it back first: lost ones are to create again, ones held otherwise to
// update, and the push writes them (src/sync/migration-repair.ts). Дневник.ру → ЭПОС.
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

type EposWorld = { marks: Map<number, { id: number; original: string; five: number | null; student: number; lesson: number }>; attendances: Map<number, unknown> };
type DnevnikWorld = { marks: Map<unknown, { type: string; value: string; textValue?: string }> };

describe('migrate again after changes on either side: the target is read back and repaired', () => {
  const move = useApiMove({ from: 'dnevnik', to: 'epos', dataset: { seed: 7, pupils: 30 }, window: { since: '2025-09-01', until: '2025-09-12' } });
  const target = () => (move.target as unknown as { world: EposWorld }).world;
  const source = () => (move.source as unknown as { world: DnevnikWorld }).world;
  const snapshot = () => JSON.stringify([[...target().marks.values()], [...target().attendances.keys()]]);
  let changedInTarget: { id: number; original: string; five: number | null };
  let sourceMark: { value: string; textValue?: string };

  it('a first migration reconciles with nothing to update', async () => {
    const { code } = await move.migrate();
    expect(code).toBe(0);
    expect(move.report().plan.toUpdate).toEqual({ mark: 0, attendance_record: 0 });
  }, 180_000);

  it('after a correction in the source and two changes in the target, the dry run counts them and writes nothing', async () => {
    // The source: a teacher corrects one mark.
    sourceMark = [...source().marks.values()].find((m) => m.type === 'mark5' && m.value === '4')!;
    sourceMark.value = '2';
    sourceMark.textValue = '2';
    // The target: one mark changed and one absence removed there, not through the gateway.
    changedInTarget = [...target().marks.values()].find((m) => m.original === '5')!;
    changedInTarget.original = '3';
    changedInTarget.five = 3;
    target().attendances.delete([...target().attendances.keys()][0]);
    const before = snapshot();
    const { code } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const plan = move.report().plan;
    expect(plan.toUpdate).toEqual({ mark: 2, attendance_record: 0 });
    expect(plan.toCreate).toMatchObject({ mark: 0, attendance_record: 1 });
    expect(plan.conflicts).toBeGreaterThan(0); // the mark changed in the target disagrees with the store
    expect(snapshot()).toBe(before);
  }, 180_000);

  it('the run writes them again: the target holds the source\'s values, nothing lost', async () => {
    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(r.reconciliation?.differences).toEqual([]);
    expect(r.ok).toBe(true);
    expect(code).toBe(0);
    expect(printed).toMatch(/to update \{"mark":2,"attendance_record":0\}/);
    expect(target().marks.get(changedInTarget.id)?.original).toBe('5');
    expect([...target().marks.values()].filter((m) => m.original === '2').length).toBeGreaterThan(0);
    expect(r.steps.find((s) => s.kind === 'grade-push')?.pushed).toMatchObject({ applied: 3, failed: 0 });
  }, 180_000);

  it('a further run finds nothing to update or create, writes nothing, and leaves no conflict open', async () => {
    const before = snapshot();
    const { code } = await move.migrate();
    expect(code).toBe(0);
    const r = move.report();
    expect(r.plan.toUpdate).toEqual({ mark: 0, attendance_record: 0 });
    expect(r.plan.toCreate).toMatchObject({ mark: 0, attendance_record: 0 });
    expect(r.steps.find((s) => s.kind === 'grade-push')?.pushed?.applied).toBe(0);
    // The disagreement the repair ended is closed: no conflict left in the review queue (they stayed for good).
    expect(r.plan.conflicts).toBe(0);
    expect(snapshot()).toBe(before);
  }, 180_000);
});
