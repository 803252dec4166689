// zod schemas of ЭПОС.Школа's own payloads (platforms.md §2.3–§2.6; МЭШ-classic shapes [A] where ЭПОС was
// not observed). Objects are loose (the platform adds fields); what the mapper needs is required. Ids are
// plain integers (no int64 twins: МЭШ ids stay far below 2^53).
import * as z from 'zod';

const id = z.number().int().positive();
/** `YYYY-MM-DD` (schedules, profiles). */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected YYYY-MM-DD' });
/** `dd.mm.yyyy` (mark dates and filters, «точка» due dates). */
export const RuDate = z.string().regex(/^\d{2}\.\d{2}\.\d{4}$/, { error: 'expected dd.mm.yyyy' });
/** `iso_date_time` with or without an offset (§2.6). */
export const IsoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, { error: 'expected an ISO date-time' });
/** An instant with an offset (`created_at`). */
export const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, { error: 'expected an ISO instant with offset' });

/** A session profile; a parent's lists the pupils it may see (`children`, МЭШ [A]). */
export const SessionProfile = z.looseObject({ id, type: z.string(), school_id: z.number().int().optional(), children: z.array(z.looseObject({ id })).optional() });
/** `POST lms/api/sessions` (§2.3 a step 6). */
export const Session = z.looseObject({
  authentication_token: z.string().min(1), id: z.number().int().optional(), profiles: z.array(SessionProfile).min(1, { error: 'the session has no profiles' }),
});
export type Session = z.infer<typeof Session>;

/** `core/api/schools/{id}` [A]. */
export const School = z.looseObject({ id, name: z.string().min(1), short_name: z.string().nullable().optional() });

export const AcademicYear = z.looseObject({ id, name: z.string(), begin_date: IsoDate, end_date: IsoDate, current_year: z.boolean().optional() });
export type AcademicYear = z.infer<typeof AcademicYear>;

export const ControlForm = z.looseObject({
  id, name: z.string().min(1), weight: z.number().int().min(0).max(100), subject_id: z.number().int().nullable().optional(),
  grade_system_id: z.number().int(), grade_system: z.looseObject({ name: z.string(), type: z.string() }), deleted_at: z.string().nullable().optional(),
});
export type ControlForm = z.infer<typeof ControlForm>;

/** `core/api/attestation_periods_schedules` [U]: quarters or half-years and the class units following them. */
export const AttestationSchedule = z.looseObject({
  id, class_unit_ids: z.array(z.number().int()),
  periods: z.array(z.looseObject({ id, name: z.string(), type: z.enum(['quarter', 'half_year']), starts_at: IsoDate, ends_at: IsoDate })),
});

/** `jersey/api/groups`: a whole-class group lists its `subgroup_ids` (§2.4: subgroups!). */
export const Group = z.looseObject({
  id, name: z.string().min(1), subject_id: z.number().int().nullable(), subject_name: z.string().nullable().optional(),
  class_unit_ids: z.array(z.number().int()), class_unit_name: z.string().nullable().optional(), student_ids: z.array(z.number().int()).default([]),
  subgroup_ids: z.array(z.number().int()).default([]),
});
export type Group = z.infer<typeof Group>;

const Sex = z.enum(['male', 'female']).nullable().optional();
const Names = { last_name: z.string().min(1), first_name: z.string().min(1), middle_name: z.string().nullable().optional(), birth_date: IsoDate.nullable().optional(), sex: Sex };

/**
 * A pupil's parent (`with_parents`). `email` and `phone` [U]: platforms.md lists no parent fields; the names are those
 * of a МЭШ family-API representative (x3lfyn/libremesh `dto/profile/Representative.kt`), assumed here — the one place
 * (docs/platforms/epos.md). A value that is no string is no contact, never a reason to quarantine the parent.
 */
export const Parent = z.looseObject({
  id, user_id: z.number().int().optional(), ...Names, type: z.string(),
  email: z.string().nullable().optional().catch(null), phone: z.string().nullable().optional().catch(null),
});

export const FinalMark = z.looseObject({
  id, group_id: id, subject_id: z.number().int(), value: z.string().min(1),
  attestation_period: z.looseObject({ id, name: z.string(), type: z.enum(['quarter', 'half_year', 'year']) }),
  avg_five: z.string().nullable().optional(), created_at: Instant, teacher_id: id,
});

/** `core/api/student_profiles` (list, `with_groups`, `with_parents`, `with_final_marks`). */
export const StudentProfile = z.looseObject({
  id, user_id: z.number().int().optional(), short_name: z.string().optional(), ...Names,
  class_unit: z.looseObject({ id, name: z.string(), class_level_id: z.number().int().min(1).max(11) }).nullable(),
  groups: z.array(z.looseObject({ id })).default([]), parents: z.array(z.unknown()).default([]), final_marks: z.array(z.unknown()).default([]),
});
export type StudentProfile = z.infer<typeof StudentProfile>;

export const TeacherProfile = z.looseObject({
  id, user_id: z.number().int().optional(), ...Names, subject_ids: z.array(z.number().int()).default([]),
  assigned_group_ids: z.array(z.number().int()).default([]),
});

/** `jersey/api/schedule_items` (§2.4): `date` is `YYYY-MM-DD`, `iso_date_time` with or without `Z`. */
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const ScheduleItem = z.object({
  id, date: IsoDate, iso_date_time: IsoDateTime, study_ordinal: z.number().int().min(0).max(12), duration: z.number().int().positive(),
  group_id: id, subject_id: z.number().int(), teacher_id: id, replaced: z.boolean().default(false),
  replacement_teacher_id: z.number().int().nullable().optional(), cancelled: z.boolean().default(false),
  is_transferred: z.boolean().default(false), lesson_name: z.string().nullable().optional(),
});
export type ScheduleItem = z.infer<typeof ScheduleItem>;

/**
 * `core/api/student_homeworks` (§2.4 [A] МЭШ): one entry per homework a pupil sees. What ties it to a lesson is
 * the group and the day it was set (`date_assigned_on`); `schedule_lesson_id` where the platform names the lesson
 * itself (the emulator does; public МЭШ clients do not show it — connectors/epos/homework.ts decides).
 */
export const StudentHomework = z.looseObject({
  id,
  homework_entry: z.looseObject({
    id, description: z.string().nullable(),
    homework: z.looseObject({ group_id: id, date_assigned_on: RuDate, date_prepared_for: RuDate, schedule_lesson_id: z.number().int().positive().nullable().optional() }),
  }),
});
export type StudentHomework = z.infer<typeof StudentHomework>;

/**
 * One scale value of a mark. Two shapes are seen (§2.2): МЭШ `{grade: {origin, five, hundred}}` and ЭПОС
 * (AntiEpos `AEMarkValue`) `{original, five, hundred, nmax}`. Both are accepted and normalised here.
 */
const scale = z.number().nullable().optional();
export interface NormalisedValue { original: string; five: number | null; hundred: number | null; nmax: number | null }
// One object schema with both shapes' fields (a union would build a failed-branch error for every mark of
// the shape listed second — the mapper's hottest path).
export const MarkValue = z.looseObject({
  original: z.string().optional(), five: scale, hundred: scale, nmax: scale,
  grade: z.looseObject({ origin: z.string(), five: scale, hundred: scale }).optional(),
}).refine((v) => v.grade !== undefined || v.original !== undefined, { error: 'a mark value needs grade.origin (МЭШ) or original (ЭПОС)' })
  .transform((v): NormalisedValue => (v.grade
    ? { original: v.grade.origin, five: v.grade.five ?? null, hundred: v.grade.hundred ?? null, nmax: v.nmax ?? null }
    : { original: v.original!, five: v.five ?? null, hundred: v.hundred ?? null, nmax: v.nmax ?? null }));

/** `core/api/marks` [A МЭШ]: `date` and `point_date` are `dd.mm.yyyy`; `is_point` = «точка». */
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const Mark = z.object({
  id, name: z.string(), weight: z.number().int().min(0).max(100), teacher_id: id, comment: z.string().nullable().optional(),
  schedule_lesson_id: id, student_profile_id: id, is_exam: z.boolean().default(false), is_point: z.boolean().default(false),
  point_date: RuDate.nullable().optional(), group_id: id, control_form_id: id, date: RuDate, created_at: Instant,
  values: z.array(MarkValue).min(1),
});
export type Mark = z.infer<typeof Mark>;

/** `core/api/attendances` [U: the read route is inferred from the МЭШ write route]. */
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const Attendance = z.object({
  id, schedule_lesson_id: id, student_profile_id: id, absence_reason_id: z.number().int(), absence_reason: z.string().optional(),
  late_minutes: z.number().int().nonnegative().nullable().optional(), created_at: Instant, teacher_id: id,
});

/** `reports/api/progress/json` (§2.4 [V]): averages are strings. */
export const ProgressMark = z.looseObject({
  control_form_id: z.number().int(), control_form_name: z.string(), date: RuDate, is_exam: z.boolean(), is_point: z.boolean(),
  weight: z.number().int(), values: z.array(MarkValue).min(1), topic_name: z.string().nullable().optional(),
});
export const ProgressSubject = z.looseObject({
  subject_name: z.string(), avg_five: z.string().nullable(),
  periods: z.array(z.looseObject({ name: z.string(), start_iso: IsoDate, end_iso: IsoDate, avg_five: z.string().nullable(), marks: z.array(z.unknown()) })),
});

/** Error body `{code, message}` (§2.6). */
export const ApiError = z.looseObject({ code: z.union([z.number(), z.string()]), message: z.string() });
