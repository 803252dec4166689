export * from './store.js';
export * from './errors.js';
export { CanonicalStore } from './canonical-store.js';
export { openStore, openDriver, dropSchema, DEFAULT_DATA_DIR, type OpenStoreOptions } from './open-store.js';
export { PgDriver, PgliteDriver, type SqlDriver, type SqlExecutor } from './sql-driver.js';
export { migrate, MIGRATIONS } from './migrations/index.js';
export { ledgerKey } from './ledger.js';
export type { LeaseKey } from './leases.js';
export { DEFAULT_BATCH_SIZE } from './upsert.js';
