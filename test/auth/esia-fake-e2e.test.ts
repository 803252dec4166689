// The whole ESIA login against the fake ESIA: v2/ac with a GOST client_secret, v3/te with a fresh state
// and +code, id_token checks, /rs/prns and /kids, refresh, logout URL, and the documented error codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsiaError } from '../../src/auth/esia/errors.js';
import { esiaState } from '../../src/auth/esia/params.js';
import { CLIENT_ID, esiaRig, followAuthorize, GOST_SKIP_REASON, HAS_GOST, PARENT, type EsiaRig } from './helpers.js';

if (!HAS_GOST) console.warn(`skipping the fake-ESIA login tests: ${GOST_SKIP_REASON}`);

describe.skipIf(!HAS_GOST)('ESIA login against the fake ESIA (GOST client_secret)', () => {
  let rig: EsiaRig;
  beforeAll(async () => { rig = await esiaRig(); });
  afterAll(async () => { await rig?.fake.stop(); });

  it('logs in: v2/ac → code → v3/te → checked id_token with the numeric oid', async () => {
    const client = rig.client();
    const req = await client.authorizationRequest();
    expect(req.url.pathname).toBe('/aas/oauth2/v2/ac');
    const callback = await followAuthorize(req.url);
    expect(callback.get('state')).toBe(req.state);
    const tokens = await client.exchangeCode(callback, req.state);
    expect(tokens.subject).toEqual({ oid: PARENT.oid, trusted: true });
    expect(tokens.refreshToken).toBeTruthy();
    expect(rig.fake.events.filter((e) => !e.ok)).toEqual([]);
  });

  it('reads the person and the children (/rs/prns/{oid}/kids?embed=(elements))', async () => {
    const client = rig.client();
    const req = await client.authorizationRequest();
    const tokens = await client.exchangeCode(await followAuthorize(req.url), req.state);
    const person = await client.person(tokens);
    expect(person.lastName).toBe(PARENT.lastName);
    const kids = await client.kids(tokens);
    expect(kids.map((k) => k.snils)).toEqual(['123-456-789 64', '987-654-321 83']);
    expect(kids[0].birthDate).toBe('2012-03-05');
  });

  it('refreshes with a signature over the v2/ac string (no code); a used refresh token gives ESIA-007011', async () => {
    const client = rig.client();
    const req = await client.authorizationRequest();
    const tokens = await client.exchangeCode(await followAuthorize(req.url), req.state);
    const fresh = await client.refresh(tokens.refreshToken!, tokens.subject);
    expect(fresh.accessToken).not.toBe(tokens.accessToken);
    expect(fresh.subject.oid).toBe(PARENT.oid);
    await expect(client.refresh(tokens.refreshToken!, tokens.subject)).rejects.toMatchObject({ name: 'EsiaError', code: 'ESIA-007011' });
  });

  it('a code is good once: a second exchange gives ESIA-007011', async () => {
    const client = rig.client();
    const req = await client.authorizationRequest();
    const callback = await followAuthorize(req.url);
    await client.exchangeCode(callback, req.state);
    await expect(client.exchangeCode(callback, req.state)).rejects.toMatchObject({ code: 'ESIA-007011' });
  });

  it('builds the logout URL with redirect_url (not redirect_uri)', () => {
    const url = rig.client().logoutUrl();
    expect(url.pathname).toBe('/idp/ext/Logout');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_url')).toBe('https://dnevnik.example.test/');
    expect(url.searchParams.has('redirect_uri')).toBe(false);
  });

  it('a callback with another state is refused before any token request', async () => {
    const client = rig.client();
    const req = await client.authorizationRequest();
    const callback = await followAuthorize(req.url);
    await expect(client.exchangeCode(callback, esiaState())).rejects.toBeInstanceOf(EsiaError);
  });

  describe('ESIA error codes for wrong input', () => {
    const acError = async (mutate: (u: URL) => void) => {
      const req = await rig.client().authorizationRequest();
      mutate(req.url);
      const res = await fetch(req.url, { redirect: 'manual' });
      if (res.status === 302) return new URL(res.headers.get('location')!).searchParams.get('error_description');
      return ((await res.json()) as { error_description: string }).error_description;
    };

    it('ESIA-007014 without client_certificate_hash', async () => {
      expect(await acError((u) => u.searchParams.delete('client_certificate_hash'))).toMatch(/^ESIA-007014.*client_certificate_hash/);
    });
    it('ESIA-007053 for a SHA-1 thumbprint instead of the Streebog hash', async () => {
      expect(await acError((u) => u.searchParams.set('client_certificate_hash', 'A'.repeat(40)))).toMatch(/^ESIA-007053/);
    });
    it('ESIA-007053 when the signed string differs (scope changed after signing)', async () => {
      expect(await acError((u) => u.searchParams.set('scope', 'openid fullname'))).toMatch(/^ESIA-007053/);
    });
    it('ESIA-007015 for a timestamp an hour off', async () => {
      const client = rig.client({ now: () => new Date(Date.now() - 3_600_000) });
      const req = await client.authorizationRequest();
      const res = await fetch(req.url, { redirect: 'manual' });
      expect(new URL(res.headers.get('location')!).searchParams.get('error_description')).toMatch(/^ESIA-007015/);
    });
    it('ESIA-007023 for an unregistered redirect_uri (an error page, no redirect)', async () => {
      const client = rig.client({ redirectUri: 'https://evil.example.test/cb' });
      const res = await fetch((await client.authorizationRequest()).url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_description: string }).error_description).toMatch(/^ESIA-007023/);
    });
    it('ESIA-007005 for an unknown mnemonic', async () => {
      const res = await fetch((await rig.client({ clientId: 'OTHERSYS' }).authorizationRequest()).url, { redirect: 'manual' });
      expect(((await res.json()) as { error_description: string }).error_description).toMatch(/^ESIA-007005/);
    });
    it('ESIA-007014 [state, client_id] for a JSON token request; the client maps it to EsiaError', async () => {
      const res = await fetch(`${rig.fake.baseUrl}/aas/oauth2/v3/te`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_description: string }).error_description).toBe("ESIA-007014: The request doesn't contain the mandatory parameter [state, client_id]");
    });
    it('a denied consent comes back as ESIA-007004 and is reported with the action to take', async () => {
      const client = rig.client();
      const req = await client.authorizationRequest();
      const q = new URLSearchParams({ error: 'access_denied', error_description: 'ESIA-007004: denied', state: req.state });
      const err = await client.exchangeCode(q, req.state).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EsiaError);
      expect((err as EsiaError).code).toBe('ESIA-007004');
      expect((err as EsiaError).message).toMatch(/start the login again/);
    });
    it('ESIA-007023 on v3/te when the redirect_uri differs from v2/ac', async () => {
      const rig2 = rig;
      const client = rig2.client();
      const req = await client.authorizationRequest();
      const callback = await followAuthorize(req.url);
      const other = rig2.client({ redirectUri: 'https://evil.example.test/cb' });
      await expect(other.exchangeCode(callback, req.state)).rejects.toMatchObject({ code: 'ESIA-007023' });
    });
  });
});
