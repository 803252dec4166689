// A tiny common interface over a `pg` Pool and a PGlite instance, so one store implementation and one set of
// migrations run on both backends (DECISIONS.md §3). Only what the store needs: parameterised queries,
// multi-statement scripts (migrations) and transactions.
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { lockEmbeddedStore } from './embedded-store-lock.js';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Runs statements; a transaction handle and the driver itself both satisfy it. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly backend: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Quotes an SQL identifier (schema names come from tests and configuration). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export class PgDriver implements SqlDriver {
  readonly backend = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  /** Opens a pool whose every connection uses `schema` (created if absent) and UTC. */
  static async open(connectionString: string, schema?: string, max = 10): Promise<PgDriver> {
    if (schema) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        // Processes opening a new schema at once (worker processes started together) would each run CREATE SCHEMA
        // IF NOT EXISTS, and PostgreSQL answers all but one with a unique violation on pg_namespace: one at a time.
        // The lock is the session's and goes with the connection.
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`journal-gateway create schema ${schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      } finally {
        await client.end();
      }
    }
    // JIT off: the gateway's queries are index lookups and keyset pages, and a planner that over-estimates one (no
    // statistics yet: src/store/statistics.ts) spent 250 ms compiling a query that reads nothing (measured).
    const options = ['-c TimeZone=UTC', '-c jit=off', ...(schema ? [`-c search_path=${quoteIdent(schema).replaceAll(' ', '\\ ')}`] : [])].join(' ');
    const pool = new pg.Pool({ connectionString, max, options });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    return new PgDriver(pool);
  }

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const r = await this.pool.query(sql, params as unknown[] | undefined);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlExecutor = {
      query: async <R>(sql: string, params?: unknown[]) => {
        const r = await client.query(sql, params as unknown[] | undefined);
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      },
      exec: async (sql: string) => {
        await client.query(sql);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class PgliteDriver implements SqlDriver {
  readonly backend = 'pglite' as const;
  constructor(private readonly db: PGlite, private readonly unlock: () => Promise<void> = async () => {}) {}

  /**
   * `dataDir`: a directory path, or `memory://` for an in-memory database (tests). A directory is taken for this
   * process first (embedded-store-lock.ts): a second process on the same files corrupts the store.
   */
  static async open(dataDir: string, schema?: string): Promise<PgliteDriver> {
    const unlock = dataDir.startsWith('memory://') ? async () => {} : await lockEmbeddedStore(dataDir);
    try {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(dataDir);
      await db.exec(`SET TimeZone = 'UTC'`);
      if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)}`);
      return new PgliteDriver(db, unlock);
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const r = await this.db.query<T>(sql, params);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) =>
      fn({
        query: async <R>(sql: string, params?: unknown[]) => {
          const r = await t.query<R>(sql, params);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
        exec: async (sql: string) => {
          await t.exec(sql);
        },
      }),
    );
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.unlock();
    }
  }
}

/**
 * Serialises transactions that take versions from gateway_version_seq, so versions commit in order and a
 * change-feed reader that has seen version N can never later miss a smaller one committed after it.
 * Call first thing inside the transaction; released at COMMIT/ROLLBACK.
 */
export async function lockVersions(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.gateway_version_seq'))`);
}
