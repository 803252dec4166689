// The final mark of a pupil in a subject for a report's period — one per pupil and section, of the period's own
// kind: a school year has its year mark («годовая»), and may also hold an exam mark and a final one («итоговая»,
// year and exam together) on the same session; the progress tables read the year mark (the «итоговая» where no year
// mark is given, as for a graduating class), never the exam one and never whichever was stored last.
import type { FinalMarkRecord } from '../model/index.js';
import type { SchoolData } from './school-data.js';
import type { ReportPeriod } from './types.js';

/** Final-mark kinds a session's progress is judged by, in order of preference. */
const KINDS_OF_SESSION: Record<string, readonly FinalMarkRecord['kind'][]> = {
  quarter: ['quarter'], trimester: ['quarter'], half_year: ['half_year'], school_year: ['year', 'final'], module: ['quarter'],
};

/** `studentId|sectionId` → the period's final mark of that pupil and subject. */
export function periodFinals(data: SchoolData, period: ReportPeriod): Map<string, FinalMarkRecord> {
  const wanted = KINDS_OF_SESSION[period.sessionKind ?? ''] ?? null;
  const out = new Map<string, FinalMarkRecord>();
  for (const f of data.finals) {
    if (f.periodId !== period.sessionId) continue;
    const rank = wanted ? wanted.indexOf(f.kind) : 0;
    if (rank < 0) continue;
    const key = `${f.studentId}|${f.sectionId}`;
    const held = out.get(key);
    if (!held || rank < (wanted ? wanted.indexOf(held.kind) : 0)) out.set(key, f);
  }
  return out;
}

/** How a final mark without a number counts: «н/а» (not attested) is a failure; «зач», «осв» a pass that grades nothing. */
export function nonNumericFinal(raw: string): 'not_attested' | 'passed' | 'unknown' {
  const t = raw.trim().toLowerCase().replace(/\s+/g, '').replace(/\.$/, '');
  if (['н/а', 'на', 'н\\а', 'неаттестован', 'неатт'].includes(t)) return 'not_attested';
  if (['зач', 'зачет', 'зачёт', 'зачтено', 'осв', 'освоено', 'освобожден', 'освобождён'].includes(t)) return 'passed';
  return 'unknown';
}
