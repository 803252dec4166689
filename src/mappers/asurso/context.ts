// What a NetSchool payload lacks and the connector knows (BatchContext.ids), and the record builder.
// `ids.ref` is one compact JSON string: assignment type id → canonical work type code (from
// `grade/assignment/types`, matched by name) and the server's max mark. `map --context` takes the same keys.
import type { EntityName } from '../../model/enums.js';
import { zonedToInstant } from '../../model/dates.js';
import { contentHashOf } from '../../model/hash.js';
import type { CanonicalRecord } from '../../model/records.js';
import { canonicalIdFor, provenanceFor, sourceRef, type MapContext } from '../../connectors/mapping.js';

export interface AsursoRef {
  /** assignment type id → canonical work type code. */
  types: Record<string, string>;
  maxMark: number;
}

let lastText: string | undefined;
let last: AsursoRef = { types: {}, maxMark: 5 };

/** Parses `ids.ref` once per distinct string (it is the same on every page of a run). */
export function refOf(ctx: MapContext): AsursoRef {
  const text = ctx.ids.ref as unknown;
  if (!text) return { types: {}, maxMark: 5 };
  if (typeof text === 'object') return { types: {}, maxMark: 5, ...(text as Partial<AsursoRef>) };
  if (text !== lastText) {
    const p = JSON.parse(String(text)) as Partial<AsursoRef>;
    last = { types: p.types ?? {}, maxMark: p.maxMark ?? 5 };
    lastText = String(text);
  }
  return last;
}

const offsets = new Map<string, number>();
/**
 * NetSchool wall time (no offset, §1.8) → UTC instant in the school's zone. Dates are never pushed
 * through UTC: calendar dates are cut from the string. Offset cached per zone and day (no DST in Russia).
 */
export function instantOf(local: string, tz: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(local);
  if (!m) return zonedToInstant(local, tz);
  const key = `${tz}|${m[1]}-${m[2]}-${m[3]}`;
  let off = offsets.get(key);
  if (off === undefined) {
    off = Date.parse(`${m[1]}-${m[2]}-${m[3]}T12:00:00Z`) - Date.parse(zonedToInstant(`${m[1]}-${m[2]}-${m[3]}T12:00`, tz));
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, off);
  }
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - off).toISOString();
}

/** A calendar date cut from a NetSchool date (never through a time-zone conversion). */
export const dayOf = (s: string) => s.slice(0, 10);

let lastCtx: MapContext | undefined;
let lastProv: ReturnType<typeof provenanceFor> | undefined;
/** One provenance object per payload, shared by its records (they are never mutated). */
function provenanceOf(ctx: MapContext) {
  if (ctx !== lastCtx || !lastProv) {
    lastProv = provenanceFor(ctx, ctx.payloadHash ?? 'unhashed');
    lastCtx = ctx;
  }
  return lastProv;
}

/** A canonical record with its business fields hashed as buildRecord would. */
export function make(ctx: MapContext, entity: EntityName, id: string, kind: string, sourceId: string | number, business: Record<string, unknown>): CanonicalRecord {
  const rec: Record<string, unknown> = {
    entity, id, status: 'active', version: 0, updatedAt: ctx.fetchedAt, contentHash: contentHashOf(business),
    sourceRefs: [sourceRef(ctx, kind, sourceId)], provenance: provenanceOf(ctx),
  };
  // Absent optional fields are left out (not `undefined`), as buildRecord leaves them; no `delete` (slow objects).
  for (const k in business) if (business[k] !== undefined) rec[k] = business[k];
  return rec as unknown as CanonicalRecord;
}

export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string | number) => canonicalIdFor(ctx, entity, sourceId);
