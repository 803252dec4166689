// What an ЭПОС payload lacks and the connector knows (BatchContext.ids): the academic year id, and as one
// compact JSON string `ids.ref` the school's control forms (id → name, matched to work types here) and the
// subgroup labels (subgroup group id → label, from `jersey/api/groups`). `map --context` takes the same keys.
import type { EntityName } from '../../model/enums.js';
import { canonicalIdFor, type MapContext } from '../../connectors/mapping.js';

export interface EposRef {
  /** control form id → its name (`core/api/control_forms`). */
  controlForms: Record<string, string>;
  /** subgroup group id → label (`1 группа`). */
  subgroups: Record<string, string>;
}

let lastText: string | undefined;
let last: EposRef = { controlForms: {}, subgroups: {} };

/** Parses `ids.ref` once per distinct string (every page of a run reuses it). */
export function refOf(ctx: MapContext): EposRef {
  const text = ctx.ids.ref as unknown;
  if (!text) return { controlForms: {}, subgroups: {} };
  if (typeof text === 'object') return { controlForms: {}, subgroups: {}, ...(text as Partial<EposRef>) }; // `map --context` may pass JSON
  if (text !== lastText) {
    const p = JSON.parse(String(text)) as Partial<EposRef>;
    last = { controlForms: p.controlForms ?? {}, subgroups: p.subgroups ?? {} };
    lastText = String(text);
  }
  return last;
}

export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string | number) => canonicalIdFor(ctx, entity, sourceId);
