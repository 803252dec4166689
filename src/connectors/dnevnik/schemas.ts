// zod schemas of Дневник.ру's own payloads (platforms.md §3.3). Every int64 id comes with a string twin
// (`id_str`, `person_str`, `IdStr`…): ONLY the twins are read — a JSON.parse of `id` loses digits above
// 2^53 (§3.5). Objects are loose (the platform adds fields); what the mapper needs is required.
import * as z from 'zod';
import { PLATFORM_STAMP } from '../../model/dates.js';

const idStr = z.string().regex(/^\d+$/, { error: 'expected a decimal int64 string' });
/** Local date-time without offset (`2026-09-07T09:00:00`) or a plain date. */
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/, { error: 'expected a local date-time' });
/**
 * A reporting period's `start`/`finish`: the local form above, or a date-time with `Z` or a UTC offset
 * (`2025-08-31T20:00:00Z`, `2025-09-01T00:00:00+04:00`). The connector already took such stamps for the school's day
 * (year-groups.ts, school-year.ts); this schema quarantined the period, and with it every class's year. The mapper
 * takes its days with model/dates.ts localDayOf, so an instant names the school's day, not the UTC one; the pattern is
 * the one localDayOf reads (PLATFORM_STAMP: an offset only after a time, `T` and `Z` upper-case).
 */
const periodStamp = z.string().regex(PLATFORM_STAMP, { error: 'expected a date-time, local or with Z or a UTC offset' });

export const School = z.looseObject({
  id_str: idStr, name: z.string(), fullName: z.string().optional(),
  /** Hours from UTC (`3` = Moscow). */
  timeZone: z.number().int(), uses_avg: z.boolean().optional(), uses_weighted_avg: z.boolean().optional(),
});
export type School = z.infer<typeof School>;

export const Context = z.looseObject({
  userId_str: idStr.optional(), personId_str: idStr.optional(),
  schools: z.array(z.looseObject({ id_str: idStr, name: z.string() })).default([]),
  roles: z.array(z.string()).default([]),
});

export const SubjectRef = z.looseObject({ id_str: idStr, name: z.string() });
export const EduGroup = z.looseObject({
  id_str: idStr, type: z.enum(['Group', 'Subgroup']), name: z.string(), fullName: z.string().optional(),
  parentIds_str: z.array(idStr).default([]), parallel: z.number().int().optional(), studyyear: z.number().int(),
  subjects: z.array(SubjectRef).default([]),
});
export type EduGroup = z.infer<typeof EduGroup>;

export const Person = z.looseObject({
  id_str: idStr, userId_str: idStr.optional(), firstName: z.string().min(1), lastName: z.string().min(1),
  middleName: z.string().nullable().optional(), shortName: z.string().optional(), sex: z.enum(['Male', 'Female']).nullable().optional(),
});
export type Person = z.infer<typeof Person>;

/** `schools/{id}/teachers` answers in PascalCase (§3.5). */
export const Teacher = z.looseObject({
  IdStr: idStr, FirstName: z.string().min(1), LastName: z.string().min(1), MiddleName: z.string().nullable().optional(),
  Sex: z.enum(['Male', 'Female']).nullable().optional(), DateBirth: localDateTime.nullable().optional(),
  // §3.3 [V]; a value that is no string is no contact, never a reason to quarantine the teacher.
  Email: z.string().nullable().optional().catch(null),
});
export type Teacher = z.infer<typeof Teacher>;

export const Relative = z.looseObject({
  relativeType: z.string(), person: Person,
});

export const ReportingPeriod = z.looseObject({
  id_str: idStr, start: periodStamp, finish: periodStamp, number: z.number().int(),
  type: z.enum(['Quarter', 'Semester', 'Trimester', 'HalfYear', 'Module', 'Year']), name: z.string(), year: z.number().int(),
});

export const Subject = z.looseObject({ idStr: idStr, name: z.string(), knowledgeArea: z.string().nullable().optional() });

export const WorkType = z.looseObject({ id: z.number(), id_str: idStr.optional(), title: z.string(), abbr: z.string().optional(), weight: z.number().int() });

// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const Work = z.object({
  id_str: idStr, type: z.string().optional(), workType: z.number(), workType_str: idStr.optional(), markType: z.string(), markCount: z.number().int().optional(),
  lesson_str: idStr, eduGroup_str: idStr, subjectId_str: idStr, periodNumber: z.number().int().optional(),
  periodType: z.string().optional(), text: z.string().nullable().optional(), targetDate: localDateTime.nullable().optional(),
  sentDate: localDateTime.nullable().optional(),
});
export type Work = z.infer<typeof Work>;

// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const Lesson = z.object({
  id_str: idStr, title: z.string().nullable().optional(), date: localDateTime, number: z.number().int().min(0).max(12),
  subject: z.looseObject({ id_str: idStr }), group: z.looseObject({ id_str: idStr }),
  teachersStr: z.array(idStr).default([]), status: z.enum(['Planned', 'Held', 'Cancelled', 'Moved']), works: z.array(z.unknown()).default([]),
});
export type Lesson = z.infer<typeof Lesson>;

/** A mark: `value`/`textValue` are strings under a mark system `type` (`mark5`, …); `mood` classifies it. */
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const Mark = z.object({
  id_str: idStr, type: z.string().min(1), value: z.string(), textValue: z.string().nullable().optional(),
  person_str: idStr, work_str: idStr, lesson_str: idStr.nullable().optional(), number: z.number().int().optional(),
  date: localDateTime, workType: z.number().optional(), mood: z.enum(['Good', 'Average', 'Bad', 'NotSet']).optional(),
});
export type Mark = z.infer<typeof Mark>;

export const LOG_ENTRY_STATUSES = ['Attend', 'Absent', 'Ill', 'Late', 'Pass'] as const;
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const LessonLogEntry = z.object({
  person_str: idStr, lesson_str: idStr, status: z.enum(LOG_ENTRY_STATUSES), comment: z.string().nullable().optional(),
  createdDate: localDateTime,
});
export type LessonLogEntry = z.infer<typeof LessonLogEntry>;

/** `edu-groups/{g}/final-marks`: hyphenated keys (§3.5). */
export const FinalMarksEntry = z.looseObject({
  person_str: idStr, group_str: idStr, reportingPeriod_str: idStr,
  'per-subject-final-marks': z.array(z.looseObject({ subject_str: idStr, 'final-mark': z.unknown() })),
});

export const MarkValues = z.array(z.looseObject({ type: z.string(), values: z.array(z.string()) }));

/** Error body of the API: `{type, description}` (§3.5). */
export const ApiError = z.looseObject({ type: z.string(), description: z.string().nullable().optional() });
