// NetSchool codes ⇄ canonical values (platforms.md §1.8). One table each, read by the mapper, the write
// bodies and the emulator, so the three can never disagree.
import type { RecordOf } from '../../model/records.js';

type Attendance = Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>;

/**
 * Attendance letters (netschoolpy `SPECIAL_MARK_DESCRIPTIONS`): УП excused, Б ill, НП unexcused, ОТ absent — unexcused,
 * as canonical-model.md §A.3.2 maps it (ОТ, «н», НП) —, ОП late, ОСВ released from the lesson (taken as an excused
 * absence). The server's own list comes from `grade/attendance/reasons`; a letter outside this table goes to quarantine.
 */
export const ATTENDANCE_LETTERS: Readonly<Record<string, Attendance>> = {
  УП: { kind: 'absent', reason: 'excused' },
  Б: { kind: 'absent', reason: 'illness' },
  НП: { kind: 'absent', reason: 'unexcused' },
  ОТ: { kind: 'absent', reason: 'unexcused' },
  ОП: { kind: 'late', reason: 'unknown' },
  ОСВ: { kind: 'absent', reason: 'excused' },
};

/**
 * The letter a canonical attendance record is written as: its own letter when it came as one of these and still means
 * the same (ОТ stays ОТ, ОСВ stays ОСВ); else by kind and reason. NetSchool has no letter for "absent, no reason yet":
 * such an absence is written as ОТ, which reads back as unexcused (docs/platforms/asurso.md "Folded").
 */
export function letterOf(a: Attendance & { rawCode?: string }): string {
  const own = a.rawCode !== undefined ? ATTENDANCE_LETTERS[a.rawCode] : undefined;
  if (own && own.kind === a.kind && (own.reason === a.reason || a.kind === 'late')) return a.rawCode!;
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
