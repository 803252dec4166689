// The ЭлЖур mapper (PLATFORM-SLICE.md §3): pure, one function per declared route, JSON and XML alike
// (`ctx.format`; the XML reading lives in ./xml.ts).
import { emptyMapResult, routeMapper, type Mapper, type RouteMapper } from '../../connectors/mapping.js';
import { resultOf } from './context.js';
import { mapFinals } from './finals.js';
import { mapDays } from './lessons.js';
import { mapMarks } from './marks.js';
import { mapRules } from './roster.js';

const ROUTES: Record<string, RouteMapper> = {
  getrules: mapRules,
  getdiary: mapDays,
  getschedule: mapDays,
  getmarks: mapMarks,
  getfinalassessments: mapFinals,
};

/** Read for context only: the login and the vendor list. */
const CONTEXT_ONLY = new Set(['auth', 'getusersvendors']);
/** Periods (→ `ids.periods`) and homework (carried by the diary items) are read for context, but still validated. */
const validatedOnly: RouteMapper = (route, payload, ctx) => {
  resultOf(route, payload, ctx.format);
  return emptyMapResult();
};

export const eljurMapper: Mapper = routeMapper('eljur', { ...ROUTES, getperiods: validatedOnly, gethomework: validatedOnly }, CONTEXT_ONLY);

export { parseEljurXml, toEljurXml, EljurXmlError } from './xml.js';
