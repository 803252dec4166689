// What an ЭПОС payload lacks and the connector knows (BatchContext.ids): the academic year id, and as one
// compact JSON string `ids.ref` the school's control forms (id → name, matched to work types here), the
// subgroup labels and class unit of each group (`jersey/api/groups`) and the attestation periods of each
// class unit (`core/api/attestation_periods_schedules`). `map --context` takes the same keys.
import type { EntityName } from '../../model/enums.js';
import { canonicalIdFor, type MapContext } from '../../connectors/mapping.js';

export interface EposRef {
  /** control form id → its name (`core/api/control_forms`). */
  controlForms: Record<string, string>;
  /** subgroup group id → label (`1 группа`). */
  subgroups: Record<string, string>;
  /** group id → its class unit id. */
  groupClass: Record<string, number>;
  /** class unit id → its attestation periods `[id, starts YYYY-MM-DD, ends]` (quarters or half-years). */
  periods: Record<string, [number, string, string][]>;
}

const EMPTY: EposRef = { controlForms: {}, subgroups: {}, groupClass: {}, periods: {} };

let lastText: string | undefined;
let last: EposRef = EMPTY;

/** Parses `ids.ref` once per distinct string (every page of a run reuses it). */
export function refOf(ctx: MapContext): EposRef {
  const text = ctx.ids.ref as unknown;
  if (!text) return EMPTY;
  if (typeof text === 'object') return { ...EMPTY, ...(text as Partial<EposRef>) }; // `map --context` may pass JSON
  if (text !== lastText) {
    last = { ...EMPTY, ...(JSON.parse(String(text)) as Partial<EposRef>) };
    lastText = String(text);
  }
  return last;
}

export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string | number) => canonicalIdFor(ctx, entity, sourceId);
