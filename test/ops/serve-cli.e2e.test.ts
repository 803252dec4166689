// `journal-gateway serve --config FILE` with `web.staffTokenEnv` and a `web.staff` account: the diary process
// serves /healthz, /readyz, the token-protected /metrics and /status, and the staff pages behind the login
// next to the diary (issue 10).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { generateFakeEsiaCertificate } from '../../src/auth/fake-esia/index.js';
import { hashPassword } from '../../src/web/staff/index.js';
import { staffLogin } from '../web/staff-rig.js';
import { freePort } from '../support/free-port.js';

const TOKEN = `staff-${randomUUID()}`;

describe('serve with a staff token and a staff account', () => {
  it('answers /healthz and /readyz openly, /status and /metrics only with the token, the staff pages only after the login', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jg-ops-serve-'));
    const cert = await generateFakeEsiaCertificate();
    writeFileSync(path.join(dir, 'esia.cert.pem'), cert.certPem);
    const port = await freePort();
    writeFileSync(path.join(dir, 'gateway.yaml'), `region: { id: test, name: Тест }
store: { dataDir: "${dir}" }
logging: { level: warn }
auth:
  esia:
    clientId: JGTEST
    redirectUri: http://127.0.0.1:${port}/auth/esia/callback
    esiaCertificateFile: ${path.join(dir, 'esia.cert.pem')}
    signer: { kind: test }
web:
  host: 127.0.0.1
  port: ${port}
  staffTokenEnv: JG_STAFF_TOKEN
  staff: [{ login: operator, passwordHashEnv: JG_TEST_OPERATOR_HASH, schools: all }]
`);
    const env = { ...process.env, REDIS_URL: inject('redisUrl'), JG_STAFF_TOKEN: TOKEN, JG_ALLOW_TEST_SIGNER: '1', LOG_PRETTY: '0' };
    // A staff account whose hash variable is not set stops the start, naming the variable.
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', path.join(dir, 'gateway.yaml')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('web.staff[0]: environment variable JG_TEST_OPERATOR_HASH (passwordHashEnv) is empty or not set');
    const prefix = `jg-test-${randomUUID()}`;
    let stderr = '';
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', path.join(dir, 'gateway.yaml'), '--prefix', prefix], {
      env: { ...env, JG_TEST_OPERATOR_HASH: await hashPassword('пароль-оператора-1') }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
    const base = `http://127.0.0.1:${port}`;
    try {
      const until = Date.now() + 90_000;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`serve exited with ${proc.exitCode}`);
        const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
        if (ok) break;
        if (Date.now() > until) throw new Error('serve did not answer /healthz within 90 s');
        await new Promise((r) => setTimeout(r, 250));
      }
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(Object.keys((await ready.json()).checks).sort()).toEqual(['redis', 'store']);
      expect((await fetch(`${base}/status`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const status = await fetch(`${base}/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(status.status).toBe(200);
      expect(await status.text()).toContain('<h1>Состояние шлюза</h1>');
      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await metrics.text()).toMatch(/^jg_queue_jobs\{queue="jg-grade-push",state="waiting"\} 0$/m);
      // The diary is still there.
      expect((await fetch(`${base}/`)).status).toBe(200);
      // The staff pages: the login form, then Bull Board over the queues under --prefix.
      expect((await fetch(`${base}/staff/queues/api/queues`)).status).toBe(401);
      const login = await staffLogin(base, 'operator', 'пароль-оператора-1');
      expect(login.status).toBe(303);
      const queues = await fetch(`${base}/staff/queues/api/queues`, { headers: { cookie: login.cookie! } });
      expect(queues.status).toBe(200);
      expect(((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toContain('jg-grade-push');
      const page = await fetch(`${base}/staff/status`, { headers: { cookie: login.cookie! } });
      expect(await page.text()).toContain('<h1>Состояние шлюза</h1>');
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserve stderr:\n${stderr}`);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
    }
  }, 240_000);
});
