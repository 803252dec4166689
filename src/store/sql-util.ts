// Value conversions shared by the store modules: pg returns bigint as string and timestamptz as Date, PGlite as
// number and Date; callers always get numbers and ISO 8601 UTC strings.
export function toNum(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function toIso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

export function toIsoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : toIso(v);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Parts of a large write at once: two on PostgreSQL, where one part is one server backend's work and the machine's
 * second core sat idle (a first load's ~600,000 crosswalk links: 29 → 17 µs a link); one on PGlite, which has one
 * connection. Not for reads of records: there the gateway decoding the rows is the bottleneck, and a school-year's
 * `referencing` reads measured the same two at a time (docs/migration.md).
 */
export const partsInFlight = (backend: 'postgres' | 'pglite'): number => (backend === 'postgres' ? 2 : 1);

/**
 * `fn` over `parts`, `inFlight` at a time (PostgreSQL: each on its own pooled connection, so one part's server work
 * overlaps the next one's and the gateway's work on the answers). The results in the parts' order. After a failure no
 * part is started, and the first failure is thrown once every part already started has settled: a caller never goes
 * on while a statement of its own is still in the database.
 */
export async function inParts<T, R>(parts: readonly T[], inFlight: number, fn: (part: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(parts.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < parts.length) {
      const i = next++;
      try {
        out[i] = await fn(parts[i]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(inFlight, parts.length)) }, worker));
  const refused = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (refused) throw refused.reason;
  return out;
}

const JSONB_VERSION = Buffer.from([1]);
const COMMA = Buffer.from(',');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

/** Part of a JSON value as its driver sends it: UTF-8 bytes for PostgreSQL, text for PGlite. */
export type JsonPiece = string | Buffer;

/** `text` as its driver sends it (see {@link jsonArrayParam}), encoded ahead of the write that sends it. */
export function encodedFor(backend: 'postgres' | 'pglite', text: string): JsonPiece {
  return backend === 'postgres' ? Buffer.from(text, 'utf8') : text;
}

/**
 * Values serialised one by one, each given as its pieces in order, as one JSON array for a `$n::jsonb` parameter. On
 * PostgreSQL the array goes as jsonb's binary form — a version byte (1), then the text's UTF-8 — encoded value by
 * value: given the joined text, pg measures and encodes one string of megabytes, and one Cyrillic letter makes that a
 * two-byte string whose UTF-8 length is a slow pass of its own (a batch of 5,000 records: ~60 ms joined, ~11 ms value
 * by value, docs/migration.md). PGlite takes the text.
 */
export function jsonArrayParam(backend: 'postgres' | 'pglite', values: readonly (readonly JsonPiece[])[]): string | Buffer {
  if (backend === 'pglite') return `[${values.map((v) => v.join('')).join(',')}]`;
  const parts: Buffer[] = [JSONB_VERSION, OPEN];
  values.forEach((pieces, i) => {
    if (i > 0) parts.push(COMMA);
    for (const piece of pieces) parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
