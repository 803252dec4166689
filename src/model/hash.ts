// Stable content hash of business fields (canonical-model.md §A.1): canonical JSON with sorted keys,
// undefined dropped, so the same data always hashes the same regardless of key order.
import { createHash, hash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Per key shape (keys in insertion order): the keys sorted, each with its JSON name and colon ready. */
const shapes = new Map<string, { sorted: string[]; names: string[] }>();
/** A string JSON.stringify would print as `"…"` unchanged: no quote, backslash, control or lone surrogate. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * The canonical JSON of a flat record (scalar values only), or undefined when a value is an object or
 * array. Written out key by key in sorted order: no sorted copy of the record and no escaping pass for
 * the plain ids, dates and codes records are made of.
 */
function flatCanonicalJson(fields: Record<string, unknown>): string | undefined {
  const keys = Object.keys(fields);
  const shape = keys.join(',');
  let known = shapes.get(shape);
  if (known === undefined) {
    const sorted = keys.slice().sort();
    known = { sorted, names: sorted.map((k) => `${JSON.stringify(k)}:`) };
    if (shapes.size > 5_000) shapes.clear();
    shapes.set(shape, known);
  }
  const { sorted, names } = known;
  let out = '';
  for (let i = 0; i < sorted.length; i++) {
    const v = fields[sorted[i]];
    let json: string;
    switch (typeof v) {
      case 'undefined': continue;
      case 'string': json = PLAIN_STRING.test(v) ? `"${v}"` : JSON.stringify(v); break;
      // JSON prints finite numbers as String does (-0 as 0) and NaN/Infinity as null.
      case 'number': json = Number.isFinite(v) ? String(v) : 'null'; break;
      case 'boolean': json = v ? 'true' : 'false'; break;
      case 'object': if (v === null) { json = 'null'; break; } return undefined;
      default: return undefined;
    }
    out += out === '' ? names[i] + json : `,${names[i]}${json}`;
  }
  return `{${out}}`;
}

/** A record kind's possible business keys in sorted order (see {@link keyOrder}). */
export interface KeyOrder {
  keys: readonly string[];
  /** `"key":` of each key. */
  names: readonly string[];
  /** Keys the hash leaves out (the envelope, when a whole record is hashed). */
  skip: readonly string[];
}

export function keyOrder(keys: Iterable<string>, skip: readonly string[] = []): KeyOrder {
  const sorted = [...new Set(keys)].filter((k) => !skip.includes(k)).sort();
  return { keys: sorted, names: sorted.map((k) => `${JSON.stringify(k)}:`), skip };
}

/**
 * {@link flatCanonicalJson} for a record whose possible keys are known in advance (a canonical entity's): no
 * per-record key list, sort or shape look-up. Undefined — so the caller takes the general path — when the
 * record holds a key outside `order` (counted, not looked up: cheaper than a set test per key) or a function,
 * symbol or bigint.
 */
function knownCanonicalJson(fields: Record<string, unknown>, order: KeyOrder): string | undefined {
  const { keys, names, skip } = order;
  let out = '';
  let written = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = fields[keys[i]];
    let json: string;
    switch (typeof v) {
      case 'undefined': continue;
      case 'string': json = PLAIN_STRING.test(v) ? `"${v}"` : JSON.stringify(v); break;
      case 'number': json = Number.isFinite(v) ? String(v) : 'null'; break;
      case 'boolean': json = v ? 'true' : 'false'; break;
      // A nested value (homework list, identifiers) is written canonically on its own; the record stays on this path.
      case 'object': json = v === null ? 'null' : canonicalJson(v); break;
      default: return undefined;
    }
    written++;
    out = out === '' ? names[i] + json : `${out},${names[i]}${json}`;
  }
  let present = 0;
  for (const k in fields) if (fields[k] !== undefined) present++;
  for (let i = 0; i < skip.length; i++) if (fields[skip[i]] !== undefined) present--;
  return present === written ? `{${out}}` : undefined;
}

/**
 * {@link contentHashOf} of `record` without the keys `order.skip`, for a record whose business keys `order`
 * lists: the same value, computed without copying the business fields out or sorting their keys.
 */
export function contentHashIn(record: Record<string, unknown>, order: KeyOrder): string {
  const known = knownCanonicalJson(record, order);
  if (known !== undefined) return hash('sha256', known, 'hex');
  if (order.skip.length === 0) return contentHashOf(record);
  const business: Record<string, unknown> = {};
  for (const k of Object.keys(record)) if (!order.skip.includes(k)) business[k] = record[k];
  return contentHashOf(business);
}

/**
 * SHA-256 of the canonical JSON of a record's business fields. Same value as
 * `sha256Hex(canonicalJson(fields))` (test/model/model.test.ts checks it). This is the hot path of every
 * mapper and of the store's unchanged check, so a flat record is written out by {@link flatCanonicalJson};
 * nested values take the general path.
 */
export function contentHashOf(fields: Record<string, unknown>): string {
  return hash('sha256', flatCanonicalJson(fields) ?? canonicalJson(fields), 'hex');
}
