// A review finding, fixed: `serve` discovered the generic OpenID provider at its start and exited when the provider did
// not answer — a regional SSO down for maintenance while the diary restarted took the ESIA login down with it. Now the
// diary starts, says so once in the log, and the OpenID login answers «не отвечает» until the provider is back.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFakeEsiaCertificate } from '../../src/auth/fake-esia/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-serve-oidc-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('serve with the OpenID provider down', () => {
  it('starts, logs the failed discovery once, keeps the ESIA login, and answers the OpenID login with «не отвечает»', async () => {
    const cert = await generateFakeEsiaCertificate();
    writeFileSync(path.join(dir, 'esia.cert.pem'), cert.certPem);
    const [sso, port] = [await closedPort(), await closedPort()];
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, `region: { id: test, name: Тест }
store: { dataDir: ${JSON.stringify(path.join(dir, 'data'))} }
redis: { url: "redis://127.0.0.1:1" }
logging: { level: info }
auth:
  esia:
    clientId: JGTEST
    redirectUri: http://127.0.0.1:${port}/auth/esia/callback
    esiaCertificateFile: ${path.join(dir, 'esia.cert.pem')}
    signer: { kind: test }
  oidc:
    issuer: http://127.0.0.1:${sso}/realms/edu
    clientId: diary
    redirectUri: http://127.0.0.1:${port}/auth/oidc/callback
    allowInsecureHttp: true
web: { host: 127.0.0.1, port: ${port} }
`);
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', file], {
      env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '', JG_ALLOW_TEST_SIGNER: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    const deadline = Date.now() + 60_000;
    while (!out.includes('diary listening')) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${out}`);
      if (Date.now() > deadline) throw new Error(`serve did not start in 60 s: ${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain('the OpenID provider\'s discovery failed');
    const base = `http://127.0.0.1:${port}`;
    const oidc = await fetch(`${base}/login/oidc`, { redirect: 'manual' });
    expect(oidc.status).toBe(502);
    expect(await oidc.text()).toContain('Сервис входа сейчас не отвечает');
    const esia = await fetch(`${base}/login/esia`, { redirect: 'manual' });
    expect(esia.status).toBe(303);
    expect(esia.headers.get('location')).toContain('/aas/oauth2/v2/ac');
  }, 120_000);
});
