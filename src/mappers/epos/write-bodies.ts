// Canonical → ЭПОС write bodies (platforms.md §2.5 [A]: the МЭШ-classic teacher script, not observed on
// ЭПОС). THE one place the body shapes live: when a real ЭПОС teacher session is captured, change these.
import { addDays } from '../../model/dates.js';
import type { RecordOf } from '../../model/records.js';
import { ABSENCE_REASONS, absenceReasonIdOf, FIVE_POINT } from './codes.js';
import { ruFromIso } from './dates.js';

export interface MarkTargets { student: number; lesson: number; controlForm: number }

/**
 * `POST core/api/marks` / `PUT core/api/marks/{id}`. A «точка» needs a due date (`point_date`, dd.mm.yyyy);
 * the canonical mark has none, so `pointDueDate` or a week after the mark date is sent [U].
 */
export function markBody(m: Pick<RecordOf<'mark'>, 'state' | 'raw' | 'weightApplied' | 'comment' | 'markDate'>, t: MarkTargets, pointDueDate?: string) {
  const isPoint = m.state === 'owed';
  return {
    student_profile_id: t.student, schedule_lesson_id: t.lesson, control_form_id: t.controlForm, weight: m.weightApplied,
    comment: m.comment ?? '', is_exam: false, is_point: isPoint, point_date: isPoint ? ruFromIso(pointDueDate ?? addDays(m.markDate, 7)) : null,
    grade_origins: [{ grade_origin: m.raw, grade_system_id: FIVE_POINT.id }], grade_system_id: FIVE_POINT.id, grade_system_name: FIVE_POINT.name,
    grade_system_type: FIVE_POINT.type, valuesByIds: { [FIVE_POINT.id]: m.raw }, is_approve: false, is_criterion: false,
  };
}

/** `POST core/api/attendances` (§2.5). `late_minutes` is the gateway's addition for lateness [U]. */
export function attendanceBody(a: Pick<RecordOf<'attendance_record'>, 'kind' | 'reason' | 'minutesLate'>, t: { student: number; lesson: number }) {
  const id = absenceReasonIdOf(a);
  return {
    schedule_lesson_id: t.lesson, student_profile_id: t.student, absence_reason_id: id, absence_reason: ABSENCE_REASONS[id].label,
    ...(a.minutesLate !== undefined ? { late_minutes: a.minutesLate } : {}),
  };
}
