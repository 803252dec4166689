// The gateway's change feed (canonical-model.md §A.5): one row per write that changed a record, keyed by the
// gateway-global version. Consumers page with a version cursor, EF-style.
import type { SqlExecutor } from './sql-driver.js';
import { toIso, toNum } from './sql-util.js';
import type { ChangeLogEntry, ChangeOp, ChangesOptions } from './store.js';

interface Row { version: unknown; entity: string; canonical_id: string; op: ChangeOp; at: unknown; run_id: string | null; diff: unknown }

export async function* changesSince(driver: SqlExecutor, sinceVersion: number, opts: ChangesOptions = {}): AsyncGenerator<ChangeLogEntry> {
  const pageSize = opts.pageSize ?? 1_000;
  let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
  let after = sinceVersion;
  while (remaining > 0) {
    const n = Math.min(pageSize, remaining);
    const r = await driver.query<Row>(
      `SELECT version, entity, canonical_id, op, at, run_id, diff FROM change_log
       WHERE version > $1 AND ($2::text IS NULL OR entity = $2) AND ($3::bigint IS NULL OR version <= $3)
       ORDER BY version LIMIT $4`,
      [after, opts.entity ?? null, opts.maxVersion ?? null, n],
    );
    for (const row of r.rows) {
      yield {
        version: toNum(row.version), entity: row.entity, canonicalId: row.canonical_id, op: row.op,
        at: toIso(row.at), runId: row.run_id, diff: row.diff ?? null,
      };
    }
    if (r.rows.length < n) return;
    remaining -= r.rows.length;
    after = toNum(r.rows[r.rows.length - 1].version);
  }
}

export async function currentVersion(driver: SqlExecutor): Promise<number> {
  const r = await driver.query<{ v: unknown }>('SELECT coalesce(max(version), 0) AS v FROM change_log');
  return toNum(r.rows[0].v);
}
