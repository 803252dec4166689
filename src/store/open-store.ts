// Chooses the store backend (DECISIONS.md §3): DATABASE_URL → PostgreSQL; otherwise PGlite under .data/store
// (the embedded default, one process); `memory://` gives an in-memory PGlite (tests). Migrations run on open.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CanonicalStore } from './canonical-store.js';
import { migrate } from './migrations/index.js';
import { PgDriver, PgliteDriver, type SqlDriver } from './sql-driver.js';
import { storeOpenError } from './store-open-errors.js';

export const DEFAULT_DATA_DIR = '.data/store';

export interface OpenStoreOptions {
  /** postgres:// URL. Defaults to process.env.DATABASE_URL; when neither is set, PGlite is used. */
  databaseUrl?: string | null;
  /** PGlite directory (default .data/store), or `memory://`. Ignored when a database URL is in use. */
  dataDir?: string;
  /** Schema to create and use (search_path); tests use a random one per file. Default: the server's default. */
  schema?: string;
  /** PostgreSQL pool size (default 4). */
  poolSize?: number;
  env?: NodeJS.ProcessEnv;
}

export async function openDriver(opts: OpenStoreOptions = {}): Promise<SqlDriver> {
  const url = opts.databaseUrl === undefined ? (opts.env ?? process.env).DATABASE_URL : opts.databaseUrl;
  if (url) return PgDriver.open(url, opts.schema, opts.poolSize).catch((e: unknown) => { throw storeOpenError(url, e); });
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  if (!dataDir.startsWith('memory://')) await mkdir(path.resolve(dataDir), { recursive: true });
  return PgliteDriver.open(dataDir, opts.schema);
}

export async function openStore(opts: OpenStoreOptions = {}): Promise<CanonicalStore> {
  const driver = await openDriver(opts);
  try {
    await migrate(driver); // the first statement: where a PostgreSQL that does not answer shows
  } catch (err) {
    await driver.close().catch(() => {});
    const url = opts.databaseUrl === undefined ? (opts.env ?? process.env).DATABASE_URL : opts.databaseUrl;
    throw url ? storeOpenError(url, err) : err;
  }
  return new CanonicalStore(driver);
}

/** Drops a schema and everything in it (tests and benchmarks clean up their random schemas with this). */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const driver = await PgDriver.open(databaseUrl);
  try {
    await driver.exec(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } finally {
    await driver.close();
  }
}
