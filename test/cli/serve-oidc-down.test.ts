// A review finding, fixed: `serve` discovered the generic OpenID provider at its start and exited when the provider did
// not answer — a regional SSO down for maintenance while the diary restarted took the ESIA login down with it. Now the
// diary starts, says so once in the log, and the OpenID login answers «не отвечает» until the provider is back.
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServe, type ServeChild } from '../support/serve-child.js';

let serve: ServeChild | undefined;
afterAll(() => serve?.stop());

describe('serve with the OpenID provider down', () => {
  it('starts, logs the failed discovery once, keeps the ESIA login, and answers the OpenID login with «не отвечает»', async () => {
    const [sso, port] = [await freePort(), await freePort()];
    serve = await startServe((dir, certFile) => `region: { id: test, name: Тест }
store: { dataDir: ${JSON.stringify(`${dir}/data`)} }
redis: { url: "redis://127.0.0.1:1" }
logging: { level: info }
auth:
  esia:
    clientId: JGTEST
    redirectUri: http://127.0.0.1:${port}/auth/esia/callback
    esiaCertificateFile: ${certFile}
    signer: { kind: test }
  oidc:
    issuer: http://127.0.0.1:${sso}/realms/edu
    clientId: diary
    redirectUri: http://127.0.0.1:${port}/auth/oidc/callback
    allowInsecureHttp: true
web: { host: 127.0.0.1, port: ${port} }
`);
    expect(serve.output()).toContain('the OpenID provider\'s discovery failed');
    const base = `http://127.0.0.1:${port}`;
    const oidc = await fetch(`${base}/login/oidc`, { redirect: 'manual' });
    expect(oidc.status).toBe(502);
    expect(await oidc.text()).toContain('Сервис входа сейчас не отвечает');
    const esia = await fetch(`${base}/login/esia`, { redirect: 'manual' });
    expect(esia.status).toBe(303);
    expect(esia.headers.get('location')).toContain('/aas/oauth2/v2/ac');
  }, 120_000);
});
