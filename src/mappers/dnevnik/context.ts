// What a Дневник.ру payload lacks and the connector knows (BatchContext.ids): the school's work types
// with weights (`work-types/{school}`) and the group's reporting periods, as one compact JSON string
// `ids.ref`, plus the edu-group's type/name/parallel. `map --context` takes the same keys.
import { refParser } from '../kit/make-record.js';

export { instantOf } from '../kit/wall-time.js';
export { makeRecord as make, idFor } from '../kit/make-record.js';

export interface DnevnikRef {
  /** work type id → [canonical work type code, weight]. */
  workTypes: Record<string, [string, number]>;
  /** reporting period id → [type, number]. */
  periods: Record<string, [string, number]>;
}

/** `ids.ref`, parsed once per distinct string (a mapper called on every page of a group reuses it). */
export const refOf = refParser<DnevnikRef>(() => ({ workTypes: {}, periods: {} }));

/** A section has no platform id: it is an edu-group × subject pair. */
export const sectionKey = (group: string, subject: string) => `${group}:${subject}`;
