// A review finding, fixed: EsiaClient.refresh() — for deployments with access_type=offline that re-read the children
// with a refreshed token — said `trusted: true` whenever ESIA's refresh answer carried no id_token (OIDC lets it omit
// one), so an account ESIA marks unconfirmed became a confirmed one and its children were linked by SNILS
// (requireTrustedAccount, esia.md §4 step 3); and nothing checked that the refreshed tokens named the person who logged
// in (OIDC Core §12.2). refresh() now takes the login's subject: the new tokens must name the same oid, and without an
// id_token the login's `trusted` stands. Synthetic accounts only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenCheckError } from '../../src/auth/esia/tokens.js';
import type { FakeEsiaAccount } from '../../src/auth/fake-esia/index.js';
import { esiaProxy, type EsiaProxy } from './esia-proxy.js';
import { esiaRig, GOST_SKIP_REASON, HAS_GOST, loginAtFakeAs, PARENT, type EsiaRig } from './helpers.js';

if (!HAS_GOST) console.warn(`skipping the ESIA refresh tests: ${GOST_SKIP_REASON}`);

const UNCONFIRMED: FakeEsiaAccount = { ...PARENT, oid: '1000299701', trusted: false };
const OTHER: FakeEsiaAccount = { ...PARENT, oid: '1000299702', firstName: 'Анна', kids: [] };

describe.skipIf(!HAS_GOST)('refreshing ESIA tokens keeps the person and what ESIA said of the account', () => {
  let rig: EsiaRig;
  let proxy: EsiaProxy;
  /** Applied to the refresh_token grant's form (the request) and its JSON answer, then forwarded by the proxy. */
  let rewrite: { request?: (form: URLSearchParams) => void; answer?: (body: Record<string, unknown>) => void } = {};
  beforeAll(async () => {
    rig = await esiaRig({ accounts: [PARENT, UNCONFIRMED, OTHER], fake: { autoLoginOid: undefined } });
    proxy = await esiaProxy(() => rig.fake.baseUrl);
    proxy.misbehave = (req, res) => {
      if (req.url !== '/aas/oauth2/v3/te') return false;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const refreshing = form.get('grant_type') === 'refresh_token';
        if (refreshing) rewrite.request?.(form);
        void fetch(`${rig.fake.baseUrl}/aas/oauth2/v3/te`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
          .then(async (up) => {
            const body = await up.json() as Record<string, unknown>;
            if (refreshing && up.ok) rewrite.answer?.(body);
            res.writeHead(up.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          });
      });
      return true;
    };
  });
  afterAll(async () => { await proxy?.close(); await rig?.fake.stop(); });

  const loginAs = async (oid: string) => {
    const client = rig.client({ baseUrl: proxy.baseUrl });
    const req = await client.authorizationRequest();
    return { client, tokens: await client.exchangeCode(await loginAtFakeAs(req.url, oid), req.state) };
  };

  it('an unconfirmed account stays unconfirmed when the refresh answer has no id_token', async () => {
    const { client, tokens } = await loginAs(UNCONFIRMED.oid);
    expect(tokens.subject).toEqual({ oid: UNCONFIRMED.oid, trusted: false });
    rewrite = { answer: (body) => { delete body.id_token; } };
    const fresh = await client.refresh(tokens.refreshToken!, tokens.subject);
    expect(fresh.subject).toEqual({ oid: UNCONFIRMED.oid, trusted: false });
  });

  it('a confirmed account stays confirmed, with or without an id_token', async () => {
    const { client, tokens } = await loginAs(PARENT.oid);
    rewrite = { answer: (body) => { delete body.id_token; } };
    const fresh = await client.refresh(tokens.refreshToken!, tokens.subject);
    expect(fresh.subject).toEqual({ oid: PARENT.oid, trusted: true });
    rewrite = {};
    expect((await client.refresh(fresh.refreshToken!, fresh.subject)).subject).toEqual({ oid: PARENT.oid, trusted: true });
  });

  it('refreshed tokens of another person are refused (with an id_token, and with the access token alone)', async () => {
    const other = await loginAs(OTHER.oid);
    const { client, tokens } = await loginAs(PARENT.oid);
    // ESIA answers the refresh with another account's tokens (here: the proxy swaps the refresh token for theirs).
    let swap = other.tokens.refreshToken!;
    rewrite = { request: (form) => form.set('refresh_token', swap) };
    const err = await client.refresh(tokens.refreshToken!, tokens.subject).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenCheckError);
    expect((err as TokenCheckError).problem).toBe('subject');

    const again = await loginAs(OTHER.oid);
    swap = again.tokens.refreshToken!;
    rewrite = { request: (form) => form.set('refresh_token', swap), answer: (body) => { delete body.id_token; } };
    await expect(client.refresh(tokens.refreshToken!, tokens.subject)).rejects.toMatchObject({ name: 'TokenCheckError', problem: 'subject' });
  });
});
