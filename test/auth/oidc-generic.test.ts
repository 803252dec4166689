// Generic OpenID Connect login (a regional SSO brokering ESIA) against oidc-provider running locally:
// discovery, PKCE (S256, required by the provider), state and nonce, then the diary session.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCandidates } from '../../src/auth/children.js';
import { GenericOidcLogin } from '../../src/auth/oidc/generic.js';
import { createLogger } from '../../src/infra/logger.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';
import { buildDiaryServer } from '../../src/web/server.js';

const KIDS = [{ id: 'k1', firstName: 'Иван', lastName: 'Синтетов', birthDate: '2012-03-05', snils: '123-456-789 64' }];
/** What the broker's claim carries for the next login (the account's `kids`). */
let kids: Record<string, unknown>[] = KIDS;
/** The provider answers 503 to everything (down for maintenance) while set. */
let providerDown = false;

describe('generic OpenID Connect login against oidc-provider', () => {
  let server: Server;
  let issuer: string;
  let provider: InstanceType<typeof Provider>;
  let store: CanonicalStore;
  const redirectUris: string[] = [];
  const authorizeRequests: URL[] = [];
  const holder: { login?: GenericOidcLogin } = {};
  let app: ReturnType<typeof buildDiaryServer>['app'];
  let base: string;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
    const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    ({ app } = buildDiaryServer({ store, logger, secure: false, oidc: { get login() { return holder.login!; }, childrenClaim: 'kids' } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    redirectUris.push(`${base}/auth/oidc/callback`);
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    provider = new Provider(issuer, {
      clients: [{ client_id: 'diary', client_secret: 'test-only-secret', redirect_uris: redirectUris, token_endpoint_auth_method: 'client_secret_post', post_logout_redirect_uris: [] }],
      scopes: ['openid', 'profile', 'kids'],
      claims: { openid: ['sub'], profile: ['family_name', 'given_name'], kids: ['kids'] },
      findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, family_name: 'Синтетова', given_name: 'Ольга', kids }) }),
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      cookies: { keys: ['test-only-cookie-key'] },
    });
    server.on('request', async (req, res) => {
      if (providerDown) return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      if (req.url?.startsWith('/auth?')) authorizeRequests.push(new URL(req.url, issuer));
      if (req.url?.startsWith('/interaction/')) {
        // The user "logs in and consents" at the SSO: finish the interaction for a synthetic account.
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: 'parent-1', clientId: details.params.client_id });
        grant.addOIDCScope('openid profile kids');
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: 'parent-1' }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      provider.callback()(req, res);
    });
  });
  afterAll(async () => {
    await app?.close();
    server?.closeAllConnections();
    server?.close();
    await store?.close();
  });

  /** A browser's login through the provider (its interaction finished for the synthetic account); the page it ends on. */
  async function loginThroughProvider(): Promise<{ res: Response; go: (url: string) => Promise<Response> }> {
    const jar = new Map<string, string>();
    const go = async (url: string) => {
      const res = await fetch(url, { redirect: 'manual', headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
      for (const c of res.headers.getSetCookie()) { const [k, v] = c.split(';')[0].split('='); if (v) jar.set(k, v); else jar.delete(k); }
      return res;
    };
    let url = `${base}/login/oidc`;
    let res = await go(url);
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      url = new URL(res.headers.get('location')!, url).toString();
      res = await go(url);
    }
    return { res, go };
  }

  it('discovers the provider, logs in with PKCE + state + nonce, links the child from the broker\'s claim and opens the diary', async () => {
    holder.login = await GenericOidcLogin.discover({ issuer, clientId: 'diary', clientSecret: 'test-only-secret', redirectUri: `${base}/auth/oidc/callback`, scope: 'openid profile kids', allowInsecureHttp: true });
    {
      const { res, go } = await loginThroughProvider();
      expect(res.status).toBe(200);
      const auth = authorizeRequests[0];
      expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
      expect(auth.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(auth.searchParams.get('state')).toBeTruthy();
      expect(auth.searchParams.get('nonce')).toBeTruthy();
      expect(await res.text()).toContain('Синтетов Иван');
      expect((await go(`${base}/pupil/${DEMO_IDS.ivan}`)).status).toBe(200);
      expect((await go(`${base}/pupil/${DEMO_IDS.maria}`)).status).toBe(404); // not in the broker's list
    }
  });

  it('a claim passing ESIA\'s kids through as they are (birth date DD.MM.YYYY) is read like ESIA\'s: a child without a SNILS is proposed by name and birth date', async () => {
    // Before, the DD.MM.YYYY date was compared as is with the pupils' ISO dates: the child matched no pupil, silently.
    kids = [
      { id: 2000000001, firstName: 'Иван', lastName: 'Синтетов', middleName: 'Сергеевич', birthDate: '05.03.2012', snils: '123-456-789 64' },
      { id: 2000000002, firstName: 'Мария', lastName: 'Синтетова', middleName: 'Сергеевна', birthDate: '21.09.2015' }, // kid_snils not passed on
    ];
    holder.login ??= await GenericOidcLogin.discover({ issuer, clientId: 'diary', clientSecret: 'test-only-secret', redirectUri: `${base}/auth/oidc/callback`, scope: 'openid profile kids', allowInsecureHttp: true });
    const { res, go } = await loginThroughProvider();
    const page = await res.text();
    expect(page).toContain('Синтетов Иван');
    expect(page).toContain('Ещё 1 — ожидает подтверждения школой.');
    expect((await go(`${base}/pupil/${DEMO_IDS.maria}`)).status).toBe(404); // not before the school confirms
    const waiting = (await pendingCandidates(store)).filter((c) => c.studentId === DEMO_IDS.maria);
    expect(waiting).toHaveLength(1);
    kids = KIDS;
  });

  it('a provider down when the diary starts: its login says so (502) and works once the provider is back, no restart', async () => {
    // Before, serve discovered the provider at its start and exited when it could not: the ESIA login went down with it.
    const saved = holder.login;
    holder.login = GenericOidcLogin.deferred({ issuer, clientId: 'diary', clientSecret: 'test-only-secret', redirectUri: `${base}/auth/oidc/callback`, scope: 'openid profile kids', allowInsecureHttp: true });
    try {
      providerDown = true;
      await expect(holder.login.configuration()).rejects.toThrow();
      const down = await fetch(`${base}/login/oidc`, { redirect: 'manual' });
      expect(down.status).toBe(502);
      expect(await down.text()).toContain('Сервис входа сейчас не отвечает. Попробуйте войти позже.');
      providerDown = false;
      const { res } = await loginThroughProvider();
      expect(await res.text()).toContain('Синтетов Иван');
    } finally {
      providerDown = false;
      holder.login = saved;
    }
  });

  it('rejects a callback whose state was not issued to this browser', async () => {
    const login = await GenericOidcLogin.discover({ issuer, clientId: 'diary', clientSecret: 'test-only-secret', redirectUri: redirectUris[0] ?? `${issuer}/cb`, scope: 'openid', allowInsecureHttp: true });
    const start = await login.start();
    const q = new URLSearchParams({ code: 'x', state: 'forged', iss: issuer });
    const err = (await login.callback(q, start).catch((e: unknown) => e)) as Error & { code?: string; cause?: { message?: string } };
    expect(err.code).toBe('OAUTH_INVALID_RESPONSE');
    expect(String((err as { message: string }).message) + String(err.cause?.message ?? '')).toMatch(/state/);
  });
});
