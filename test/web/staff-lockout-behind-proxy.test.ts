// The staff login's per-address lock behind a reverse proxy (docs/operations.md): with `web.trustProxy` naming the
// proxy, the address counted is the one the proxy saw — the right-most X-Forwarded-For entry — so a client who
// writes made-up addresses in front of it is still locked after 20 failures. With `true`, the client's own leftmost
// entry was taken, and a new one per attempt was never locked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORDS, staffLogin, staffRig, type StaffRig } from './staff-rig.js';

// The test client connects from 127.0.0.1, so that is "the proxy"; 203.0.113.9 is the client the proxy saw.
describe.each([
  ['an address', '  trustProxy: 127.0.0.1'],
  ['a list of networks', '  trustProxy: ["10.0.0.0/8", "127.0.0.0/8"]'],
])('staff lockout with web.trustProxy naming the proxy as %s', (_form, setting) => {
  let r: StaffRig;
  beforeAll(async () => {
    r = await staffRig([setting]);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  });

  it('20 failures from one client lock it, whatever it writes in front of the proxy\'s entry', async () => {
    const forged = (i: number) => ({ 'x-forwarded-for': `10.9.9.${i}, 203.0.113.9` });
    // Five logins × four failures: no login reaches its own limit of five, so only the address can lock.
    for (let i = 0; i < 20; i++) {
      expect((await staffLogin(r.baseUrl, `guess-${i % 5}`, 'wrong-password', forged(i))).status, `attempt ${i + 1}`).toBe(401);
    }
    for (const i of [20, 21]) expect((await staffLogin(r.baseUrl, `guess-${i}`, 'wrong-password', forged(i))).status).toBe(429);
    expect((await staffLogin(r.baseUrl, 'region', PASSWORDS.region, forged(22))).status).toBe(429);
    // Another client behind the same proxy is not locked by it: the lock is the client's, not the proxy's.
    expect((await staffLogin(r.baseUrl, 'region', PASSWORDS.region, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(303);
  });
});
