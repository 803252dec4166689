// Journal entities: Lesson → Work → Mark and Lesson → AttendanceRecord (canonical-model.md §A.2.10–A.2.16).
import * as z from 'zod';
import { Instant, LocalDate, LocalTime } from '../dates.js';
import { entitySchema } from '../envelope.js';
import { AttendanceKind, AttendanceReason, FinalMarkKind, LessonStatus, MarkModifier, MarkState } from '../enums.js';

const uuid = z.uuid();

export const Homework = z.strictObject({
  text: z.string().optional(),
  /** «Не задано» (seed 000 §3.9): the teacher recorded that nothing was assigned. */
  notAssigned: z.boolean().default(false),
  dueDate: LocalDate.optional(),
  attachments: z.array(z.string()).default([]),
});

export const Lesson = entitySchema('lesson', {
  sectionId: uuid,
  date: LocalDate,
  lessonNumber: z.number().int().min(0).max(12),
  startTime: LocalTime.optional(),
  endTime: LocalTime.optional(),
  topic: z.string().optional(),
  homework: Homework.optional(),
  scheduledTeacherId: uuid,
  substituteTeacherId: uuid.optional(),
  subgroup: z.string().optional(),
  lessonStatus: LessonStatus,
  recordedAt: Instant,
  recordedBy: uuid,
});

export const WorkType = entitySchema('work_type', {
  code: z.string().min(1),
  nameRu: z.string().min(1),
  weight: z.number().int().min(1).max(100),
  /** Set for a per-school override of the regional default weight. */
  organizationId: uuid.optional(),
});

export const MarkScaleValue = z.strictObject({
  raw: z.string().min(1),
  base: z.number().int(),
  modifier: MarkModifier,
  numeric: z.number(),
  passing: z.boolean(),
});

export const MarkScale = entitySchema('mark_scale', {
  code: z.string().min(1),
  title: z.string().min(1),
  values: z.array(MarkScaleValue).min(1),
  allowsModifiers: z.boolean(),
  /** Raw values allowed as final marks. */
  finalWhitelist: z.array(z.string()).min(1),
  /** How "5-"/"4+" become numbers in averages (R-13; canonical-model.md §E.2). */
  modifierPolicy: z.strictObject({ plus: z.number(), minus: z.number() }),
});

export const Work = entitySchema('work', {
  sectionId: uuid,
  lessonId: uuid,
  workTypeCode: z.string().min(1),
  title: z.string().min(1),
  assignedDate: LocalDate,
  dueDate: LocalDate.optional(),
  gradingPeriodId: uuid,
  scaleId: uuid,
  weightOverride: z.number().int().min(1).max(100).optional(),
});

export const Mark = entitySchema('mark', {
  studentId: uuid,
  workId: uuid,
  /** Denormalised from the work so per-cell rules need no join. */
  lessonId: uuid,
  slot: z.union([z.literal(1), z.literal(2)]),
  raw: z.string(),
  base: z.number().int().nullable(),
  modifier: MarkModifier,
  numeric: z.number().nullable(),
  state: MarkState,
  retakeOfMarkId: uuid.optional(),
  weightApplied: z.number().int().min(0).max(100),
  comment: z.string().optional(),
  markDate: LocalDate,
  recordedAt: Instant,
  recordedBy: uuid,
  publishedToFamilyAt: Instant.optional(),
});

export const FinalMark = entitySchema('final_mark', {
  studentId: uuid,
  sectionId: uuid,
  kind: FinalMarkKind,
  periodId: uuid,
  raw: z.string().min(1),
  base: z.number().int().nullable(),
  computedAverage: z.number().optional(),
  isCurrent: z.boolean().optional(),
  recordedAt: Instant,
  recordedBy: uuid,
});

export const AttendanceRecord = entitySchema('attendance_record', {
  studentId: uuid,
  lessonId: uuid,
  kind: AttendanceKind,
  reason: AttendanceReason,
  minutesLate: z.number().int().nonnegative().optional(),
  rawCode: z.string().min(1),
  recordedAt: Instant,
  recordedBy: uuid,
});
