// Numbered migrations, applied once each and in order; the same SQL runs on PostgreSQL and PGlite.
// Add a migration as a new file NNN-name.ts and list it here. Never edit one that has shipped.
import type { SqlDriver } from '../sql-driver.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-school-scope.js';
import * as m003 from './003-platform-credentials.js';
import * as m004 from './004-person-references.js';
import * as m005 from './005-ledger-pushed-content.js';
import * as m006 from './006-journal-student.js';
import * as m007 from './007-teacher-references.js';
import * as m008 from './008-year-scoped-link-history.js';
import * as m009 from './009-journal-scope.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [{ version: 1, ...m001 }, { version: 2, ...m002 }, { version: 3, ...m003 }, { version: 4, ...m004 }, { version: 5, ...m005 }, { version: 6, ...m006 }, { version: 7, ...m007 }, { version: 8, ...m008 }, { version: 9, ...m009 }];

/**
 * Applies pending migrations in one transaction per migration. An advisory lock keyed on the current schema
 * stops two processes opening the same store from racing.
 */
export async function migrate(driver: SqlDriver, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    await driver.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.rows.length > 0) return;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    });
  }
  return applied;
}
