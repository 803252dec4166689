// A review finding, fixed: without `web.publicUrl` the diary's cookies were plain whatever the deployment — a diary
// behind TLS, registered with ESIA at an https redirect URI, set its parents' login and session cookies without Secure.
// The redirect URI now says it (src/web/secure-cookies.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startServe, type ServeChild } from '../support/serve-child.js';

let serve: ServeChild | undefined;
afterAll(() => serve?.stop());

describe('serve without web.publicUrl behind TLS', () => {
  it('sets the login cookie Secure, with the __Host- prefix, when ESIA\'s redirect URI is https', async () => {
    const port = await freePort();
    serve = await startServe((dir, certFile) => `region: { id: test, name: Тест }
store: { dataDir: ${JSON.stringify(`${dir}/data`)} }
redis: { url: "redis://127.0.0.1:1" }
logging: { level: info }
auth:
  esia:
    clientId: JGTEST
    redirectUri: https://dnevnik.example.test/auth/esia/callback
    esiaCertificateFile: ${certFile}
    signer: { kind: test }
web: { host: 127.0.0.1, port: ${port} }
`);
    const esia = await fetch(`http://127.0.0.1:${port}/login/esia`, { redirect: 'manual' });
    expect(esia.status).toBe(303);
    const cookie = esia.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-jg_login=/);
    expect(cookie).toMatch(/;\s*Secure/i);
  }, 120_000);
});
