// What a Дневник.ру payload lacks and the connector knows (BatchContext.ids): the school's work types
// with weights (`work-types/{school}`) and the group's reporting periods, as one compact JSON string
// `ids.ref`, plus the edu-group's type/name/parallel. `map --context` takes the same keys.
import type { EntityName } from '../../model/enums.js';
import { zonedToInstant } from '../../model/dates.js';
import { contentHashOf } from '../../model/hash.js';
import type { CanonicalRecord } from '../../model/records.js';
import { canonicalIdFor, provenanceFor, sourceRef, type MapContext } from '../../connectors/mapping.js';

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
  const text = ctx.ids.ref;
  if (!text) return { workTypes: {}, periods: {} };
  if (text !== lastRefText) {
    const parsed = JSON.parse(text) as Partial<DnevnikRef>;
    lastRef = { workTypes: parsed.workTypes ?? {}, periods: parsed.periods ?? {} };
    lastRefText = text;
  }
  return lastRef;
}

/** Platform wall time (no offset) → UTC instant, in the ISO form the dataset uses. */
export const instantOf = (local: string, tz: string) => zonedToInstant(local.length === 10 ? `${local}T00:00:00` : local, tz);

/**
 * Builds a canonical record the fast way (the dataset factory's way): business fields hashed with
 * contentHashOf, the same hash buildRecord computes. Payloads were validated by their zod schemas; the
 * end-to-end tests re-validate every mapped record with parseRecord.
 */
export function make(ctx: MapContext, entity: EntityName, id: string, kind: string, sourceId: string, business: Record<string, unknown>): CanonicalRecord {
  return {
    entity, id, status: 'active', version: 0, updatedAt: ctx.fetchedAt, contentHash: contentHashOf(business),
    sourceRefs: [sourceRef(ctx, kind, sourceId)], provenance: provenanceFor(ctx, ctx.payloadHash ?? 'unhashed'), ...business,
  } as unknown as CanonicalRecord;
}

export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string) => canonicalIdFor(ctx, entity, sourceId);
/** A section has no platform id: it is an edu-group × subject pair. */
export const sectionKey = (group: string, subject: string) => `${group}:${subject}`;
