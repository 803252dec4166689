// The order the class journal and the summary sheet print a pupil's final marks in, as a paper journal
// has them and as the reports' summary sheet orders its columns (src/reports/summary-sheet.ts): the periods — quarters
// (trimesters and modules are quarter marks too, src/model/final-kinds.ts), then half-years — each in calendar order,
// then the year, the exam and the final mark. Ordered by the period's start date first, the year (from 1 September,
// like the first quarter) came out between the first and the second quarter.
import { FinalMarkKind } from '../../model/index.js';
import type { ClassJournalData, SchoolYear } from './school-year.js';

type Final = Pick<ClassJournalData['finalMarks'][number], 'kind' | 'periodId'>;

/** A kind the model does not know yet goes after all it knows, by name. */
const rank = (kind: string) => {
  const i = (FinalMarkKind.options as readonly string[]).indexOf(kind);
  return i < 0 ? FinalMarkKind.options.length : i;
};

export function byFinalOrder(y: SchoolYear): (a: Final, b: Final) => number {
  const start = (f: Final) => y.sessions.get(f.periodId)?.startDate ?? '';
  return (a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || start(a).localeCompare(start(b)) || a.periodId.localeCompare(b.periodId);
}
