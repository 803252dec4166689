// ЭлЖур codes ⇄ canonical values (platforms.md §4.5). One table each, read by the mapper and the emulator,
// so the two can never disagree. Everything marked [U] below is an interpretation of fields whose meaning
// the public material does not pin down; it lives here and nowhere else (docs/platforms/eljur.md).
import { normaliseName } from '../../model/identity.js';
import type { RecordOf } from '../../model/records.js';

type Attendance = Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>;

/**
 * Absence entries share the marks arrays (`count:false, convert:0`, §4.5 [V BetterJournal MarkModel]):
 * `н`/`Н` absent, `оп`/`ОП` late. The reason-bearing codes `б` (болезнь), `уп` (уважительная причина),
 * `от` (отсутствие без причины), `нп` (неуважительная причина) are the regional set the synthetic school uses [U]. Compared lower case;
 * the raw code is kept as received.
 */
export const ABSENCE_CODES: Readonly<Record<string, Attendance>> = {
  'н': { kind: 'absent', reason: 'unknown' },
  'оп': { kind: 'late', reason: 'unknown' },
  'б': { kind: 'absent', reason: 'illness' },
  'уп': { kind: 'absent', reason: 'excused' },
  'от': { kind: 'absent', reason: 'unexcused' },
  'нп': { kind: 'absent', reason: 'unexcused' },
};
export const absenceOf = (value: string): Attendance | undefined => ABSENCE_CODES[value.trim().toLowerCase()];

/**
 * The ЭлЖур code for an absence recorded on another platform (an import package): the raw code when it is
 * already ЭлЖур's for the same kind and reason, else the first code of that kind and reason, else the raw
 * code unchanged (ЭлЖур's read-back then quarantines it by name rather than losing it).
 */
export function eljurAbsenceCode(a: Attendance & { rawCode: string }): string {
  const same = (x: Attendance | undefined) => x?.kind === a.kind && x.reason === a.reason;
  if (same(absenceOf(a.rawCode))) return a.rawCode;
  return Object.entries(ABSENCE_CODES).find(([, x]) => same(x))?.[0]
    ?? Object.entries(ABSENCE_CODES).find(([, x]) => x.kind === a.kind && x.reason === 'unknown')?.[0] ?? a.rawCode;
}

/** Mark values that are not digits: «точка» (owed, R-13) is `.` or empty; «осв» is an exemption. */
export function markStateOf(value: string): 'owed' | 'exempt' | undefined {
  const v = value.trim().toLowerCase();
  if (v === '.' || v === '') return 'owed';
  if (v === 'осв' || v === 'осв.') return 'exempt';
  return undefined;
}

/**
 * [U] `marks[].lesson_id` is the id of the lesson (занятие) the mark was given at — the same id as
 * `items[].lesson_id` of `getdiary` — while `lessons[].lesson_id` one level up is the subject. BetterJournal
 * documents `nm` as «индекс отметки за тот день»; it is read as the mark's place in its lesson
 * (1 = first column, 2 = second), the canonical slot. A third or later mark has no slot (0): R-09 allows two marks
 * of a pupil in a lesson, and taking slot 1 made it replace the first mark in the store without a trace.
 */
export const slotOf = (nm: number | undefined): 0 | 1 | 2 => (nm === undefined || nm <= 1 ? 1 : nm === 2 ? 2 : 0);

/** What a `getperiods` name says a period is: a session kind, the year, or holidays. */
export type EljurPeriodKind = 'quarter' | 'half_year' | 'trimester' | 'module' | 'year' | 'holiday';

/**
 * `getperiods` names → session kind [U]: «1 четверть», «2 полугодие» / «I семестр», «II триместр», «1 модуль», «Год» /
 * «учебный год»; the number, Arabic or Roman, is not read (the dates order the terms). Compared as names are
 * (`normaliseName`: case, ё/е, spaces). «Каникулы» («Осенние каникулы», «Летние каникулы», …) are `holiday`: some
 * installations list them among the periods, and they carry no marks — checked first, so «Каникулы после 1 четверти»
 * is no quarter. Before, every such name was quarantined and made each roster read partial (docs/platforms/eljur.md).
 */
export function periodKindOf(name: string): EljurPeriodKind | undefined {
  const n = normaliseName(name);
  if (n.includes('каникул')) return 'holiday';
  if (n.includes('четверт')) return 'quarter';
  if (n.includes('полугод') || n.includes('семестр')) return 'half_year';
  if (n.includes('триместр')) return 'trimester';
  if (n.includes('модул')) return 'module';
  // normaliseName joins words with «-»: «учебный-год», «2025/2026-год».
  if (/(^|-)год$|учебный-год/.test(n)) return 'year';
  return undefined;
}

/** ЭлЖур `gender` → canonical sex (`male`/`female`, or the Russian letters some installations send). */
export function sexOf(g: string | undefined): 'male' | 'female' | undefined {
  const v = (g ?? '').toLowerCase();
  if (v === 'male' || v === 'm' || v === 'м') return 'male';
  if (v === 'female' || v === 'f' || v === 'ж') return 'female';
  return undefined;
}

/** ЭлЖур `days=` and day keys are `YYYYMMDD`; canonical dates `YYYY-MM-DD`. */
export const compactDate = (d: string) => d.replace(/-/g, '');
export const isoDate = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

/** Source keys of long-lived records that ЭлЖур names rather than numbers (classes, subjects, sections). */
export const sectionKey = (cls: string, subject: string, grp?: string) => `${cls}|${subject}|${grp ?? ''}`;
export const periodKey = (start: string, end: string) => `${start}-${end}`;

/**
 * The school-year period key of `getperiods` rows: the period named as the year, else the span of all of them (an
 * installation may list the terms only). One rule for the connector's `ids.year` and the sessions the mapper emits,
 * so sections and classes hang off the year record the roster read brings in.
 */
export function yearKeyOf(rows: readonly (readonly [key: string, kind: string, start: string, end: string, name: string])[]): string {
  const year = rows.find((p) => p[1] === 'year');
  return year?.[0] ?? periodKey(rows.map((p) => p[2]).sort()[0] ?? '', rows.map((p) => p[3]).sort().at(-1) ?? '');
}


/**
 * A diary item's `teacher` → the teacher's names [U]: read as «Фамилия Имя Отчество» (the order ЭлЖур shows pupils
 * and staff in); «Фамилия И. О.» or a single word gives no given name and is refused — the lesson then keeps its
 * `teacher_id` with no person behind it and is quarantined as an orphan, never attached to a guessed name.
 */
export function teacherNameParts(full: string): { familyName: string; givenName: string; middleName?: string } | undefined {
  const [familyName, givenName, ...rest] = full.trim().split(/\s+/);
  // Any dot in the given name is an initial: «И.», and «И.О.» written without a space.
  if (!familyName || !givenName || givenName.includes('.')) return undefined;
  return { familyName, givenName, middleName: rest.length ? rest.join(' ') : undefined };
}
