// A platform's session credential rides in its own header (NetSchool `at`, ЭПОС `auth-token`, Дневник.ру
// `Access-Token`). The redirect follower drops only `Authorization` and `Cookie` when a redirect leaves the host, so a
// platform answering with a redirect to another host (a maintenance page on a CDN, a Госуслуги login page) had the
// live session token sent there with the request.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthHook } from '../../src/connectors/http/index.js';
import { ORIGIN, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const TOKEN = 'live-session-token-0123456789';
const auth: AuthHook = {
  apply: (cfg) => {
    cfg.headers.set('Access-Token', TOKEN);
    cfg.headers.set('auth-token', TOKEN);
    cfg.headers.set('at', TOKEN);
    return cfg;
  },
  refresh: async () => undefined,
};

describe('a redirect to another host', () => {
  it('does not carry the session credentials there', async () => {
    const seen: Record<string, unknown>[] = [];
    nock(ORIGIN).get('/v2/users/me').reply(302, '', { Location: 'http://maintenance.example/index.json' });
    nock('http://maintenance.example').get('/index.json').reply(function () {
      seen.push({ ...this.req.headers });
      return [200, { maintenance: true }];
    });
    await testClient({ platform: 'dnevnik', auth }).get('/v2/users/me').catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen[0])).not.toContain(TOKEN);
  });

  it('a redirect within the platform\'s host still carries them', async () => {
    const seen: Record<string, unknown>[] = [];
    nock(ORIGIN).get('/v2/users/me').reply(302, '', { Location: `${ORIGIN}/v2/users/me/` })
      .get('/v2/users/me/').reply(function () {
        seen.push({ ...this.req.headers });
        return [200, { id_str: '1' }];
      });
    const res = await testClient({ platform: 'dnevnik', auth }).get('/v2/users/me');
    expect(res.data).toEqual({ id_str: '1' });
    expect(seen[0]['access-token']).toBe(TOKEN);
  });
});
