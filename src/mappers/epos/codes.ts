// ЭПОС.Школа codes ⇄ canonical values (platforms.md §2.4–§2.6). One table each, read by the mapper, the
// write bodies and the emulator, so the three never disagree. Where the public material shows no code
// list ([A]/[U]), the table below IS the assumption — change it here and nowhere else.
import type { RecordOf } from '../../model/records.js';
import { numericOf, parseRu5, type ParsedMark } from '../../model/scale.js';

type Attendance = Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>;

/**
 * `absence_reason_id` of `core/api/attendances` [A: МЭШ teacher script sends `absence_reason_id: 2`; the
 * list itself is not public, U]. Ids and labels below are the gateway's assumption.
 */
export const ABSENCE_REASONS: Readonly<Record<number, Attendance & { label: string }>> = {
  1: { kind: 'absent', reason: 'excused', label: 'Уважительная причина' },
  2: { kind: 'absent', reason: 'unexcused', label: 'Неуважительная причина' },
  3: { kind: 'absent', reason: 'illness', label: 'Болезнь' },
  4: { kind: 'absent', reason: 'unknown', label: 'Отсутствовал' },
  5: { kind: 'late', reason: 'unknown', label: 'Опоздание' },
};

/** The `absence_reason_id` of a canonical attendance record (every canonical kind × reason has its own id). */
export function absenceReasonIdOf(a: Attendance): number {
  if (a.kind === 'late') return 5;
  return a.reason === 'excused' ? 1 : a.reason === 'unexcused' ? 2 : a.reason === 'illness' ? 3 : 4;
}

/** The duplicate-absence answer of `POST core/api/attendances` (§2.5): already done, not a failure. */
export const ATTENDANCE_EXISTS = 'Пропуск для выбранного ученика и урока уже существует';
/** The expired-session message of МЭШ/ЭПОС (§2.6). */
export const SESSION_EXPIRED = 'Предыдущая сессия работы в ЭЖД завершена. Войдите в ЭЖД заново';

/** Parent `type` in `student_profiles?with_parents` [U: МЭШ shows a representative type, its values are not public]. */
export const RELATION_CODES = { mother: 'Мать', father: 'Отец', guardian: 'Опекун', trustee: 'Попечитель', other: 'Иной законный представитель' } as const;
export const RELATION_BACK: Readonly<Record<string, RecordOf<'guardian_link'>['relation']>> = Object.fromEntries(
  Object.entries(RELATION_CODES).map(([k, v]) => [v, k as RecordOf<'guardian_link'>['relation']]),
);

/** `attestation_period.type` of a final mark ⇄ canonical final-mark kind [U]. */
export const PERIOD_TYPES = { quarter: 'quarter', half_year: 'half_year', year: 'year' } as const;

/** Grade systems (`grade_system_type`) the gateway reads: only the five-point one (§2.6: `five`). */
export const FIVE_POINT = { id: 1, name: 'Пятибалльная', type: 'five' } as const;

/** `sex` of profiles. */
export const SEX = { male: 'male', female: 'female' } as const;

/**
 * A mark's value as a five-point mark, or why it is not one. `original` is what the teacher entered; the
 * platform's own `five` (and `nmax` where ЭПОС sends it) tell its scale [A: МЭШ-shaped values carry no `nmax`].
 * - `nmax` other than 5: another scale («4» of 10 would parse as a five-point 4).
 * - `original` parses as a five-point mark but `five` is more than half a point from it: another scale («4» of 10
 *   with `five` 2, «3» with `five` 1.5). Half a point leaves room for a modifier however the platform counts it.
 * - `original` is a number outside 1–5 («8» of 10, «85» of 100): another scale, whatever `five` says.
 * - Otherwise an `original` that does not parse (a word) takes a whole `five` from 1 to 5 (platforms.md §6.3 item 6).
 */
export function fivePointOf(v: { original: string; five: number | null; nmax: number | null }): ParsedMark | { notFivePoint: string; field: 'nmax' | 'original' } {
  if (v.nmax !== null && v.nmax !== 5) return { notFivePoint: `a mark on a ${v.nmax}-point scale: the journal keeps five-point marks`, field: 'nmax' };
  const p = parseRu5(v.original);
  if (p) {
    if (v.five !== null && Math.abs(v.five - numericOf(p.base, p.modifier)) > 0.5) return { notFivePoint: `the platform's five-point value is ${v.five}, not ${v.original}: a mark on another scale`, field: 'original' };
    return p;
  }
  if (/^\s*\d+([.,]\d+)?\s*$/.test(v.original)) return { notFivePoint: 'a number outside 1–5: a mark on another scale', field: 'original' };
  if (v.five !== null && Number.isInteger(v.five) && v.five >= 1 && v.five <= 5) return { raw: v.original, base: v.five, modifier: 'none' };
  return { notFivePoint: 'not a five-point mark', field: 'original' };
}
