// NetSchool codes ⇄ canonical values (platforms.md §1.8). One table each, read by the mapper, the write
// bodies and the emulator, so the three can never disagree.
import type { RecordOf } from '../../model/records.js';

type Attendance = Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>;

/**
 * Attendance letters (netschoolpy `SPECIAL_MARK_DESCRIPTIONS`): УП excused, Б ill, НП unexcused, ОТ absent
 * (no reason given), ОП late, ОСВ released from the lesson (taken as an excused absence). The server's own
 * list comes from `grade/attendance/reasons`; a letter outside this table goes to quarantine.
 */
export const ATTENDANCE_LETTERS: Readonly<Record<string, Attendance>> = {
  УП: { kind: 'absent', reason: 'excused' },
  Б: { kind: 'absent', reason: 'illness' },
  НП: { kind: 'absent', reason: 'unexcused' },
  ОТ: { kind: 'absent', reason: 'unknown' },
  ОП: { kind: 'late', reason: 'unknown' },
  ОСВ: { kind: 'absent', reason: 'excused' },
};

/** The letter a canonical attendance record is written as (ОСВ only when the raw code says so). */
export function letterOf(a: Attendance & { rawCode?: string }): string {
  if (a.rawCode === 'ОСВ') return 'ОСВ';
  if (a.kind === 'late') return 'ОП';
  return a.reason === 'excused' ? 'УП' : a.reason === 'illness' ? 'Б' : a.reason === 'unexcused' ? 'НП' : 'ОТ';
}

/** `dutyMark` with a null mark is «точка»: owed work, shown as `.`. */
export const DUTY_RAW = '.';

/** Canonical mark → NetSchool cell. Integer marks only: `5-` is written as 5 (the platform has no modifiers). */
export function cellOf(m: Pick<RecordOf<'mark'>, 'state' | 'base'>): { mark: number | null; dutyMark?: boolean } {
  if (m.state === 'owed') return { mark: null, dutyMark: true };
  return { mark: m.base };
}

/** Term kinds (`terms/{id}.termType`) ⇄ canonical academic session kinds. */
export const TERM_KINDS = ['quarter', 'half_year', 'trimester', 'year'] as const;
