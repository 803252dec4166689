// Дневник.ру ids are int64 (platforms.md §3.5). The emulator derives them from canonical ids and issues
// them ABOVE 2^53, always with a string twin, so a client that trusts `JSON.parse` of `id` gets wrong ids.
import { createHash } from 'node:crypto';

/** Deterministic int64 in [2^60, 2^61) from any key (a canonical id, a composite key). */
export function int64Of(key: string): bigint {
  const h = createHash('sha256').update(key).digest();
  return (1n << 60n) + (h.readBigUInt64BE(0) & ((1n << 60n) - 1n));
}

/**
 * Serialises a payload with bigint values as bare JSON integers (what the real API sends), which
 * `JSON.stringify` cannot do by itself.
 */
export function stringifyInt64(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `__i64:${v}` : v)).replace(/"__i64:(\d+)"/g, '$1');
}

/** `{id, id_str}`-style pair for a field name: `pair('person', 5n)` → `{person: 5n, person_str: '5'}`. */
export function pair(name: string, id: bigint): Record<string, bigint | string> {
  return { [name]: id, [`${name}_str`]: String(id) };
}
