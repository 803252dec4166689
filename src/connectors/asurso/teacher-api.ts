// NetSchool teacher-side web API (platforms.md §1.6) — THE one place these shapes live.
//
// [U] Everything in this file comes from NetSchool's own front-end scripts of unknown version
// (platforms.md §1.6, §6.3 item 2); no public wrapper has called these routes. Where the scripts only
// show `…`, the fields below are assumptions of this gateway, marked «[U-gw]». When a real response is
// seen, correct the schema here: the connector, the mapper and the emulator all read these types, so a
// correction is one edit plus whatever the tests then point at.
import * as z from 'zod';
import { workTypeByName } from '../../model/work-types.js';

const int = z.number().int();
/** `assignmentTypes.homeWork = 3` in NetSchool's own scripts (§1.6): the type of a lesson's homework. */
export const HOMEWORK_TYPE_ID = 3;
/** NetSchool JSON dates: `2025-09-01T00:00:00`, no offset, the school's wall time (§1.8). */
export const NsDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/, { error: 'expected a NetSchool date without offset' });
const hhmm = z.string().regex(/^\d{2}:\d{2}$/, { error: 'expected HH:MM' });

/** `GET grade/journal/filter/init`: filter sources `PCLID_IUP` (value `<id>_<isIup>`), `TERMID`. */
export const FilterInit = z.looseObject({
  filterSources: z.array(z.looseObject({
    filterId: z.string(),
    items: z.array(z.looseObject({ title: z.string(), value: z.string() })),
  })),
});
export type FilterInit = z.infer<typeof FilterInit>;

/** `GET terms/{termId}` [U-gw: fields]. `termType` names the kind of the period. */
export const Term = z.looseObject({
  id: int, name: z.string(), startDate: NsDate, endDate: NsDate,
  termType: z.enum(['quarter', 'half_year', 'trimester', 'year']), number: int,
});
export type Term = z.infer<typeof Term>;

/** A person as the teacher routes name one [U-gw: split name fields, as `mysettings` has them]. */
export const NsPerson = z.looseObject({
  id: int, lastName: z.string().min(1), firstName: z.string().min(1), middleName: z.string().nullable().optional(),
});

/** `GET subjectgroups?classId=` (seen in a teacher dashboard, §1.6) [U-gw: fields]. `name` is `5ж/Русский язык`. */
export const SubjectGroup = z.looseObject({
  id: int, name: z.string(), classId: int, className: z.string(), subjectId: int, subjectName: z.string(),
  subgroupName: z.string().nullable().optional(), teachers: z.array(NsPerson),
});
export type SubjectGroup = z.infer<typeof SubjectGroup>;

/** `GET grade/studentList?sgId=` [U-gw: fields]. */
export const StudentListItem = NsPerson.extend({ nickName: z.string().optional() });

/** `GET grade/journal/assignments/types/weights`: weight per assignment type of the school. */
export const TypeWeight = z.looseObject({ typeId: int, weight: z.number() });

/** `GET grade/attendance/reasons?lng=ru`: the server's attendance codes (`mark` = the letter). */
export const AttendanceReason = z.looseObject({ id: int, mark: z.string().min(1), name: z.string() });

/** One result cell: an integer mark 1…maxMark or null; `dutyMark: true` (grid) or `duty: true` (edit) with null = «точка» (§1.6, §1.8). */
export const Result = z.looseObject({
  studentId: int, mark: int.nullable(), dutyMark: z.boolean().optional(), duty: z.boolean().optional(),
  /** [U-gw] the day the mark was set (the mobile API's `resultDate`). */
  date: NsDate.optional(),
});
export type Result = z.infer<typeof Result>;

/**
 * An assignment (journal column) with its own `weight` (§1.8).
 *
 * Homework is an assignment too: type {@link HOMEWORK_TYPE_ID} («Домашнее задание», `grade/assignment/types`), its
 * `assignmentName` the text, its `dueDate` the day it is due. [U-gw] It belongs to the class meeting it is SET at
 * (the meeting's date is the day given, `dueDate` a later lesson's), as the canonical lesson holds it: which meeting
 * NetSchool attaches it to is not seen in a payload. [U-gw] A column of that type named by a work type's own name
 * (what quickedit names a column it creates, `assignId: null`) or by nothing carries marks, not a text.
 */
export const Assignment = z.looseObject({
  id: int, typeId: int, assignmentName: z.string(), weight: z.number(), dueDate: NsDate.nullable().optional(),
  results: z.array(z.unknown()).default([]),
  comments: z.array(z.looseObject({ studentId: int, text: z.string() })).default([]),
});
export type Assignment = z.infer<typeof Assignment>;

/** Attendance of one pupil on one lesson: `reason` is a letter of `grade/attendance/reasons`. */
export const AttendanceCell = z.looseObject({ studentId: int, reason: z.string().min(1) });

/** A lesson («урок», class meeting) of `grade/journal`. [U-gw: everything after `assignments`.] */
export const ClassMeeting = z.looseObject({
  id: int, date: NsDate, scheduleTimeNumber: int.min(0).max(12), startTime: hhmm.optional(), endTime: hhmm.optional(),
  lessonTheme: z.string().nullable().optional(), teacherId: int, substituteTeacherId: int.nullable().optional(),
  canceled: z.boolean().optional(), assignments: z.array(z.unknown()).default([]), attendance: z.array(z.unknown()).default([]),
});
export type ClassMeeting = z.infer<typeof ClassMeeting>;

/** `GET grade/journal?yearId&classId&sgId&termId`. */
export const Journal = z.looseObject({
  journals: z.array(z.looseObject({
    subjectGroupId: int, students: z.array(int).default([]), classMeeting: z.array(z.unknown()).default([]),
    lastAccess: z.looseObject({ date: NsDate.nullable().optional(), nickName: z.string().nullable().optional() }).nullable().optional(),
  })),
  editLimit: z.looseObject({ readOnly: z.boolean().optional() }).optional(),
  markSettings: z.looseObject({ minMark: int, maxMark: int }),
  lastEditCmId: int.nullable().optional(),
});
export type Journal = z.infer<typeof Journal>;

/** `GET grade/journal/edit?cmid&sgId&termId`: one lesson. */
export const JournalEdit = z.looseObject({
  attendance: z.array(z.unknown()).default([]),
  assignments: z.array(z.unknown()).default([]),
  lesson: ClassMeeting.omit({ assignments: true, attendance: true }),
});
export type JournalEdit = z.infer<typeof JournalEdit>;

/**
 * `POST grade/journal/quickedit` (§1.6): `assignId: null` creates the column; `mark: null, dutyMark: true`
 * is «точка»; `mark: null` without dutyMark clears the cell. `attendance` item shape is [U-gw].
 */
export interface QuickEditBody {
  sgId: number;
  results: { cmId: number; assignId: number | null; assignTypeId: number; studentId: number; mark: number | null; dutyMark?: boolean }[];
  attendance: { cmId: number; studentId: number; reason: string | null }[];
}
/** Answer of quickedit [U-gw]: the columns it used or created. */
export const QuickEditAnswer = z.looseObject({
  results: z.array(z.looseObject({ cmId: int, assignId: int, studentId: int })).default([]),
});

/**
 * The homework text a homework-type column's name is, or undefined: [U-gw] a blank name, or a work type's own name
 * («Домашнее задание» — quickedit's name for a column it creates), is a column for marks with no text behind it.
 */
export function homeworkTextOf(assignmentName: string): string | undefined {
  const text = assignmentName.trim();
  return text && !workTypeByName(text) ? text : undefined;
}
