// One school's share of a regional store: a region's nightly backups, yearly archives and migrations each pick one
// school's records out of a store holding hundreds. Loads a region school by school (synthetic schools, one week of
// journal each) and, at each size, times the three reads of the first school — the nightly backup's scope
// (buildSchoolScope), the yearly archive's class journals (loadClassJournal of every class) and a migration's records
// (schoolRecords) — with the rows PostgreSQL read for them (pg_stat_user_tables). A read that grows with the region
// shows as a ratio above 1 against the one-school store; one that follows the school stays near 1.
//
// Measured 2026-12-04 (PostgreSQL, 8 schools × 300 pupils × 1 week, 120,163 records; the machine busy with a test run,
// so the times are loose, the rows are not): the yearly archive's class journals read 8,047 rows at 1, 4 and 8 schools
// (ratio 1.0; before migration 009 each class read the region's lessons, marks and absences); a migration's school
// records 12,925 → 47,574 → 42,713 rows, no longer rising past 4 schools; the backup scope 101,346 → 332,681 →
// 779,362 rows (7.7×): at this size PostgreSQL's planner rightly reads the whole 120,000-row table rather than look
// thousands of references up, and test/backup/school-scope-region-reads.test.ts shows the index path it takes once
// whole-table reads cost more. A region of hundreds of schools (tens of millions of rows) is that case; this bench does
// not reach it on this machine.
//
//   npx tsx bench/region-scope.ts                 8 schools of 300 pupils, PostgreSQL if it answers, else PGlite
//   BENCH_SCHOOLS=4 BENCH_PUPILS=100 npx tsx bench/region-scope.ts
import { randomUUID } from 'node:crypto';
import { loadClassJournal, loadSchoolYear } from '../src/backup/documents/school-year.js';
import { buildSchoolScope } from '../src/backup/school-scope.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { dropSchema, openStore, type CanonicalStore } from '../src/store/index.js';
import { schoolRecords } from '../src/sync/school-records.js';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 8);
const PUPILS = Number(process.env.BENCH_PUPILS ?? 300);
const postgres = process.env.BENCH_STORE === 'pglite' ? null : await findPostgres();
const schema = postgres ? `jg_bench_region_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
const store = await openStore(postgres ? { databaseUrl: postgres, schema } : { dataDir: 'memory://', databaseUrl: null });

/** Rows of canonical_records PostgreSQL has read so far (its statistics, flushed first). */
async function rowsSoFar(s: CanonicalStore): Promise<number> {
  await s.driver.query('SELECT pg_stat_force_next_flush()');
  await s.driver.query('SELECT pg_stat_clear_snapshot()');
  const r = await s.driver.query<{ n: string | number }>(
    `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_user_tables WHERE relname = 'canonical_records'`,
  );
  return Number(r.rows[0]?.n ?? 0);
}

async function measured(run: () => Promise<unknown>): Promise<{ ms: number; rows: number }> {
  const before = await rowsSoFar(store);
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  return { ms: Math.round(ms), rows: (await rowsSoFar(store)) - before };
}

const rows: Record<string, unknown>[] = [];
let first: string | undefined;
let schoolYear = 0;
let records = 0;
for (let k = 1; k <= SCHOOLS; k++) {
  const school = generateSchool({ seed: 100 + k, pupils: PUPILS, weeks: 1 });
  await store.upsertMany(school.records, { runId: `load-${k}` });
  records += school.records.length;
  if (!first) {
    first = school.records.find((r) => r.entity === 'organization' && (r as { type?: string }).type === 'school')!.id;
    schoolYear = Math.max(...school.records.filter((r) => r.entity === 'academic_session').map((r) => (r as { schoolYear: number }).schoolYear));
  }
  if (k !== 1 && k !== SCHOOLS && k !== Math.ceil(SCHOOLS / 2)) continue;
  await store.driver.query('ANALYZE canonical_records');
  const org = first;
  const scope = await measured(() => store.driver.transaction((tx) => buildSchoolScope(tx, org, [])));
  const year = await loadSchoolYear(store, org, schoolYear);
  const archive = await measured(async () => {
    for (const sections of year.sectionsByClass.values()) await loadClassJournal(store, sections);
  });
  const migration = await measured(() => schoolRecords(store, org));
  rows.push({ schools: k, records, scope, archive, migration });
  process.stderr.write(`region of ${k} school(s), ${records} records: scope ${scope.ms} ms / ${scope.rows} rows, archive ${archive.ms} ms / ${archive.rows} rows, migration records ${migration.ms} ms / ${migration.rows} rows\n`);
}
const one = rows[0] as { scope: { ms: number; rows: number }; archive: { ms: number; rows: number }; migration: { ms: number; rows: number } };
const last = rows[rows.length - 1] as typeof one & { schools: number };
const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 1)) * 100) / 100;
const result = {
  store: postgres ? 'postgres' : 'pglite', pupilsPerSchool: PUPILS, rows,
  [`ratios at ${last.schools} schools vs 1 (time, rows read)`]: {
    scope: [ratio(last.scope.ms, one.scope.ms), ratio(last.scope.rows, one.scope.rows)],
    archive: [ratio(last.archive.ms, one.archive.ms), ratio(last.archive.rows, one.archive.rows)],
    migration: [ratio(last.migration.ms, one.migration.ms), ratio(last.migration.rows, one.migration.rows)],
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await store.close();
if (postgres && schema) await dropSchema(postgres, schema);
