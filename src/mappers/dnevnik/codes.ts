// Дневник.ру codes ⇄ canonical values (platforms.md §3.3, §3.5). One table each, read by the mapper, the
// write bodies and the emulator, so the three can never disagree.
import type { RecordOf } from '../../model/records.js';
import { finalKindOfPeriod } from '../../model/final-kinds.js';

type Attendance = Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>;

/** `lesson-log-entries/statuses`: Attend, Absent, Ill, Late, Pass. `Attend` = present, no canonical record. */
export const LOG_STATUS_TO_CANONICAL: Readonly<Record<'Absent' | 'Ill' | 'Late' | 'Pass', Attendance>> = {
  Absent: { kind: 'absent', reason: 'unknown' },
  Ill: { kind: 'absent', reason: 'illness' },
  Pass: { kind: 'absent', reason: 'excused' },
  Late: { kind: 'late', reason: 'unknown' },
};

/**
 * The log-entry status of a canonical attendance record. Дневник.ру has one status for an absence without
 * a valid reason, so `unexcused` and `unknown` both become `Absent` (read back as `unknown`).
 */
export function logStatusOf(a: Attendance): 'Absent' | 'Ill' | 'Late' | 'Pass' {
  if (a.kind === 'late') return 'Late';
  if (a.reason === 'illness') return 'Ill';
  if (a.reason === 'excused') return 'Pass';
  return 'Absent';
}

/**
 * Mark systems (`type`) the gateway reads: `mark5` (value = the digit, textValue = what the teacher wrote,
 * e.g. `5-`), and two the public material does not name [U]: `point` for an owed mark («точка», R-13) and
 * `exempt` for «осв.». Anything else goes to quarantine.
 */
export const MARK_SYSTEMS = {
  mark5: { values: ['1', '2', '3', '4', '5'], state: 'graded' },
  point: { values: ['.'], state: 'owed' },
  exempt: { values: ['осв'], state: 'exempt' },
} as const;
export type MarkSystem = keyof typeof MARK_SYSTEMS;

/**
 * A canonical mark as Дневник.ру's Mark fields: the mark system, and a `value` that system lists in `marks/values` —
 * the digit, or for an owed or exempt mark the system's one value («.», «осв») whatever the raw text (which may be
 * empty: an owed mark often is). `textValue` keeps the raw text.
 */
export function markFieldsOf(m: { state: string; raw: string; base: number | null; slot: number; markDate: string }): { type: MarkSystem; value: string; textValue: string; number: number; date: string } {
  const type: MarkSystem = m.state === 'owed' ? 'point' : m.state === 'exempt' ? 'exempt' : 'mark5';
  const value = m.base === null ? MARK_SYSTEMS[type].values[0] : String(m.base);
  return { type, value, textValue: m.raw, number: m.slot, date: `${m.markDate}T00:00:00` };
}

/** `mood` of a mark: Good (4–5), Average (3), Bad (1–2), NotSet (no digit). */
export function moodOf(base: number | null): 'Good' | 'Average' | 'Bad' | 'NotSet' {
  if (base === null) return 'NotSet';
  return base >= 4 ? 'Good' : base === 3 ? 'Average' : 'Bad';
}

/** Reporting period `type` ⇄ canonical session kind. `Year` is how the emulator exposes year marks [U]. */
export const PERIOD_TYPE_TO_KIND = {
  Quarter: 'quarter', HalfYear: 'half_year', Semester: 'half_year', Trimester: 'trimester', Module: 'module', Year: 'school_year',
} as const;
export const KIND_TO_PERIOD_TYPE: Readonly<Record<string, keyof typeof PERIOD_TYPE_TO_KIND>> = {
  quarter: 'Quarter', half_year: 'HalfYear', trimester: 'Trimester', module: 'Module', school_year: 'Year',
};
/** Final-mark kind by the period it belongs to (a trimester's or a module's is a grading-period mark: final-kinds.ts). */
export const FINAL_KIND_BY_PERIOD_TYPE: Readonly<Record<string, RecordOf<'final_mark'>['kind']>> = Object.fromEntries(
  Object.entries(PERIOD_TYPE_TO_KIND).map(([type, kind]) => [type, finalKindOfPeriod(kind)!]),
);

/** Lesson `status` ⇄ canonical `lessonStatus`. */
export const LESSON_STATUS = { held: 'Held', cancelled: 'Cancelled', moved: 'Moved' } as const;

/**
 * `Work.type` of a homework. Дневник.ру keeps homework as works of the lesson (`POST works` carries `type` and `text`
 * [V kesha1225 create_lesson_work]; «Прикрепить тест к дз» attaches to `works/{workId}`), but the value naming a
 * homework is not in any public client [U]: this one constant is what to correct. Other works are journal columns.
 */
export const HOMEWORK_WORK_TYPE = 'Homework';
/** `Work.type` of a journal column (what `POST works` sends, src/mappers/dnevnik/write-bodies.ts). */
export const COLUMN_WORK_TYPE = 'LessonTestWork';
export const LESSON_STATUS_BACK = { Held: 'held', Planned: 'held', Cancelled: 'cancelled', Moved: 'moved' } as const;

/** `School.timeZone` is an hour offset; Russian zones have no DST, so one IANA zone per offset. */
export const ZONE_BY_OFFSET: Readonly<Record<number, string>> = {
  2: 'Europe/Kaliningrad', 3: 'Europe/Moscow', 4: 'Europe/Samara', 5: 'Asia/Yekaterinburg', 6: 'Asia/Omsk', 7: 'Asia/Krasnoyarsk',
  8: 'Asia/Irkutsk', 9: 'Asia/Yakutsk', 10: 'Asia/Vladivostok', 11: 'Asia/Magadan', 12: 'Asia/Kamchatka',
};
