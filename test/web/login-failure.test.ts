// What a parent reads, and the log says, when the generic OpenID provider fails (src/web/login-failure.ts), with the
// errors openid-client really throws: a cancel at the provider, the provider down or answering 503, an invalid_grant.
// Before, every one of them was «Сервис входа временно недоступен» with `error: <class name>` in the log — a cancel
// and a rejected code read like an outage. Synthetic only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsiaError } from '../../src/auth/esia/errors.js';
import { TokenCheckError } from '../../src/auth/esia/tokens.js';
import { Writable } from 'node:stream';
import { EsiaClient } from '../../src/auth/esia/client.js';
import { createLogger } from '../../src/infra/logger.js';
import { openStore } from '../../src/store/index.js';
import { loginFailure } from '../../src/web/login-failure.js';
import { buildDiaryServer } from '../../src/web/server.js';

describe('a failed login of the generic OpenID provider, as openid-client reports it', () => {
  let server: Server;
  let issuer: string;
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => { server.closeAllConnections(); server.close(); });

  /** The callback's code exchange against `tokenEndpoint`, returning what it threw. */
  const exchange = async (query: string, tokenEndpoint = `${issuer}/token`): Promise<unknown> => {
    const config = new client.Configuration({ issuer, token_endpoint: tokenEndpoint }, 'diary', undefined, client.None());
    client.allowInsecureRequests(config);
    return client.authorizationCodeGrant(config, new URL(`https://dnevnik.example.test/auth/oidc/callback?${query}`), { expectedState: 's', pkceCodeVerifier: 'v'.repeat(43) })
      .then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);
  };

  it('cancelled at the provider: «Вход отменён.», 400', async () => {
    const f = loginFailure(await exchange('error=access_denied&state=s'), 'oidc');
    expect(f).toMatchObject({ kind: 'cancelled', status: 400, message: 'Вход отменён.' });
    expect(f.log).toMatchObject({ oauthError: 'access_denied', retry: false });
  });

  it('the provider unreachable: «не отвечает», 502, the socket error named', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const f = loginFailure(await exchange('code=c&state=s', `http://127.0.0.1:${port}/token`), 'oidc');
    expect(f).toMatchObject({ kind: 'unavailable', status: 502, message: 'Сервис входа сейчас не отвечает. Попробуйте войти позже.' });
    expect(f.log).toMatchObject({ reason: 'ECONNREFUSED', retry: true });
  });

  it('the provider answering 503: «не отвечает», 502', async () => {
    answer = { status: 503, body: '<html>down</html>' };
    const f = loginFailure(await exchange('code=c&state=s'), 'oidc');
    expect(f).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(JSON.stringify(f.log)).not.toContain('down');
  });

  it('a code the provider rejects: «Вход не подтверждён», 400, its OAuth error logged', async () => {
    answer = { status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'code of Синтетова expired' }) };
    const f = loginFailure(await exchange('code=c&state=s'), 'oidc');
    expect(f).toMatchObject({ kind: 'refused', status: 400 });
    expect(f.message).toMatch(/^Вход не подтверждён/);
    expect(f.log).toMatchObject({ oauthError: 'invalid_grant' });
    expect(JSON.stringify(f.log)).not.toContain('Синтетова');
  });

  it('a callback error the provider words freely is left out of the log', async () => {
    const f = loginFailure(await exchange('error=%D0%A1%D0%9D%D0%98%D0%9B%D0%A1%20123-456-789%2064&state=s'), 'oidc');
    expect(JSON.stringify(f.log)).not.toContain('123-456-789');
  });
});

describe('a failed ESIA login', () => {
  it('ESIA-007004 is a cancel; ESIA-007008 and a timeout are ESIA down; 007053 and a token check are refusals; anything else is ours', () => {
    expect(loginFailure(EsiaError.from('authorize', { error: 'access_denied', error_description: 'ESIA-007004: denied' }), 'esia').kind).toBe('cancelled');
    expect(loginFailure(EsiaError.from('token', { error: 'server_error', error_description: 'ESIA-007008: busy' }, 503), 'esia').kind).toBe('unavailable');
    expect(loginFailure(new EsiaError('token', 'OAUTH_TIMEOUT', null), 'esia')).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(loginFailure(EsiaError.from('token', { error: 'invalid_client', error_description: 'ESIA-007053: wrong' }, 400), 'esia')).toMatchObject({ kind: 'refused', status: 400 });
    expect(loginFailure(new TokenCheckError('signature', 'x'), 'esia')).toMatchObject({ kind: 'refused', log: { problem: 'signature' } });
    expect(loginFailure(new Error('connection to the store lost'), 'esia')).toMatchObject({ kind: 'internal', status: 500 });
  });
});

describe('the signer failing at the login\'s start', () => {
  it('is «Сервис входа временно недоступен» (500) and the log says it was the start, with the signer\'s own message', async () => {
    // A remote signing service that is down: before, Fastify's error handler logged `request failed` with `error: Error` only.
    const signer = { kind: 'remote', sign: async (): Promise<Uint8Array> => { throw new Error('remote signer https://signer.internal/sign: HTTP 503'); }, certificateHash: async () => 'A'.repeat(64) };
    const client = new EsiaClient({
      baseUrl: 'https://esia.invalid', issuer: 'http://esia.invalid/', clientId: 'TESTSYS', redirectUri: 'https://dnevnik.example.test/auth/esia/callback',
      scope: 'openid', signer, verifier: { alg: 'RS256', verify: async () => false },
    });
    const logs: string[] = [];
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const { app } = buildDiaryServer({ store, logger: createLogger({ destination: new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }) }), secure: false, esia: { client } });
    try {
      const res = await app.inject({ method: 'GET', url: '/login/esia' });
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('Сервис входа временно недоступен');
      const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'login failed');
      expect(line).toMatchObject({ level: 50, step: 'esia-start', kind: 'internal', detail: 'remote signer https://signer.internal/sign: HTTP 503' });
      expect(res.headers['set-cookie'] ?? '').not.toMatch(/jg_login=[^;]/); // no login transaction begun
    } finally {
      await app.close();
      await store.close();
    }
  });
});
