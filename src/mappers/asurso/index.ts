// The АСУ РСО (NetSchool) mapper (PLATFORM-SLICE.md §3): pure, one function per declared route.
import { emptyMapResult, PayloadSchemaError, type Mapper, type MapContext, type MapResult } from '../../connectors/mapping.js';
import { mapDiary } from './diary.js';
import { mapJournal, mapJournalEdit } from './journal.js';
import { mapAssignmentTypes, mapClasses, mapContext, mapStudentList, mapSubjectGroups, mapTerm } from './roster.js';

const ROUTES: Record<string, (route: string, payload: unknown, ctx: MapContext) => MapResult> = {
  subjectgroups: mapSubjectGroups,
  'grade/studentList': mapStudentList,
  'grade/assignment/types': mapAssignmentTypes,
  context: mapContext,
  'terms/{termId}': mapTerm,
  'grade/journal/filter/init': mapClasses,
  'grade/journal': mapJournal,
  'grade/journal/edit': mapJournalEdit,
  'student/diary': mapDiary,
};

/** Routes read for context only (ids, terms, codes, the child's id): nothing canonical of their own. */
const CONTEXT_ONLY = new Set([
  'schools/search', 'grade/journal/assignments/types/weights',
  'grade/attendance/reasons', 'student/diary/init', 'student/diary/assigns/{id}',
]);

export const asursoMapper: Mapper = (route, payload, ctx) => {
  const fn = ROUTES[route];
  if (fn) {
    try {
      return fn(route, payload, ctx);
    } catch (e) {
      // A page whose envelope does not match: one quarantine line naming route and field, never a crash.
      if (e instanceof PayloadSchemaError) return { records: [], quarantine: [{ route, field: e.path, reason: e.message }] };
      throw e;
    }
  }
  if (CONTEXT_ONLY.has(route)) return emptyMapResult();
  return { records: [], quarantine: [{ route, reason: `route "${route}" has no mapper (see journal-gateway map asurso --list)` }] };
};

export { refOf, type AsursoRef } from './context.js';
export { ATTENDANCE_LETTERS, letterOf, cellOf } from './codes.js';
