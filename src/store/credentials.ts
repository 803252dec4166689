// Credentials a platform issues during a run and the next run needs (platform_credentials, migration 003): a partner
// OAuth refresh token that rotates at every use. Shared by every process on the store, like the cursors; never
// backed up, never logged.
import type { SqlExecutor } from './sql-driver.js';

export async function loadCredential(driver: SqlExecutor, instance: string, name: string): Promise<string | undefined> {
  const r = await driver.query<{ value: string }>('SELECT value FROM platform_credentials WHERE instance = $1 AND name = $2', [instance, name]);
  return r.rows[0]?.value;
}

export async function saveCredential(driver: SqlExecutor, instance: string, name: string, value: string): Promise<void> {
  await driver.query(
    `INSERT INTO platform_credentials (instance, name, value, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (instance, name) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [instance, name, value],
  );
}
