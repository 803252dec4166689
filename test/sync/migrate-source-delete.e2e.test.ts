// A migration run again after a mark was deleted in the source: the source's read now proves the deletion (as a
// nightly read does) and tombstones the mark. Before, a migration's read recorded no deletion: the target kept the
// mark and the run said "nothing lost". A target that can delete marks (ЭПОС) has it deleted by the push; one whose
// API cannot (Дневник.ру) has it listed as unexpected, and the run is not "nothing lost" until it is removed by hand.
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

type EposWorld = { marks: Map<number, { id: number; student: number; lesson: number }> };
type MarkWorld = { marks: Map<unknown, unknown> };

/** A mark alone in its pupil's cell (deleting a cell's first mark makes the second one the first). */
function deleteLoneMark(world: EposWorld): void {
  const marks = [...world.marks.values()];
  const alone = marks.find((m) => marks.filter((x) => x.student === m.student && x.lesson === m.lesson).length === 1)!;
  world.marks.delete(alone.id);
}

describe.each([
  { to: 'epos' as const, deletes: true },
  { to: 'dnevnik' as const, deletes: false },
])('migrate again after a deletion in the source: ЭПОС → $to', ({ to, deletes }) => {
  const move = useApiMove({ from: 'epos', to, dataset: { seed: 6, pupils: 16 }, window: { since: '2025-09-01', until: '2025-09-12' } });
  const source = () => (move.source as unknown as { world: EposWorld }).world;
  const target = () => (move.target as unknown as { world: MarkWorld }).world;

  it('a first migration: nothing lost', async () => {
    expect((await move.migrate()).code).toBe(0);
    expect(target().marks.size).toBe(source().marks.size);
  }, 180_000);

  it(deletes ? 'the next run deletes the mark from the target and reconciles' : 'the next run lists the mark the target keeps (no route deletes it) and is not "nothing lost"', async () => {
    deleteLoneMark(source());
    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(r.steps[1], printed).toMatchObject({ kind: 'journal-sync', deleted: 1 });
    const pushed = r.steps.find((s) => s.kind === 'grade-push')?.pushed;
    if (deletes) {
      expect(r.reconciliation?.differences, printed).toEqual([]);
      expect(code).toBe(0);
      expect(target().marks.size).toBe(source().marks.size);
      expect(pushed).toMatchObject({ applied: 1, failed: 0, refused: 0 });
    } else {
      expect(r.reconciliation?.differences.map((d) => [d.entity, d.kind])).toEqual([['mark', 'unexpected']]);
      expect(code).toBe(1);
      expect(printed).toMatch(/refused by the target: mark: dnevnik: the partner API documents no mark deletion: a teacher deletes the mark on Дневник.ру by hand \(1\)/);
      expect(pushed).toMatchObject({ applied: 0, refused: 1 });
    }
  }, 180_000);
});
