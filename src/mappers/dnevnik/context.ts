// What a Дневник.ру payload lacks and the connector knows (BatchContext.ids): the school's work types
// with weights (`work-types/{school}`) and the group's reporting periods, as one compact JSON string
// `ids.ref`, plus the edu-group's type/name/parallel. `map --context` takes the same keys.
import type { EntityName } from '../../model/enums.js';
import { canonicalIdFor, type MapContext } from '../../connectors/mapping.js';
import { instantOf, make } from '../kit.js';

export { instantOf, make };

export interface DnevnikRef {
  /** work type id → [canonical work type code, weight]. */
  workTypes: Record<string, [string, number]>;
  /** reporting period id → [type, number]. */
  periods: Record<string, [string, number]>;
}

let lastRefText: string | undefined;
let lastRef: DnevnikRef = { workTypes: {}, periods: {} };

/** Parses `ids.ref` once per distinct string (a mapper called on every page of a group reuses it). */
export function refOf(ctx: MapContext): DnevnikRef {
  const text = ctx.ids.ref as unknown;
  if (!text) return { workTypes: {}, periods: {} };
  if (typeof text === 'object') return { workTypes: {}, periods: {}, ...(text as Partial<DnevnikRef>) }; // `map --context` may pass it as JSON
  if (text !== lastRefText) {
    const parsed = JSON.parse(String(text)) as Partial<DnevnikRef>;
    lastRef = { workTypes: parsed.workTypes ?? {}, periods: parsed.periods ?? {} };
    lastRefText = String(text);
  }
  return lastRef;
}

export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string) => canonicalIdFor(ctx, entity, sourceId);
/** A section has no platform id: it is an edu-group × subject pair. */
export const sectionKey = (group: string, subject: string) => `${group}:${subject}`;
