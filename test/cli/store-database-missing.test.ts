// A store URL naming a database the PostgreSQL server does not have (a typo, or `createdb` not run yet): every command
// that opens the store says so in one line naming the setting and how to create it, exit 2 as the configuration's
// other problems — not the driver's raw `database "…" does not exist` and exit 1 ("the run found a problem").
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPostgres } from '../../src/infra/postgres-probe.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-store-db-missing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const server = await findPostgres();

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '', DATABASE_URL: '' }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

describe.skipIf(!server)('a store URL naming a database that does not exist', () => {
  it('is a configuration problem (exit 2) naming store.databaseUrl, the database and how to create it, never the password', async () => {
    const url = new URL(server!);
    const db = `jg_no_such_db_${process.pid}`;
    url.pathname = `/${db}`;
    // A server that let the probe in without a password ignores this one; either way it must not be printed.
    if (!url.password) url.password = 's3cretPw9';
    const password = decodeURIComponent(url.password);
    const cfg = path.join(dir, 'gateway.yaml');
    writeFileSync(cfg, `region: { id: t, name: T, timeZone: Europe/Samara }\nstore: { databaseUrl: ${JSON.stringify(url.href)} }\n`);
    for (const args of [['backup', 'list'], ['review']]) {
      const r = await cli([...args, '--config', cfg]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`store\\.databaseUrl \\(or DATABASE_URL\\): the database "${db}" does not exist on the PostgreSQL at ${url.hostname}:${url.port || '5432'}`));
      expect(r.stderr).toMatch(new RegExp(`createdb .*${db}`));
      expect(r.stderr).not.toContain(password);
      expect(r.stderr).not.toMatch(/\n\s+at |node:internal/);
      expect(r.stderr.trim().split('\n').filter((l) => l !== 'configuration problems:')).toHaveLength(1);
    }
  }, 120_000);
});
