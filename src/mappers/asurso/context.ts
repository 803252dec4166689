// What a NetSchool payload lacks and the connector knows (BatchContext.ids), and the record builder.
// `ids.ref` is one compact JSON string: assignment type id → canonical work type code (from
// `grade/assignment/types`, matched by name) and the server's max mark. `map --context` takes the same keys.
import { refParser } from '../kit/make-record.js';

export { instantOf, dayOf } from '../kit/wall-time.js';
export { makeRecord as make, idFor } from '../kit/make-record.js';

export interface AsursoRef {
  /** assignment type id → canonical work type code. */
  types: Record<string, string>;
  maxMark: number;
}

/** `ids.ref`, parsed once per distinct string (it is the same on every page of a run). */
export const refOf = refParser<AsursoRef>(() => ({ types: {}, maxMark: 5 }));
