// The АСУ РСО (NetSchool) mapper (PLATFORM-SLICE.md §3): pure, one function per declared route.
import { routeMapper, type Mapper, type RouteMapper } from '../../connectors/mapping.js';
import { mapDiary } from './diary.js';
import { mapStudentTotal } from './finals.js';
import { mapJournal, mapJournalEdit } from './journal.js';
import { mapAssignmentTypes, mapClasses, mapContext, mapStudentList, mapSubjectGroups, mapTerm } from './roster.js';

const ROUTES: Record<string, RouteMapper> = {
  subjectgroups: mapSubjectGroups,
  'grade/studentList': mapStudentList,
  'grade/assignment/types': mapAssignmentTypes,
  context: mapContext,
  'terms/{termId}': mapTerm,
  'grade/journal/filter/init': mapClasses,
  'grade/journal': mapJournal,
  'grade/journal/edit': mapJournalEdit,
  'student/diary': mapDiary,
  'files/{id}#studenttotal': mapStudentTotal,
};

/** Routes read for context only (ids, terms, codes, the child's id): nothing canonical of their own. */
const CONTEXT_ONLY = new Set([
  'schools/search', 'grade/journal/assignments/types/weights',
  'grade/attendance/reasons', 'student/diary/init', 'student/diary/assigns/{id}',
]);

export const asursoMapper: Mapper = routeMapper('asurso', ROUTES, CONTEXT_ONLY);

export { refOf, type AsursoRef } from './context.js';
export { type ReportPeriod } from './finals.js';
export { ATTENDANCE_LETTERS, letterOf, cellOf } from './codes.js';
