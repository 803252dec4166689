// PostgreSQL's own floor for storing a migration's records: the rows a run stored (a schema kept by
// `BENCH_KEEP=1 bench/migrate-package.ts`) copied inside the server into a fresh schema with the same tables and
// indexes (INSERT … SELECT: no client, no network, no parsing of what a client sends, one statement per table). No
// way of loading the same rows from outside costs the server less, so the figures are what any store path would pay
// on this machine for the canonical records, the change log and the crosswalk (DECISIONS.md §4).
//
//   npx tsx bench/store-floor.ts jg_bench_pkg_xxxxxxxxxxxx
//
// Prints, per table, the rows, the wall time and PostgreSQL's CPU (its processes in /proc; Linux only), then drops
// the fresh schema (the kept one stays: drop it with `DROP SCHEMA … CASCADE`).
import { randomUUID } from 'node:crypto';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { dropSchema, openStore } from '../src/store/index.js';
import { PgDriver, quoteIdent } from '../src/store/sql-driver.js';
import { cpuBetween, readCpu } from './kit/machine-cpu.js';

const kept = process.argv[2];
if (!kept || !/^[a-z0-9_]+$/.test(kept)) {
  process.stderr.write('usage: npx tsx bench/store-floor.ts <schema kept by BENCH_KEEP=1 bench/migrate-package.ts>\n');
  process.exit(2);
}
const postgres = await findPostgres();
if (!postgres) {
  process.stderr.write('store-floor: no PostgreSQL answers (set DATABASE_URL)\n');
  process.exit(2);
}
const fresh = `jg_bench_floor_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
await (await openStore({ databaseUrl: postgres, schema: fresh })).close(); // the project's own tables and indexes
const driver = await PgDriver.open(postgres);
const seconds = (ms: number) => Math.round(ms / 10) / 100;
const tables = ['canonical_records', 'change_log', 'crosswalk'];
const rows: Record<string, { rows: number; wallSeconds: number; postgresCpuSeconds: number | null; postgresMicrosecondsPerRow: number | null }> = {};
try {
  const present = await driver.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(kept)}.canonical_records`).catch(() => null);
  if (!present) throw new Error(`store-floor: schema ${kept} has no canonical_records (was it kept with BENCH_KEEP=1?)`);
  for (const table of tables) {
    const cpu0 = readCpu();
    const t0 = performance.now();
    // OVERRIDING SYSTEM VALUE: the crosswalk's id is an identity column; the copy keeps the stored ids.
    const result = await driver.query(`INSERT INTO ${quoteIdent(fresh)}.${table} OVERRIDING SYSTEM VALUE SELECT * FROM ${quoteIdent(kept)}.${table}`);
    const wall = performance.now() - t0;
    const cpu = cpuBetween(cpu0, readCpu()).postgres;
    const n = result.rowCount;
    rows[table] = { rows: n, wallSeconds: seconds(wall), postgresCpuSeconds: cpu, postgresMicrosecondsPerRow: cpu === null || !n ? null : Math.round((cpu * 1e6) / n) };
  }
} finally {
  await driver.close();
  await dropSchema(postgres, fresh);
}
const total = (f: (r: (typeof rows)[string]) => number | null) => {
  const xs = Object.values(rows).map(f);
  return xs.some((x) => x === null) ? null : seconds(xs.reduce<number>((a, b) => a + (b as number), 0) * 1000);
};
process.stdout.write(`${JSON.stringify({ kept, tables: rows, wallSeconds: total((r) => r.wallSeconds), postgresCpuSeconds: total((r) => r.postgresCpuSeconds) }, null, 2)}\n`);
