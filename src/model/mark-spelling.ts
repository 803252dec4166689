// A mark a platform holds in its own spelling (АСУ РСО, docs/platforms/asurso.md "Folded"): its marks are integers,
// so `5-`/`4+` come back as the integer, and an owed mark («точка») with no value comes back as `.`. The same mark,
// not another one: the demo's tally counts it apart, and journal sync raises no conflict over it. Likewise an absence
// with no reason yet comes back from АСУ РСО as unexcused (ОТ): it has no letter for "no reason yet".

interface MarkLike { entity: string; raw?: string; modifier?: string; base?: number | null; numeric?: number | null; state?: string; kind?: string; reason?: string }

/**
 * The only differences between `expected` and `actual` (the fields named) are the spelling a platform folds a mark
 * into: a `+`/`-` dropped (same base), or an owed mark's value.
 */
export function foldedMark(expected: MarkLike | undefined, actual: MarkLike | undefined, fields: readonly string[]): boolean {
  if (expected?.entity === 'attendance_record' && actual?.entity === 'attendance_record') {
    return fields.length > 0 && fields.every((f) => f === 'reason') && expected.kind === 'absent' && actual.kind === 'absent' && expected.reason === 'unknown' && actual.reason === 'unexcused';
  }
  if (expected?.entity !== 'mark' || actual?.entity !== 'mark' || !fields.length || !fields.every((f) => f === 'raw' || f === 'modifier' || f === 'numeric')) return false;
  const modifierDropped = expected.modifier !== 'none' && actual.modifier === 'none' && actual.base === expected.base && expected.base !== null;
  const owedSpelling = expected.state === 'owed' && actual.state === 'owed' && fields.every((f) => f === 'raw');
  return modifierDropped || owedSpelling;
}
