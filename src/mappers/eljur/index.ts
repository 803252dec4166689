// The ЭлЖур mapper (PLATFORM-SLICE.md §3): pure, one function per declared route, JSON and XML alike
// (`ctx.format`; the XML reading lives in ./xml.ts).
import { emptyMapResult, routeMapper, type Mapper, type RouteMapper } from '../../connectors/mapping.js';
import { resultOf } from './context.js';
import { mapFinals } from './finals.js';
import { mapDiaryRoster } from './diary-roster.js';
import { mapDays } from './lessons.js';
import { mapMarks } from './marks.js';
import { mapPeriods } from './periods.js';
import { mapRules } from './roster.js';

const ROUTES: Record<string, RouteMapper> = {
  getrules: mapRules,
  // The roster read's diary pages (`ids.part = roster`) bring the structure; the journal read's, the lessons.
  getdiary: (route, payload, ctx) => (ctx.ids.part === 'roster' ? mapDiaryRoster : mapDays)(route, payload, ctx),
  getperiods: mapPeriods,
  getschedule: mapDays,
  getmarks: mapMarks,
  getfinalassessments: mapFinals,
};

/** Read for context only: the login and the vendor list. */
const CONTEXT_ONLY = new Set(['auth', 'getusersvendors']);
/**
 * Homework (carried by the diary items) is read for context, but still validated: a page that does not read is a line.
 * It hides no mark or absence (they come with getmarks), so its line refuses no journal delete (sync/partial-read.ts).
 */
const validatedOnly: RouteMapper = (route, payload, ctx) => {
  resultOf(route, payload, ctx.format);
  return emptyMapResult();
};

export const eljurMapper: Mapper = routeMapper('eljur', { ...ROUTES, gethomework: validatedOnly }, CONTEXT_ONLY, new Set(['gethomework']));

export { parseEljurXml, toEljurXml, EljurXmlError } from './xml.js';
