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

const sortedKeysByShape = new Map<string, string[]>();

/**
 * SHA-256 of the canonical JSON of a record's business fields. Same value as
 * `sha256Hex(canonicalJson(fields))` (test/model/model.test.ts checks it). This is the hot path of every
 * mapper and of the store's unchanged check, so a flat record (no nested objects) is re-keyed in sorted
 * order — the sorted key list is remembered per key shape — and serialised by one JSON.stringify, which
 * drops undefined values exactly as canonicalJson does.
 */
export function contentHashOf(fields: Record<string, unknown>): string {
  const keys = Object.keys(fields);
  const shape = keys.join(',');
  let sorted = sortedKeysByShape.get(shape);
  if (sorted === undefined) {
    sorted = keys.slice().sort();
    if (sortedKeysByShape.size > 5_000) sortedKeysByShape.clear();
    sortedKeysByShape.set(shape, sorted);
  }
  const flat: Record<string, unknown> = {};
  for (const k of sorted) {
    const v = fields[k];
    if (v !== null && typeof v === 'object') return hash('sha256', canonicalJson(fields), 'hex');
    flat[k] = v;
  }
  return hash('sha256', JSON.stringify(flat), 'hex');
}
