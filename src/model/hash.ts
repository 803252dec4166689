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
const shapes = new Map<string, KeyOrder>();
/** A string JSON.stringify would print as `"…"` unchanged: no quote, backslash, control or lone surrogate. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

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
 * The canonical JSON of a record whose possible keys are known in advance (a canonical entity's): no
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
 * The canonical JSON of a record whose keys are not known in advance: its key order (sorted, with each key's JSON
 * name) is worked out once per shape and the record written out as {@link knownCanonicalJson} does.
 */
function shapeCanonicalJson(fields: Record<string, unknown>): string | undefined {
  const keys = Object.keys(fields);
  const shape = keys.join(',');
  let order = shapes.get(shape);
  if (order === undefined) {
    order = keyOrder(keys);
    if (shapes.size > 5_000) shapes.clear();
    shapes.set(shape, order);
  }
  return knownCanonicalJson(fields, order);
}

/**
 * {@link contentHashOf} of `record` without the keys `order.skip`, for a record whose business keys `order`
 * lists: the same value, computed without copying the business fields out or sorting their keys.
 */
export function contentHashIn(record: Record<string, unknown>, order: KeyOrder): string {
  return hash('sha256', canonicalJsonIn(record, order), 'hex');
}

/** The canonical JSON {@link contentHashIn} hashes: two records' texts are equal exactly where their hashes are. */
export function canonicalJsonIn(record: Record<string, unknown>, order: KeyOrder): string {
  const known = knownCanonicalJson(record, order);
  if (known !== undefined) return known;
  if (order.skip.length === 0) return canonicalJsonOf(record);
  const business: Record<string, unknown> = {};
  for (const k of Object.keys(record)) if (!order.skip.includes(k)) business[k] = record[k];
  return canonicalJsonOf(business);
}

/**
 * SHA-256 of the canonical JSON of a record's business fields. Same value as
 * `sha256Hex(canonicalJson(fields))` (test/model/model.test.ts checks it). This is the hot path of every
 * mapper and of the store's unchanged check, so a record is written out key by key ({@link shapeCanonicalJson});
 * a value it cannot write (a function, a symbol, a bigint) takes the general path.
 */
export function contentHashOf(fields: Record<string, unknown>): string {
  return hash('sha256', canonicalJsonOf(fields), 'hex');
}

/** {@link canonicalJson} of `fields` by the fast path where it can: the text {@link contentHashOf} hashes. */
export function canonicalJsonOf(fields: Record<string, unknown>): string {
  return shapeCanonicalJson(fields) ?? canonicalJson(fields);
}
