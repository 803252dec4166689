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
 * connection. Not for reads of records: there the gateway decoding the rows is the bottleneck, and the school's records
 * read two parts at a time (`referencing`, 12 weeks) measured the same (docs/migration.md).
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
