// The Дневник.ру mapper (PLATFORM-SLICE.md §3): pure, one function per declared route.
import { emptyMapResult, PayloadSchemaError, type Mapper, type MapResult, type MapContext } from '../../connectors/mapping.js';
import { mapFinalMarks, mapLessons, mapLogEntries, mapMarks } from './journal.js';
import { mapEduGroups, mapPersons, mapRelatives, mapReportingPeriods, mapSchool, mapSubjects, mapTeachers, mapWorkTypes } from './roster.js';

const ROUTES: Record<string, (route: string, payload: unknown, ctx: MapContext) => MapResult> = {
  'schools/{id}': mapSchool,
  'schools/{id}/edu-groups': mapEduGroups,
  'edu-groups/{id}/persons': mapPersons,
  'schools/{id}/membership': mapPersons,
  'schools/{id}/teachers': mapTeachers,
  'users/{id}/relatives': mapRelatives,
  'work-types/{school}': mapWorkTypes,
  'schools/{id}/subjects': mapSubjects,
  'edu-groups/{id}/reporting-periods': mapReportingPeriods,
  'edu-groups/{g}/lessons/{from}/{to}': mapLessons,
  'edu-groups/{g}/marks/{from}/{to}': mapMarks,
  'lesson-log-entries/group/{g}': mapLogEntries,
  'edu-groups/{g}/final-marks': mapFinalMarks,
};

/** Routes read only for context (ids, periods, subjects, mark systems): nothing canonical of their own here. */
const CONTEXT_ONLY = new Set(['users/me/context', 'marks/values', 'works']);

export const dnevnikMapper: Mapper = (route, payload, ctx) => {
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
  return { records: [], quarantine: [{ route, reason: `route "${route}" has no mapper (see journal-gateway map dnevnik --list)` }] };
};

export { refOf, type DnevnikRef } from './context.js';
