// Closed canonical enumerations (canonical-model.md §A.3). Platform codes never land here directly:
// each mapper translates through its own table and sends unknown codes to quarantine.
import * as z from 'zod';

export const ROSTER_ENTITIES = [
  'organization', 'academic_session', 'person', 'role_assignment', 'homeroom_class',
  'subject', 'section', 'enrollment', 'guardian_link',
] as const;
export const JOURNAL_ENTITIES = [
  'lesson', 'work_type', 'mark_scale', 'work', 'mark', 'attendance_record', 'final_mark',
] as const;
export const GOVERNANCE_ENTITIES = [
  'journal_lock', 'unlock_order', 'archive_snapshot', 'sync_cursor', 'outbound_operation',
  'match_candidate', 'conflict',
] as const;

/**
 * Dependency order for upserts (canonical-model.md §C.2 item 3); deletes run in reverse.
 * work_type and mark_scale come before work because works reference them.
 */
export const ENTITY_ORDER = [
  'organization', 'academic_session', 'person', 'role_assignment', 'homeroom_class', 'subject',
  'section', 'enrollment', 'guardian_link', 'work_type', 'mark_scale', 'lesson', 'work', 'mark',
  'attendance_record', 'final_mark',
  ...GOVERNANCE_ENTITIES,
] as const;

export const EntityName = z.enum(ENTITY_ORDER);
export type EntityName = z.infer<typeof EntityName>;

export const RecordStatus = z.enum(['active', 'inactive', 'deleted']);
export const DeleteReason = z.enum(['source_tombstone', 'snapshot_absent', 'merged', 'manual']);
export const SourceSystem = z.enum([
  'asu_rso', 'epos', 'dnevnik_ru', 'eljur', 'oneroster_csv', 'oneroster_rest', 'edfi', 'gateway', 'synthetic',
]);
export type SourceSystem = z.infer<typeof SourceSystem>;

export const OrganizationType = z.enum(['region', 'municipality', 'school', 'branch']);
export const SessionKind = z.enum(['school_year', 'half_year', 'quarter', 'trimester', 'module', 'exam_period']);
export const Sex = z.enum(['male', 'female', 'unspecified']);
export const IdentifierKind = z.enum([
  'snils', 'esia_id', 'birth_certificate', 'passport', 'school_student_number', 'platform_user_id', 'email_login',
]);
export const Role = z.enum([
  'director', 'deputy_academic', 'deputy_upbringing', 'administrator', 'secretary', 'class_teacher',
  'subject_teacher', 'student', 'parent',
]);
export type Role = z.infer<typeof Role>;
export const GuardianRelation = z.enum(['mother', 'father', 'guardian', 'trustee', 'other']);
export const AccessScope = z.enum(['full', 'none']);
export const DigitalAccess = z.enum(['enabled', 'refused', 'unknown']);
export const EnrollmentRole = z.enum(['student', 'teacher', 'co_teacher', 'substitute', 'assistant']);
export const LessonStatus = z.enum(['held', 'cancelled', 'moved']);
export const MarkModifier = z.enum(['none', 'plus', 'minus']);
export type MarkModifier = z.infer<typeof MarkModifier>;
export const MarkState = z.enum(['graded', 'owed', 'exempt']);
export const FinalMarkKind = z.enum(['quarter', 'half_year', 'year', 'exam', 'final']);
export const AttendanceKind = z.enum(['absent', 'late']);
export const AttendanceReason = z.enum(['excused', 'unexcused', 'illness', 'unknown']);
