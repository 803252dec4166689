// Helpers every platform mapper shares (moved out of the Дневник.ру mapper when ЭПОС needed them):
// wall time → instant with a per-day offset cache, and the fast canonical record builder.
import type { EntityName } from '../model/enums.js';
import { zonedToInstant } from '../model/dates.js';
import { contentHashOf as fastContentHash } from '../model/hash.js';
import type { CanonicalRecord } from '../model/records.js';
import { provenanceFor, sourceRef, type MapContext } from '../connectors/mapping.js';

const offsets = new Map<string, number>();

/**
 * Platform wall time (no offset) → UTC instant. The zone offset is looked up once per zone and day
 * (zonedToInstant builds an Intl formatter per call, ~60 µs — the mapper's hottest line otherwise).
 * Russian zones have had no DST since 2014, so the noon offset of a day holds for the whole day.
 */
export function instantOf(local: string, tz: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(local);
  if (!m) return zonedToInstant(local, tz); // throws with the value's shape
  const key = `${tz}|${m[1]}-${m[2]}-${m[3]}`;
  let off = offsets.get(key);
  if (off === undefined) {
    off = Date.parse(`${m[1]}-${m[2]}-${m[3]}T12:00:00Z`) - Date.parse(zonedToInstant(`${m[1]}-${m[2]}-${m[3]}T12:00`, tz));
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, off);
  }
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - off).toISOString();
}

/**
 * Builds a canonical record the fast way (the dataset factory's way): business fields hashed like
 * contentHashOf (fastContentHash, the same hash buildRecord computes). Payloads were validated by their zod schemas; the
 * end-to-end tests re-validate every mapped record with parseRecord.
 */
export function make(ctx: MapContext, entity: EntityName, id: string, kind: string, sourceId: string, business: Record<string, unknown>): CanonicalRecord {
  return {
    entity, id, status: 'active', version: 0, updatedAt: ctx.fetchedAt, contentHash: fastContentHash(business),
    sourceRefs: [sourceRef(ctx, kind, sourceId)], provenance: provenanceFor(ctx, ctx.payloadHash ?? 'unhashed'), ...business,
  } as unknown as CanonicalRecord;
}

