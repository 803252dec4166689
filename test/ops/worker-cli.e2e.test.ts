// `journal-gateway worker --metrics-port`: the worker process serves /healthz, /readyz and /metrics
// (staff token) and counts its own jobs; without a staff token it refuses to open the port (issue 10).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { freePort } from '../support/free-port.js';

const TOKEN = `staff-${randomUUID()}`;

let exitedEarly = () => false;

/** Polls while the worker process runs: a refused connection is "not yet"; the worker exiting is an error. */
async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (exitedEarly()) throw new Error(`the worker exited while waiting for ${what}`);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('worker --metrics-port', () => {
  let emu: DnevnikEmulator;
  let file: string;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 9, pupils: 12, weeks: 1 });
    const inst = dnevnikInstance('dn-w', emu);
    const yaml = gatewayYaml({ instances: [inst], names: ['dn-w'], schools: [{ id: 'school-w', sor: 'dn-w', platforms: [{ instance: 'dn-w', schoolId: inst.schoolId }] }] });
    file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-ops-')), 'gateway.yaml');
    writeFileSync(file, `${yaml}web: { staffTokenEnv: JG_STAFF_TOKEN }\n`);
  });
  afterAll(async () => {
    await emu.close();
  });

  it('refuses to open the port without the staff token, saying which setting is missing', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: inject('redisUrl'), LOG_PRETTY: '0' };
    delete env.JG_STAFF_TOKEN;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--no-schedules', '--metrics-port', '0'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('JG_STAFF_TOKEN (web.staffTokenEnv) is empty');
  }, 70_000);

  it('serves /healthz, /readyz and /metrics, and counts the jobs it ran', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const port = await freePort();
    let stderr = '';
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--prefix', prefix, '--no-schedules', '--metrics-port', String(port)], {
      env: { ...process.env, REDIS_URL: inject('redisUrl'), JG_STAFF_TOKEN: TOKEN, LOG_PRETTY: '0' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
    exitedEarly = () => proc.exitCode !== null || proc.signalCode !== null;
    const base = `http://127.0.0.1:${port}`;
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    try {
      // Start-up through tsx takes a while on a loaded 2-core machine.
      await waitFor("the worker's /healthz", async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok, 90_000);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      // The store the jobs write to is checked too (issue 10: "Redis, store and each platform reachable").
      const readiness = await ready.json();
      expect(Object.keys(readiness.checks).sort()).toEqual(['platform:dn-w', 'redis', 'store']);
      expect(readiness.checks.store.ok).toBe(true);
      const refused = await fetch(`${base}/metrics`);
      expect(refused.status).toBe(401);
      // The same protective headers as `serve` (its /status shows failure reasons and school ids).
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
      expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");
      await queues.get('roster-sync')!.add('roster-sync', { schoolId: 'school-w', window: { from: '2025-09-01', to: '2025-09-07' } });
      const text = await waitFor('the completed job in /metrics', async () => {
        const body = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
        return /^jg_jobs_total\{kind="roster-sync",outcome="completed"\} 1$/m.test(body) ? body : undefined;
      }, 90_000);
      expect(text).toMatch(/^jg_http_requests_total\{platform="dnevnik",instance="dn-w",status_class="2xx"\} [1-9]\d*$/m);
      expect(text).toMatch(/^jg_queue_jobs\{queue="jg-roster-sync",state="completed"\} 1$/m);
      expect(text).toMatch(/^jg_process_cpu_user_seconds_total /m);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nworker stderr:\n${stderr}`);
    } finally {
      // SIGKILL as in test/jobs/worker.e2e.test.ts: a SIGTERM'd worker does not exit yet (its BullMQ
      // connections stay open after Worker.close), which is not what this test is about.
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      await closeQueues(queues);
      conn.disconnect();
    }
  }, 240_000);
});
