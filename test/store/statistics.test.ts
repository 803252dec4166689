// Planner statistics (src/store/statistics.ts): a store where no autovacuum runs (PGlite always; PostgreSQL with it
// off) gets its growing tables analyzed after a run that changed many rows, so small lookups stay index lookups;
// a table with few changes, or one analyzed since, is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalStore } from '../../src/store/index.js';
import { backends, mark, newId } from './fixtures.js';

/** PostgreSQL publishes its change counters at most once a second: wait, then end a transaction. */
async function countersPublished(store: CanonicalStore) {
  await new Promise((r) => setTimeout(r, 1_100));
  await store.driver.query('SELECT 1');
}

const analyzedAt = async (store: CanonicalStore) => (await store.driver.query<{ at: unknown }>(
  `SELECT coalesce(last_analyze, last_autoanalyze) AS at FROM pg_stat_user_tables WHERE relid = to_regclass('canonical_records')::oid`)).rows[0]?.at ?? null;

describe.each(backends)('planner statistics on $name', (backend) => {
  let store: CanonicalStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    // Whatever this database's autovacuum would do, it stays out of this schema's tables (as where it is off), and
    // the test starts from statistics taken now.
    for (const t of ['canonical_records', 'change_log', 'crosswalk']) await store.driver.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
    await store.driver.query('ANALYZE canonical_records');
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('a few hundred changed rows: nothing is analyzed', async () => {
    const student = newId();
    await store.upsertMany(Array.from({ length: 300 }, () => mark(student, newId())), { runId: 'small' });
    await countersPublished(store);
    expect(await store.refreshStatistics()).not.toContain('canonical_records');
  });

  it('a run that wrote 12,000 records: the records table is analyzed once, and not again until it changes as much', async () => {
    const student = newId();
    await store.upsertMany(Array.from({ length: 12_000 }, () => mark(student, newId())), { runId: 'bulk' });
    await countersPublished(store);
    const before = await analyzedAt(store);
    expect(await store.refreshStatistics()).toContain('canonical_records');
    expect(await analyzedAt(store)).not.toEqual(before);
    // The planner now knows how many marks there are (it guessed from the table's size before).
    const plan = (await store.driver.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM canonical_records WHERE entity = 'mark'`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(Number(/rows=(\d+)/.exec(plan)?.[1])).toBeGreaterThan(10_000);
    await countersPublished(store);
    expect(await store.refreshStatistics()).toEqual([]);
  }, 60_000);
});
