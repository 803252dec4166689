// A --config the command cannot read — a relative path from cron's home directory, a directory, a file the service
// account may not read — is one line naming the path and what to do, and exit 2 (the configuration). It used to say
// only `cannot read: ENOENT`.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = 2;
const noStack = /\n\s+at |node:internal|Node\.js v\d/;

/** Runs the CLI, as `runAs` (uid) when given; a run still going after 60 s is killed and reported as a hang (code null). */
function cli(args: string[], opts: { cwd?: string; runAs?: number } = {}): Promise<{ code: number | null; stderr: string }> {
  // Absolute paths: the command may run in another directory, where `--import tsx` would not resolve.
  const node = [process.execPath, '--import', pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href, path.resolve('src/cli/main.ts'), ...args];
  const [cmd, ...argv] = opts.runAs === undefined ? node : ['setpriv', `--reuid=${opts.runAs}`, `--regid=${opts.runAs}`, '--clear-groups', ...node];
  return new Promise((resolve) => {
    execFile(cmd!, argv, { cwd: opts.cwd ?? process.cwd(), env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '' }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

const configProblem = (r: { code: number | null; stderr: string }, message: RegExp) => {
  expect(r.code, `exit code (null = still running after 60 s); stderr: ${r.stderr}`).toBe(CONFIG);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/ENOENT\s*$|cannot read: /m);
  expect(r.stderr).not.toMatch(noStack);
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a --config that cannot be read', () => {
  it('a missing file names the path (and where a relative one was looked for) and says to give --config FILE', async () => {
    const missing = path.join(dir, 'gateway.yaml');
    configProblem(await cli(['backup', 'list', '--config', missing]), new RegExp(`config file not found: ${escape(missing)}: give --config FILE`));
    // As cron runs it: a relative path, taken from another directory than the one it was written for.
    const r = await cli(['report', 'attendance', '--school', 's1', '--period', '2025-09', '--config', 'conf/gateway.yaml'], { cwd: dir });
    configProblem(r, new RegExp(`config file not found: conf/gateway\\.yaml \\(${escape(path.join(dir, 'conf/gateway.yaml'))}\\)`));
    // `config check FILE` reads it the same way.
    configProblem(await cli(['config', 'check', missing]), /config file not found/);
  }, 180_000);

  it('a directory is named as a directory, not a config file', async () => {
    const folder = path.join(dir, 'etc-journal-gateway');
    mkdirSync(folder);
    configProblem(await cli(['unlock', '--school', 's1', '--list', '--config', folder]), new RegExp(`config file ${escape(folder)} is a directory: give --config FILE with the YAML file itself`));
  }, 60_000);

  it('a file the account may not read says permission denied, naming it', async () => {
    const secret = path.join(dir, 'private.yaml');
    writeFileSync(secret, 'region: { id: t, name: T }\n');
    chmodSync(secret, 0o000);
    // root reads any file: the command then runs as nobody (the path above it is world-readable, as mkdtemp's is not).
    chmodSync(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    const r = await cli(['config', 'check', secret], asRoot ? { runAs: 65534 } : {});
    configProblem(r, new RegExp(`config file ${escape(secret)} cannot be read: permission denied \\(EACCES\\)`));
  }, 60_000);
});
