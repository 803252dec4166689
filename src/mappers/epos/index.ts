// The ЭПОС.Школа mapper (PLATFORM-SLICE.md §3): pure, one function per declared read route.
import { emptyMapResult, PayloadSchemaError, type Mapper, type MapContext, type MapResult } from '../../connectors/mapping.js';
import { mapAttendances, mapMarks, mapScheduleItems } from './journal.js';
import { mapAcademicYears, mapAttestationSchedules, mapControlForms, mapGroups, mapSchool, mapStudents, mapTeachers } from './roster.js';

const ROUTES: Record<string, (route: string, payload: unknown, ctx: MapContext) => MapResult> = {
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
};

/** Routes read only for context: none today (kept so a future one does not read as unmapped). */
const CONTEXT_ONLY = new Set<string>();

export const eposMapper: Mapper = (route, payload, ctx) => {
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
  return { records: [], quarantine: [{ route, reason: `route "${route}" has no mapper (see journal-gateway map epos --list)` }] };
};

export { refOf, type EposRef } from './context.js';
