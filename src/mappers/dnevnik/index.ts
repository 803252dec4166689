// The Дневник.ру mapper (PLATFORM-SLICE.md §3): pure, one function per declared route.
import { routeMapper, type Mapper, type RouteMapper } from '../../connectors/mapping.js';
import { mapFinalMarks, mapLessons, mapLogEntries, mapMarks } from './journal.js';
import { mapGroupById } from './unread-group.js';
import { mapEduGroups, mapPersons, mapRelatives, mapReportingPeriods, mapSchool, mapSubjects, mapTeachers, mapWorkTypes } from './roster.js';

const ROUTES: Record<string, RouteMapper> = {
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
  // A group's own answer maps to nothing; a last-year group the platform refused is quarantined (unread-group.ts).
  'edu-groups/{id}': mapGroupById,
};

/**
 * Routes read only for context (ids, periods, subjects, mark systems) or by the writer (`works`, `marks/{id}`: where a mark the gateway
 * wrote sits, mark-cells.ts): nothing canonical of their own here.
 */
const CONTEXT_ONLY = new Set(['users/me/context', 'marks/values', 'works', 'marks/{id}', 'lessons/many', 'lessons/{id}/marks']);

export const dnevnikMapper: Mapper = routeMapper('dnevnik', ROUTES, CONTEXT_ONLY);

export { refOf, type DnevnikRef } from './context.js';
