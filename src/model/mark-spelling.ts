// Values a platform holds in its own spelling (docs/platforms/<p>.md "Folded"): the same mark or absence, not another
// one. АСУ РСО's marks are integers, so `5-`/`4+` come back as the integer, and an owed mark («точка») with no value
// comes back as `.`; it has no letter for "absent, no reason yet" and writes ОТ (unexcused). Дневник.ру has one
// status, Absent, for an absence without a valid reason, so unexcused reads back as "no reason". Journal sync raises
// no conflict over a fold of the platform it reads, a migration names the folds in its plan and does not count them as
// differences, and the demo's tally counts them apart. Each platform's declaration lists its folds (`folds`).

/** One kind of value a platform cannot hold as given, and what it holds instead. */
export type Fold = 'modifier-dropped' | 'owed-spelling' | 'unknown-as-unexcused' | 'unexcused-as-unknown';

interface RecordLike { entity: string; raw?: string; modifier?: string; base?: number | null; numeric?: number | null; state?: string; kind?: string; reason?: string }

/** Per fold: the entity, whether a record the gateway holds will be folded, and whether a read-back shows that fold. */
const FOLDS: Record<Fold, {
  entity: 'mark' | 'attendance_record';
  /** For the plan: the platform will hold this record in its own spelling. */
  applies: (r: RecordLike) => boolean;
  /** The differing `fields` between expected and actual are exactly this fold. */
  shows: (expected: RecordLike, actual: RecordLike, fields: readonly string[]) => boolean;
  /** The fields the platform holds instead (what a read of it gives back), over the record's own. */
  holds: (r: RecordLike) => Partial<RecordLike>;
  /** What the plan says, after "N <entity> record(s)". */
  says: string;
  ru: string;
}> = {
  'modifier-dropped': {
    entity: 'mark',
    applies: (r) => r.modifier !== undefined && r.modifier !== 'none' && r.base !== null && r.base !== undefined,
    shows: (e, a, fields) => fields.every((f) => f === 'raw' || f === 'modifier' || f === 'numeric') && e.modifier !== 'none' && a.modifier === 'none' && a.base === e.base && e.base !== null,
    holds: (r) => ({ raw: String(r.base), modifier: 'none', numeric: r.base }),
    says: 'with + or − are held as the integer (5- as 5)',
    ru: 'отметки с «+» или «−» хранятся целым числом (5- как 5)',
  },
  'owed-spelling': {
    entity: 'mark',
    applies: (r) => r.state === 'owed' && r.raw !== '.',
    shows: (e, a, fields) => fields.every((f) => f === 'raw') && e.state === 'owed' && a.state === 'owed',
    holds: () => ({ raw: '.' }),
    says: 'that are owed («точка») are held as «.»',
    ru: 'долги («точка») хранятся как «.»',
  },
  'unknown-as-unexcused': {
    entity: 'attendance_record',
    applies: (r) => r.kind === 'absent' && r.reason === 'unknown',
    shows: (e, a, fields) => fields.every((f) => f === 'reason') && e.kind === 'absent' && a.kind === 'absent' && e.reason === 'unknown' && a.reason === 'unexcused',
    holds: () => ({ reason: 'unexcused' }),
    says: 'absent with no reason yet are held as unexcused (it has no letter for "no reason yet")',
    ru: 'пропуски без указанной причины хранятся как пропуски без уважительной причины',
  },
  'unexcused-as-unknown': {
    entity: 'attendance_record',
    applies: (r) => r.kind === 'absent' && r.reason === 'unexcused',
    shows: (e, a, fields) => fields.every((f) => f === 'reason') && e.kind === 'absent' && a.kind === 'absent' && e.reason === 'unexcused' && a.reason === 'unknown',
    holds: () => ({ reason: 'unknown' }),
    says: 'absent without a valid reason are held without a reason (one status, Absent, for both)',
    ru: 'пропуски без уважительной причины хранятся без причины (у платформы одна отметка для них)',
  },
};

/**
 * The fold of `folds` (a platform's) that explains every difference between `expected` (what the gateway holds) and
 * `actual` (the platform's read of it), the differing fields named; undefined when they truly differ.
 */
export function foldOf(folds: readonly Fold[], expected: RecordLike | undefined, actual: RecordLike | undefined, fields: readonly string[]): Fold | undefined {
  if (!expected || !actual || expected.entity !== actual.entity || fields.length === 0) return undefined;
  return folds.find((f) => FOLDS[f].entity === expected.entity && FOLDS[f].shows(expected, actual, fields));
}

/** The fold of `folds` a platform will apply to `record` when it is written there, if any. */
export function foldFor(folds: readonly Fold[], record: RecordLike): Fold | undefined {
  return folds.find((f) => FOLDS[f].entity === record.entity && FOLDS[f].applies(record));
}

/**
 * `record` as the platform of `folds` holds it once written there: what a read of it gives back, so a hash of what the
 * gateway wrote can be compared with a hash of what the platform is later read to hold (grade push's `pushed_hash`).
 */
export function heldAs<R extends RecordLike>(folds: readonly Fold[], record: R): R {
  const fold = foldFor(folds, record);
  return fold ? { ...record, ...FOLDS[fold].holds(record) } : record;
}

export const foldEntity = (fold: Fold) => FOLDS[fold].entity;
/** "N mark record(s) <says>" in the plan; `ru` in the HTML report. */
export const foldText = (fold: Fold) => ({ says: FOLDS[fold].says, ru: FOLDS[fold].ru });
