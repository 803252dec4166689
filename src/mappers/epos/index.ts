// The ЭПОС.Школа mapper (PLATFORM-SLICE.md §3): pure, one function per declared read route.
import { routeMapper, type Mapper, type RouteMapper } from '../../connectors/mapping.js';
import { mapAttendances, mapHomeworks, mapMarks, mapScheduleItems } from './journal.js';
import { mapAcademicYears, mapAttestationSchedules, mapControlForms, mapGroups, mapSchool, mapStudents, mapTeachers } from './roster.js';

const ROUTES: Record<string, RouteMapper> = {
  'core/api/schools/{id}': mapSchool,
  'core/api/academic_years': mapAcademicYears,
  'core/api/attestation_periods_schedules': mapAttestationSchedules,
  'core/api/control_forms': mapControlForms,
  'jersey/api/groups': mapGroups,
  'core/api/teacher_profiles': mapTeachers,
  'core/api/student_profiles': mapStudents,
  'jersey/api/schedule_items': mapScheduleItems,
  'core/api/marks': mapMarks,
  'core/api/attendances': mapAttendances,
  'core/api/student_homeworks': mapHomeworks,
};

/** Routes read only for context: none today (kept so a future one does not read as unmapped). */
const CONTEXT_ONLY = new Set<string>();

/** Pages that carry no mark or absence: one that does not read refuses no journal delete. */
const HOLD_NOTHING = new Set(['core/api/student_homeworks']);

export const eposMapper: Mapper = routeMapper('epos', ROUTES, CONTEXT_ONLY, HOLD_NOTHING);

export { refOf, type EposRef } from './context.js';
