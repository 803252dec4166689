// `serve` (and `worker --metrics-port`) started on a port another process holds, or with a port that is no port: one clear line and an exit,
// never a process that stays up without listening (a service manager would think the diary is running). A process is
// given 60 s before it counts as "still running": under a full suite on two cores a start-up alone can take 30.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateFakeEsiaCertificate } from '../../src/auth/fake-esia/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-serve-'));
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '', JG_ALLOW_TEST_SIGNER: '1', ...env }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

async function config(): Promise<string> {
  const cert = await generateFakeEsiaCertificate();
  writeFileSync(path.join(dir, 'esia.cert.pem'), cert.certPem);
  const file = path.join(dir, 'gateway.yaml');
  writeFileSync(file, `region: { id: test, name: Тест }
store: { dataDir: ${JSON.stringify(path.join(dir, 'data'))} }
redis: { url: "redis://127.0.0.1:1" }
logging: { level: error }
auth:
  esia:
    clientId: JGTEST
    redirectUri: http://127.0.0.1:${busyPort}/auth/esia/callback
    esiaCertificateFile: ${path.join(dir, 'esia.cert.pem')}
    signer: { kind: test }
web: { host: 127.0.0.1, port: ${busyPort} }
`);
  return file;
}

const noStack = /\n\s+at |node:internal|Node\.js v\d/;

describe('serve: operator mistakes', () => {
  it('a port in use ends the command, naming the address, instead of leaving a process that does not listen', async () => {
    const cfg = await config();
    for (const args of [['serve', '--config', cfg], ['serve', '--demo', '--host', '127.0.0.1', '--port', String(busyPort)]]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: exit code (null = still running after 60 s); stderr: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${busyPort}.*in use`));
      expect(r.stderr).not.toMatch(noStack);
    }
  }, 150_000);

  it('a --port that is not a port is a usage mistake, refused before anything opens', async () => {
    const cfg = await config();
    for (const port of ['abc', '99999', '-1']) {
      const r = await cli(['serve', '--config', cfg, '--port', port]);
      expect(r.code, `--port ${port}: ${r.stderr}`).toBe(64);
      expect(r.stderr).toMatch(new RegExp(`--port must be .*got "${port}"`));
      expect(r.stderr).not.toMatch(/RangeError/);
    }
  }, 200_000);

  it('worker --metrics-port on a port in use stops the worker it started, instead of running on without metrics', async () => {
    const file = path.join(dir, 'worker.yaml');
    writeFileSync(file, `region: { id: test, name: Тест }
store: { dataDir: ${JSON.stringify(path.join(dir, 'worker-data'))} }
redis: { url: ${JSON.stringify(inject('redisUrl'))} }
logging: { level: error }
web: { staffTokenEnv: JG_TEST_STAFF_TOKEN }
`);
    const r = await cli(['worker', '--config', file, '--no-schedules', '--prefix', `jg-test-${randomUUID()}`, '--metrics-port', String(busyPort)],
      { JG_TEST_STAFF_TOKEN: `token-${randomUUID()}` });
    expect(r.code, `exit code (null = still running after 60 s); stderr: ${r.stderr}`).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${busyPort}.*in use`));
    expect(r.stderr).not.toMatch(noStack);
  }, 90_000);
});
