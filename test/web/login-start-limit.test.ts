// Starting a parent's login costs the server: ESIA's authorization request is signed (with the GOST engine, one
// openssl process per request) and a login transaction is kept for ten minutes. Before, /login/esia was unlimited: a
// loop from one address spawned a signing process per request, and a flood of starts grew the transactions without
// bound. Synthetic only: a signer that counts (and can hold) its calls.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EsiaClient } from '../../src/auth/esia/client.js';
import { createLogger } from '../../src/infra/logger.js';
import { openStore } from '../../src/store/index.js';
import { buildDiaryServer } from '../../src/web/server.js';
import { LoginStartLimit } from '../../src/web/login-start-limit.js';
import { SessionStore } from '../../src/web/sessions.js';

/** A diary whose ESIA client signs with `sign`; closes everything after `fn`. */
async function withDiary(
  sign: () => Promise<Uint8Array>, fn: (app: ReturnType<typeof buildDiaryServer>['app'], logs: string[]) => Promise<void>, loginStarts?: LoginStartLimit,
): Promise<void> {
  const client = new EsiaClient({
    baseUrl: 'https://esia.invalid', issuer: 'http://esia.invalid/', clientId: 'TESTSYS', redirectUri: 'https://dnevnik.example.test/auth/esia/callback',
    scope: 'openid', signer: { kind: 'test', sign, certificateHash: async () => 'A'.repeat(64) }, verifier: { alg: 'RS256', verify: async () => false },
  });
  const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  const logs: string[] = [];
  const logger = createLogger({ destination: new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }) });
  const { app } = buildDiaryServer({ store, logger, secure: false, esia: { client }, ...(loginStarts ? { loginStarts } : {}) });
  try {
    await fn(app, logs);
  } finally {
    await app.close();
    await store.close();
  }
}

const start = (app: ReturnType<typeof buildDiaryServer>['app'], remoteAddress: string) => app.inject({ method: 'GET', url: '/login/esia', remoteAddress });

describe('starting ESIA logins', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('one address looping on /login/esia is refused after 60 starts a minute, unsigned, and may start again a minute later', async () => {
    let signed = 0;
    await withDiary(async () => { signed++; return new Uint8Array(64); }, async (app) => {
      for (let i = 0; i < 60; i++) expect((await start(app, '203.0.113.7')).statusCode).toBe(303);
      const refused = await start(app, '203.0.113.7');
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('Слишком много попыток входа');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['set-cookie'] ?? '').not.toMatch(/jg_login=[^;]/); // no login transaction begun
      expect(signed).toBe(60);
      // Another address — the next parent — is not held up; an IPv6 client is counted by its /64.
      expect((await start(app, '198.51.100.20')).statusCode).toBe(303);
      for (let i = 0; i < 60; i++) expect((await start(app, `2001:db8:1:2::${(i + 1).toString(16)}`)).statusCode).toBe(303);
      expect((await start(app, '2001:db8:1:2::ffff')).statusCode).toBe(429);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
      expect((await start(app, '203.0.113.7')).statusCode).toBe(303);
    });
  });

  it('at most 8 signings run at once: a start beyond them is 503 «попробуйте через минуту» without a signing process', async () => {
    let signed = 0;
    const held: (() => void)[] = [];
    await withDiary(async () => {
      signed++;
      await new Promise<void>((r) => held.push(r));
      return new Uint8Array(64);
    }, async (app) => {
      const running = Array.from({ length: 8 }, (_, i) => start(app, `192.0.2.${i + 1}`));
      await vi.waitFor(() => expect(held).toHaveLength(8));
      const busy = await start(app, '192.0.2.100');
      expect(busy.statusCode).toBe(503);
      expect(busy.body).toContain('Попробуйте войти через минуту');
      expect(busy.headers['retry-after']).toBeDefined();
      expect(signed).toBe(8);
      for (const release of held) release();
      for (const res of await Promise.all(running)) expect(res.statusCode).toBe(303);
      held.length = 0;
      const after = start(app, '192.0.2.100');
      await vi.waitFor(() => expect(held).toHaveLength(1));
      held[0]();
      expect((await after).statusCode).toBe(303); // the slots came back
    });
  });
  it('behind a reverse proxy web.trustProxy does not name, the refusal\'s log line says every parent shares its address', async () => {
    await withDiary(async () => new Uint8Array(64), async (app, logs) => {
      const viaProxy = () => app.inject({ method: 'GET', url: '/login/esia', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.9' } });
      expect((await viaProxy()).statusCode).toBe(303);
      expect((await viaProxy()).statusCode).toBe(429);
      const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'login start refused');
      expect(line).toMatchObject({ provider: 'esia', refused: 'address', hint: expect.stringContaining('web.trustProxy is not set') });
      expect(JSON.stringify(line)).not.toContain('198.51.100.9'); // no address in the log
    }, new LoginStartLimit({ perAddress: 1, windowMs: 60_000, concurrent: 8 }));
  });
});

describe('login transactions', () => {
  it('are bounded: past the limit the oldest goes, the newest still finish', () => {
    const sessions = new SessionStore(30 * 60_000, 10 * 60_000, () => Date.now(), 3);
    const ids = [1, 2, 3, 4].map((n) => sessions.beginLogin({ provider: 'esia', state: `s${n}` }));
    expect(sessions.takeLogin(ids[0])).toBeNull();
    expect(ids.slice(1).map((id) => sessions.takeLogin(id)?.state)).toEqual(['s2', 's3', 's4']);
  });
});
