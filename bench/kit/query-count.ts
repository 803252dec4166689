// What the store benchmarks that count statements share (merge-rekey.ts, crosswalk-loops.ts): a throw-away store
// (PGlite in memory, or a schema of a PostgreSQL found on this machine) and a count of the statements it sends.
import { findPostgres } from '../../src/infra/postgres-probe.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { dropSchema, openStore, type CanonicalStore, type CrosswalkLink } from '../../src/store/index.js';

export type Backend = 'pglite' | 'postgres';

export async function openBenchStore(backend: Backend): Promise<{ store: CanonicalStore; close(): Promise<void> }> {
  if (backend === 'pglite') {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    return { store, close: () => store.close() };
  }
  const url = await findPostgres();
  if (!url) throw new Error('no PostgreSQL found');
  const schema = `jg_bench_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openStore({ databaseUrl: url, schema });
  return { store, close: async () => { await store.close(); await dropSchema(url, schema); } };
}

/**
 * Counts the statements the store sends through its driver while `fn` runs (those inside a transaction go through the
 * transaction's own executor and are not counted).
 */
export async function measure(store: CanonicalStore, fn: () => Promise<unknown>): Promise<{ queries: number; ms: number }> {
  const driver = store.driver as { query: (...a: unknown[]) => Promise<unknown> };
  const original = driver.query.bind(driver);
  let queries = 0;
  driver.query = (...a: unknown[]) => { queries++; return original(...a); };
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    driver.query = original;
  }
  return { queries, ms: Math.round(performance.now() - t0) };
}

/** A record's first source ref as a crosswalk link. */
export const linkOf = (r: CanonicalRecord): CrosswalkLink => ({
  entity: r.entity, canonicalId: r.id, system: r.sourceRefs[0].system, instance: r.sourceRefs[0].instance, sourceId: r.sourceRefs[0].sourceId, sourceIdKind: r.sourceRefs[0].kind,
});
