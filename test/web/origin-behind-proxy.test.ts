// Forms behind a reverse proxy that passes its own upstream name as Host (nginx's default `proxy_set_header Host
// $proxy_host`): the browser's Origin is `web.publicUrl`'s, the Host the server sees is not. Before, every such POST
// was taken for a cross-site one — the staff could not log in, a parent could not log out (403). Another site's Origin
// is refused as before, and with no publicUrl configured the Host header alone decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORDS, staffRig, type StaffRig } from './staff-rig.js';

const PUBLIC = 'https://dnevnik.example.ru';
const login = (r: StaffRig, headers: Record<string, string>) => r.app.inject({
  method: 'POST', url: '/staff/login',
  headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'gateway-backend:8080', ...headers },
  payload: new URLSearchParams({ login: 'region', password: PASSWORDS.region }).toString(),
});

describe('the CSRF origin check behind a reverse proxy', () => {
  let r: StaffRig;
  let bare: StaffRig;
  beforeAll(async () => {
    [r, bare] = await Promise.all([staffRig([`  publicUrl: ${PUBLIC}`, '  trustProxy: 127.0.0.1']), staffRig()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([r?.close(), bare?.close()]);
  });

  it('a form posted from web.publicUrl through a proxy that rewrites Host is ours: the staff log in and out', async () => {
    const res = await login(r, { origin: PUBLIC });
    expect(res.statusCode).toBe(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const home = await r.app.inject({ method: 'GET', url: '/staff', headers: { cookie, host: 'gateway-backend:8080' } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)![1];
    const out = await r.app.inject({
      method: 'POST', url: '/staff/logout',
      headers: { cookie, origin: PUBLIC, host: 'gateway-backend:8080', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(out.statusCode).toBe(303);
    expect((await r.app.inject({ method: 'GET', url: '/staff', headers: { cookie, host: 'gateway-backend:8080' } })).statusCode).toBe(303);
  });

  it('another site, or the public host under another scheme or port, is still refused', async () => {
    for (const origin of ['https://evil.example', 'http://dnevnik.example.ru', 'https://dnevnik.example.ru:8443', 'null']) {
      const res = await login(r, { origin });
      expect(res.statusCode, origin).toBe(403);
      expect(res.headers['set-cookie'], origin).toBeUndefined();
    }
  });

  it('without web.publicUrl the Host header alone says what is ours', async () => {
    expect((await login(bare, { origin: PUBLIC })).statusCode).toBe(403);
    expect((await login(bare, { origin: 'http://gateway-backend:8080' })).statusCode).toBe(303);
  });
});
