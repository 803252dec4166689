// АСУ РСО numbers a pupil's marks on a lesson in column order (R-09 slots: the mapper reads columns in journal order),
// and `quickedit` creates a lesson's new columns in the order its body first names each type. So the body must name
// the type of a pupil's first mark before that of their second: when another pupil's only mark, of the second type,
// came first, the second type's column was made first and the read-back swapped that pupil's two marks.

/**
 * A rank per assignment type for the lesson's new columns: a type some pupil's first mark has comes before the type of
 * that pupil's second mark; otherwise types keep the order they were `seen` in. Contradictory pupils (one with A then
 * B, another with B then A) cannot both be kept; the earliest seen type then goes first.
 */
export function columnRank(seen: readonly number[], firstThenSecond: readonly (readonly [number, number])[]): Map<number, number> {
  const types = [...new Set([...seen, ...firstThenSecond.flat()])];
  const after = new Map<number, Set<number>>(types.map((t) => [t, new Set<number>()]));
  const before = new Map<number, number>(types.map((t) => [t, 0]));
  for (const [a, b] of firstThenSecond) {
    if (a === b || after.get(a)!.has(b)) continue;
    after.get(a)!.add(b);
    before.set(b, before.get(b)! + 1);
  }
  const rank = new Map<number, number>();
  while (rank.size < types.length) {
    const left = types.filter((t) => !rank.has(t));
    const next = left.find((t) => before.get(t) === 0) ?? left[0];
    rank.set(next, rank.size);
    for (const b of after.get(next)!) before.set(b, before.get(b)! - 1);
  }
  return rank;
}
