// zod schemas of NetSchool's web API payloads that public clients read (platforms.md §1.2, §1.5) [V].
// The teacher-side shapes (§1.6, [U]) live in ./teacher-api.ts.
import * as z from 'zod';
import { NsDate } from './teacher-api.js';

const int = z.number().int();

/** `GET logindata`: which login methods the host allows. `esiaMainAuth` = Госуслуги is the only way in. */
export const LoginData = z.looseObject({
  productName: z.string().optional(), version: z.string().optional(), schoolLogin: z.boolean().optional(),
  esiaLogin: z.boolean().optional(), esiaMainAuth: z.boolean().optional(),
});

/** `POST auth/getdata` → `{lt, ver, salt}` (strings of digits). */
export const GetData = z.looseObject({ lt: z.string().min(1), ver: z.string().min(1), salt: z.string().min(1) });

/** `POST login` answer (swagger `Login`). */
export const LoginAnswer = z.looseObject({
  at: z.string().min(1), timeOut: z.number().optional(), entryPoint: z.string().nullable().optional(),
  requestData: z.looseObject({ warnType: z.union([z.string(), z.number()]).optional() }).nullable().optional(),
  accountInfo: z.looseObject({ user: z.looseObject({ id: int }).optional() }).nullable().optional(),
});

/** `GET context`: `schoolYearId` (per school) is NOT `globalYearId` (country-wide year index) — §1.8. */
export const Context = z.looseObject({
  userId: int, schoolId: int, schoolYearId: int, globalYearId: int.optional(),
  organization: z.looseObject({ id: int, name: z.string() }).optional(),
  schoolyear: z.looseObject({ id: int, startDate: NsDate, endDate: NsDate }).optional(),
  roles: z.array(z.string()).default([]),
});
export type Context = z.infer<typeof Context>;

/** `GET schools/search?name=` item. */
/** `schools/search`: a school without an INN (many have none on record) answers `inn: null`. */
export const SchoolSearchItem = z.looseObject({ id: int, name: z.string(), shortName: z.string().optional(), inn: z.string().nullish() });

/** `GET grade/assignment/types?all=false`. */
export const AssignmentType = z.looseObject({ id: int, name: z.string(), abbr: z.string().nullable().optional(), order: int.optional() });

const DiaryStudent = z.looseObject({ studentId: int, nickName: z.string(), className: z.string().optional(), classId: int.optional() });
/**
 * `GET student/diary/init`: `students` is a list on most servers and an object keyed by index on some;
 * `currentStudentId` is sometimes the id, sometimes an index into `students` (§1.5; netschoolpy handles both).
 */
export const DiaryInit = z.looseObject({
  students: z.union([z.array(DiaryStudent), z.record(z.string(), DiaryStudent)]),
  currentStudentId: int.nullable().optional(),
  weekStart: NsDate.optional(), weight: z.boolean().optional(), maxMark: int.optional(),
});
export type DiaryInit = z.infer<typeof DiaryInit>;

/** The pupils of a diary/init answer and the current one, whatever form the server chose. */
export function diaryStudents(init: DiaryInit): { students: z.infer<typeof DiaryStudent>[]; current: z.infer<typeof DiaryStudent> | undefined } {
  const students = Array.isArray(init.students) ? init.students
    : Object.keys(init.students).sort((a, b) => Number(a) - Number(b)).map((k) => (init.students as Record<string, z.infer<typeof DiaryStudent>>)[k]);
  const c = init.currentStudentId;
  const byId = students.find((s) => s.studentId === c);
  // An id wins over an index: ids are large, indexes small; both readings are tried.
  const current = byId ?? (c !== null && c !== undefined && c >= 0 && c < students.length ? students[c] : students[0]);
  return { students, current };
}

/** A mark inside a diary assignment: integer or null; `dutyMark` = «точка». Absent when no mark. */
export const DiaryMark = z.looseObject({ assignmentId: int, studentId: int, mark: int.nullable(), dutyMark: z.boolean().optional() });
export const DiaryAssignment = z.looseObject({
  id: int, typeId: int, assignmentName: z.string(), weight: z.number().optional(), dueDate: NsDate.nullable().optional(),
  classMeetingId: int.optional(), mark: DiaryMark.nullable().optional(),
  markComment: z.looseObject({ name: z.string().nullable().optional() }).nullable().optional(),
});
export const DiaryLesson = z.looseObject({
  classmeetingId: int, day: NsDate, number: int, room: z.string().nullable().optional(), startTime: z.string().optional(), endTime: z.string().optional(),
  subjectName: z.string(), assignments: z.array(z.unknown()).default([]),
});
/** `GET student/diary`: `weekDays` may be absent on holidays. */
export const Diary = z.looseObject({
  weekStart: NsDate, weekEnd: NsDate, termName: z.string().nullable().optional(), className: z.string().nullable().optional(),
  weekDays: z.array(z.looseObject({ date: NsDate, lessons: z.array(z.unknown()).default([]) })).optional(),
});
export type Diary = z.infer<typeof Diary>;

/** `GET student/diary/assigns/{id}`: names the subject group of an assignment. */
export const AssignInfo = z.looseObject({
  id: int, assignmentName: z.string(), subjectGroup: z.looseObject({ id: int, name: z.string() }), weight: z.number().optional(),
  date: NsDate.optional(), teacher: z.looseObject({ id: int }).nullable().optional(),
});
