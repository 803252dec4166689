// The record builder every platform mapper shares: the envelope of canonical-model.md §A.1 around the
// business fields a mapper computed, hashed exactly as buildRecord hashes them. Payloads were validated
// by their zod schemas; the end-to-end tests re-validate every mapped record with parseRecord, and the
// store validates again before it writes (DECISIONS.md §4) — so the hot path does not run the canonical
// zod schema a second time per record.
import type { EntityName } from '../../model/enums.js';
import { businessHash, type CanonicalRecord } from '../../model/records.js';
import { canonicalIdFor, provenanceFor, sourceRef, type MapContext } from '../../connectors/mapping.js';

/**
 * One provenance object per payload, shared by its records (records are never mutated in place). Weakly keyed: a
 * context's resolver closes over its caller's scope (a migration's school of records, a read's pages), and a plain
 * "last context" reference kept all of that alive until the next mapping (test/mappers/make-record.test.ts).
 */
const provenances = new WeakMap<MapContext, ReturnType<typeof provenanceFor>>();
function provenanceOf(ctx: MapContext) {
  let prov = provenances.get(ctx);
  if (prov === undefined) provenances.set(ctx, (prov = provenanceFor(ctx, ctx.payloadHash ?? 'unhashed')));
  return prov;
}

/**
 * A canonical record of `entity` with platform source id `sourceId` (source ref kind `kind`). `business` is the
 * object literal the mapper just built: it becomes the record (the envelope is added to it) instead of being
 * copied key by key into a second object — a mapper's hot path allocates one record, not two. Optional fields
 * the mapper left `undefined` stay as undefined keys; JSON, the store and the content hash all drop them.
 */
export function makeRecord(ctx: MapContext, entity: EntityName, id: string, kind: string, sourceId: string | number, business: Record<string, unknown>): CanonicalRecord {
  const contentHash = businessHash(entity, business);
  const rec = business;
  rec.entity = entity;
  rec.id = id;
  rec.status = 'active';
  rec.version = 0;
  rec.updatedAt = ctx.fetchedAt;
  rec.contentHash = contentHash;
  rec.sourceRefs = [sourceRef(ctx, kind, sourceId)];
  rec.provenance = provenanceOf(ctx);
  return rec as unknown as CanonicalRecord;
}

/** The canonical id of a platform id: the crosswalk's answer, else a source-scoped id. */
export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string | number): string => canonicalIdFor(ctx, entity, sourceId);

/**
 * Parses a compact JSON context value (`ids.ref`) once per distinct string: a mapper called on every
 * page of a run sees the same string each time. `map --context` may pass it as an object already.
 */
export function refParser<R extends object>(defaults: () => R): (ctx: MapContext) => R {
  let lastText: string | undefined;
  let last: R = defaults();
  return (ctx) => {
    const value = ctx.ids.ref as unknown;
    if (!value) return defaults();
    if (typeof value === 'object') return { ...defaults(), ...(value as Partial<R>) };
    if (value !== lastText) {
      last = { ...defaults(), ...(JSON.parse(String(value)) as Partial<R>) };
      lastText = String(value);
    }
    return last;
  };
}
