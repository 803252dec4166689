// The ЭлЖур mapper (PLATFORM-SLICE.md §3): pure, one function per declared route, JSON and XML alike
// (`ctx.format`; the XML reading lives in ./xml.ts).
import { emptyMapResult, PayloadSchemaError, type MapContext, type Mapper, type MapResult } from '../../connectors/mapping.js';
import { resultOf } from './context.js';
import { mapFinals } from './finals.js';
import { mapDays } from './lessons.js';
import { mapMarks } from './marks.js';
import { mapRules } from './roster.js';

const ROUTES: Record<string, (route: string, payload: unknown, ctx: MapContext) => MapResult> = {
  getrules: mapRules,
  getdiary: mapDays,
  getschedule: mapDays,
  getmarks: mapMarks,
  getfinalassessments: mapFinals,
};

/** Read for context only (periods → `ids.periods`; homework is carried by the diary items). */
const CONTEXT_ONLY = new Set(['getperiods', 'gethomework', 'auth', 'getusersvendors']);

export const eljurMapper: Mapper = (route, payload, ctx) => {
  const fn = ROUTES[route];
  try {
    if (fn) return fn(route, payload, ctx);
    if (CONTEXT_ONLY.has(route)) {
      if (route === 'getperiods' || route === 'gethomework') resultOf(route, payload, ctx.format); // still validated
      return emptyMapResult();
    }
  } catch (e) {
    // A page whose envelope does not match: one quarantine line naming route and field, never a crash.
    if (e instanceof PayloadSchemaError) return { records: [], quarantine: [{ route, field: e.path, reason: e.message }] };
    throw e;
  }
  return { records: [], quarantine: [{ route, reason: `route "${route}" has no mapper (see journal-gateway map eljur --list)` }] };
};

export { parseEljurXml, toEljurXml, EljurXmlError } from './xml.js';
