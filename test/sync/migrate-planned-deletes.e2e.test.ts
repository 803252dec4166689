// A migration's dry run names the deletes the real run will make: the marks and absences deleted in the source since
// the last run that the target still holds ("to delete" per entity), and — where the target has no route for such a
// delete (its declaration's `refusesWrites`) — each one it will refuse, with the reason, so the operator knows before
// the run that it will end not "ok" and why. Before, the plan looked at live records only: the dry run said nothing of
// a delete, exit 0, and the real run then deleted some and was refused others (exit 1, `unexpected: mark …`).
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

type EposWorld = {
  marks: Map<number, { id: number; student: number; lesson: number }>;
  attendances: Map<string, { lesson: number; student: number }>;
};

/** A mark alone in its pupil's cell (deleting a cell's first mark makes the second one the first) and an absence. */
function deleteMarkAndAbsence(world: EposWorld): void {
  const marks = [...world.marks.values()];
  const alone = marks.find((m) => marks.filter((x) => x.student === m.student && x.lesson === m.lesson).length === 1)!;
  world.marks.delete(alone.id);
  world.attendances.delete([...world.attendances.keys()][0]);
}

describe.each([
  // ЭПОС deletes a mark, and has no public route that deletes an absence.
  { to: 'epos' as const, deleted: 'mark', refused: 'attendance_record', reason: 'epos: no public route deletes an absence (§2.5)' },
  // Дневник.ру deletes an absence (a log entry), and documents no route that deletes a mark.
  { to: 'dnevnik' as const, deleted: 'attendance_record', refused: 'mark', reason: 'dnevnik: the partner API documents no mark deletion: a teacher deletes the mark on Дневник.ру by hand' },
])('migrate ЭПОС → $to after a mark and an absence were deleted in the source', ({ to, deleted, refused, reason }) => {
  const move = useApiMove({ from: 'epos', to, dataset: { seed: 6, pupils: 12 }, window: { since: '2025-09-01', until: '2025-09-12' } });
  const source = () => (move.source as unknown as { world: EposWorld }).world;

  it('a first migration: nothing to delete', async () => {
    expect((await move.migrate()).code).toBe(0);
    expect(move.report().plan.toDelete).toEqual({ mark: 0, attendance_record: 0 });
  }, 180_000);

  it('the dry run lists the delete it will make and the one the target will refuse, with the reason', async () => {
    deleteMarkAndAbsence(source());
    const { code, printed } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const plan = move.report().plan;
    expect(plan.toDelete, printed).toEqual({ mark: 0, attendance_record: 0, [deleted]: 1 });
    expect(Object.keys(plan.notDeletable ?? {})).toEqual([refused]);
    expect(plan.notDeletable![refused]).toMatchObject({ count: 1, reason });
    const [record] = plan.notDeletable![refused].records;
    expect(record).toMatchObject({ id: expect.any(String), targetId: expect.any(String), date: expect.stringMatching(/^2025-09-/) });
    expect(printed).toContain(`to delete {"mark":${deleted === 'mark' ? 1 : 0},"attendance_record":${deleted === 'mark' ? 0 : 1}}`);
    expect(printed).toContain(`NOT deletable: 1 ${refused} record(s) deleted in the source are still in ${to}-new, which has no route to delete them (${reason}): the push will be refused them and the run will end not "ok" (exit 1)`);
    expect(printed).toContain(record.id);
  }, 180_000);

  it('the real run does what the dry run said: one delete made, one refused, and that record listed as unexpected', async () => {
    const dry = move.report().plan;
    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(r.plan.toDelete).toEqual(dry.toDelete);
    expect(r.plan.notDeletable).toEqual(dry.notDeletable);
    expect(r.steps.find((s) => s.kind === 'grade-push')?.pushed, printed).toMatchObject({ applied: 1, refused: 1, failed: 0 });
    expect(r.reconciliation?.differences.map((d) => [d.entity, d.kind, d.id])).toEqual([[refused, 'unexpected', dry.notDeletable![refused].records[0].id]]);
    expect(code).toBe(1);
  }, 180_000);

  it('a run after it: the delete made is no longer planned; the refused one is still named, until removed by hand', async () => {
    const before = move.report().plan.notDeletable;
    await move.migrate({ dryRun: true });
    const plan = move.report().plan;
    expect(plan.toDelete).toEqual({ mark: 0, attendance_record: 0 });
    expect(plan.notDeletable).toEqual(before);
  }, 180_000);
});
