// Russian names of final-mark kinds, as a paper journal, the summary sheet (сводная ведомость, kept 25 years, R-32)
// and the parents' diary print them: a document a school prints and files shows «четверть», not `quarter`. A
// grading-period mark is of kind `quarter` whatever period it closes (final-kinds.ts), so it is named by its period's
// kind: a trimester's is «триместр», a module's «модуль». One table for the archive and the web pages.
import { GRADING_PERIOD_KINDS } from './final-kinds.js';

/** By final-mark kind (enums.ts FinalMarkKind), and by the grading-period kinds a `quarter` mark may close. */
export const FINAL_KIND_RU: Readonly<Record<string, string>> = {
  quarter: 'четверть', trimester: 'триместр', module: 'модуль', half_year: 'полугодие', year: 'год', exam: 'экзамен', final: 'итоговая',
};

/**
 * «четверть», «триместр», «полугодие», «год», «экзамен», «итоговая». `periodKind`: the kind of the session the mark
 * closes, when known. A kind the model does not know yet is printed as it is rather than dropped.
 */
export function finalKindRu(kind: string, periodKind?: string): string {
  const named = kind === 'quarter' && periodKind !== undefined && GRADING_PERIOD_KINDS.includes(periodKind) ? periodKind : kind;
  return FINAL_KIND_RU[named] ?? kind;
}
