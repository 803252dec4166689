// Planner statistics of the gateway's tables. PostgreSQL plans a query from statistics that ANALYZE gathers; the
// autovacuum daemon runs it after enough rows changed — but not in PGlite (the embedded default runs PostgreSQL in
// single-user mode, without the daemon) nor on a server where autovacuum is off. Without statistics the planner
// takes a lookup of a few rows for a scan of tens of thousands: measured in a store of 2.5 M records, each of the
// rules' context lookups took 250–770 ms (parallel workers and JIT compilation for 0–44 rows) instead of under a
// millisecond, and a night's per-school cost grew with the store (docs/operations.md "Planner statistics").
import type { SqlExecutor } from './sql-driver.js';

/** The tables that grow with the region. */
const TABLES = ['canonical_records', 'crosswalk', 'change_log', 'outbound_ledger'] as const;
/** A table is analyzed when this many rows changed since its statistics were taken… */
const MIN_CHANGED = 10_000;
/** …and they are more than this share of its rows: autovacuum's default analyze scale factor. */
const CHANGED_SHARE = 0.1;

/**
 * ANALYZEs each growing table whose statistics are missing or stale (changed rows since the last analyze, by the
 * server's own counters); a table autovacuum keeps analyzed is left alone. Returns the tables analyzed.
 */
export async function refreshStaleStatistics(db: SqlExecutor): Promise<string[]> {
  const r = await db.query<{ relname: string; live: unknown; changed: unknown }>(
    `SELECT relname, n_live_tup AS live, n_mod_since_analyze AS changed FROM pg_stat_user_tables
      WHERE relid = ANY(ARRAY[${TABLES.map((t) => `to_regclass('${t}')::oid`).join(', ')}])`,
  );
  const stale = r.rows.filter((t) => Number(t.changed) >= MIN_CHANGED && Number(t.changed) > CHANGED_SHARE * Number(t.live)).map((t) => t.relname);
  for (const table of stale) await db.query(`ANALYZE ${table}`);
  return stale;
}
