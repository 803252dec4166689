// A final mark's kind from the kind of the period it closes. canonical-model.md §A.2.15 gives FinalMark.kind no
// trimester or module, though §A.2.2 has such periods (Дневник.ру, АСУ РСО and ЭлЖур schools on trimesters or modules
// exist): the mark of any grading period shorter than a half-year is a period mark, kind `quarter` — EF's
// "Grading Period" descriptor — and its `periodId` says which period; R-20 checks the pair. Before, each mapper
// quarantined a trimester's final marks as "of a kind without canonical final marks": a school on trimesters lost
// every term mark on the way in (docs/model.md).
import type { z } from 'zod';
import type { FinalMarkKind } from './enums.js';

type Kind = z.infer<typeof FinalMarkKind>;

/** Period kinds whose final mark is of kind `quarter` (a grading-period mark). */
export const GRADING_PERIOD_KINDS: readonly string[] = ['quarter', 'trimester', 'module'];

/** The final-mark kind of a period of `periodKind` (a session kind, or a platform's `year`); undefined for none. */
export function finalKindOfPeriod(periodKind: string): Kind | undefined {
  if (GRADING_PERIOD_KINDS.includes(periodKind)) return 'quarter';
  if (periodKind === 'half_year') return 'half_year';
  if (periodKind === 'school_year' || periodKind === 'year') return 'year';
  return undefined;
}
