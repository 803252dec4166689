// Stable content hash of business fields (canonical-model.md §A.1): canonical JSON with sorted keys,
// undefined dropped, so the same data always hashes the same regardless of key order.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * SHA-256 of the canonical JSON of a record's business fields. Same value as
 * `sha256Hex(canonicalJson(fields))`; flat values are serialised without recursion (the hot path of
 * every mapper and of the store's unchanged check).
 */
export function contentHashOf(fields: Record<string, unknown>): string {
  const keys = Object.keys(fields).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = fields[k];
    if (v === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${v !== null && typeof v === 'object' ? canonicalJson(v) : JSON.stringify(v)}`;
    first = false;
  }
  return createHash('sha256').update(`${s}}`).digest('hex');
}
