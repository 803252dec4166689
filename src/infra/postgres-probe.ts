// Finds a PostgreSQL server for store tests and benchmarks: DATABASE_URL, else the local default if it answers.
import pg from 'pg';

export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function probePostgres(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function findPostgres(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  return (await probePostgres(LOCAL_POSTGRES_URL)) ? LOCAL_POSTGRES_URL : null;
}
