// The diary over HTTP (no browser): login through the fake ESIA, cookie attributes, no-store, R-25
// «не найдено» for another pupil exactly like a non-existent one, CSRF on logout, logout ends both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksOfPupil, setLinkAccess } from '../../src/auth/children.js';
import { DEMO_IDS } from '../../src/web/demo-school.js';
import { GOST_SKIP_REASON, HAS_GOST } from '../auth/helpers.js';
import { diaryRig, type DiaryRig } from './helpers.js';

if (!HAS_GOST) console.warn(`skipping the diary HTTP tests: ${GOST_SKIP_REASON}`);

class Browser {
  jar = new Map<string, string>();
  setCookies: string[] = [];
  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (new URL(url).hostname === '127.0.0.1' && this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      this.setCookies.push(c);
      const [pair] = c.split(';');
      const [k, v] = pair.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(c) || v === '') this.jar.delete(k);
      else this.jar.set(k, v);
    }
    return res;
  }
  /** Follows redirects across the diary and the fake ESIA, like a browser. */
  async follow(url: string, init: RequestInit = {}): Promise<{ res: Response; url: string; chain: string[] }> {
    let res = await this.get(url, init);
    const chain = [url];
    while (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).toString();
      chain.push(url);
      res = await this.get(url);
    }
    return { res, url, chain };
  }
}

describe.skipIf(!HAS_GOST)('parents\' diary over HTTP', () => {
  let d: DiaryRig;
  let b: Browser;
  beforeAll(async () => {
    d = await diaryRig();
    b = new Browser();
    const { res, chain } = await b.follow(`${d.baseUrl}/login/esia`);
    expect(res.status).toBe(200);
    expect(chain.some((u) => u.includes('/aas/oauth2/v2/ac'))).toBe(true);
  });
  afterAll(async () => { await d?.close(); });

  it('sets its own session cookie: HttpOnly, SameSite=Lax, no ESIA token anywhere in the browser', () => {
    const session = b.setCookies.find((c) => c.startsWith('jg_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i); // plain http in the test; Secure + __Host- behind TLS (next test)
    for (const c of b.setCookies) expect(c).not.toMatch(/eyJ/); // no JWT (ESIA access/id token or code)
  });

  it('lists both children and answers no-store', async () => {
    const res = await b.get(`${d.baseUrl}/`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).toContain('Синтетов Иван');
    expect(text).toContain('Синтетова Мария');
    expect(text).not.toContain('Посторонний');
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });

  it('shows a child\'s marks with the R-13 weighted average, attendance, homework and quarter marks', async () => {
    const res = await b.get(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // Математика: 5×80 + 3×40 + 4×60 = 760 / 180 = 4.22 (plain mean would be 4.00)
    expect(text).toMatch(/data-subject="Математика">4,22</);
    expect(text).toMatch(/data-subject="Русский язык">4,33</); // 4×80 + 5×40 = 520 / 120
    expect(text).toContain('Посещаемость');
    expect(text).toContain('Б');
    expect(text).toContain('упражнения 1–5');
    expect(text).toContain('Не задано');
    expect(text).toContain('1 четверть (четверть)');
  });

  it('R-25: another family\'s pupil is «не найдено», the same page as a pupil that does not exist', async () => {
    const other = await b.get(`${d.baseUrl}/pupil/${DEMO_IDS.petr}`);
    const none = await b.get(`${d.baseUrl}/pupil/00000000-0000-4000-8000-000000000000`);
    const junk = await b.get(`${d.baseUrl}/pupil/..%2F..%2Fetc`);
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    const [a, n, j] = [await other.text(), await none.text(), await junk.text()];
    expect(a).toContain('Не найдено');
    expect(a).toBe(n);
    expect(j).toBe(n);
  });

  it('a link the school refuses during the session hides the child at once, from the list as from the page', async () => {
    const [link] = (await linksOfPupil(d.store, DEMO_IDS.maria)).filter((l) => l.source === 'gateway/esia');
    await setLinkAccess(d.store, { studentId: DEMO_IDS.maria, guardianId: link.guardianId, access: 'none', runId: 'school' });
    const list = await (await b.get(`${d.baseUrl}/`)).text();
    expect(list).toContain('Синтетов Иван');
    expect(list).not.toContain('Мария');
    expect((await b.get(`${d.baseUrl}/pupil/${DEMO_IDS.maria}`)).status).toBe(404);
    await setLinkAccess(d.store, { studentId: DEMO_IDS.maria, guardianId: link.guardianId, access: 'full', runId: 'school-2' });
    expect(await (await b.get(`${d.baseUrl}/`)).text()).toContain('Синтетова Мария');
  });

  it('refuses a logout without the CSRF token, and a forged Origin', async () => {
    expect((await b.get(`${d.baseUrl}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=nope' })).status).toBe(403);
    const page = await (await b.get(`${d.baseUrl}/`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const forged = await b.get(`${d.baseUrl}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: `_csrf=${csrf}` });
    expect(forged.status).toBe(403);
    expect((await b.get(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`)).status).toBe(200);
  });

  it('a form token that is not text (a JSON object or array) is refused like a wrong one, not a 500', async () => {
    for (const csrf of [{}, ['a', 'b'], { length: 43 }, 42]) {
      const res = await b.get(`${d.baseUrl}/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: csrf }) });
      expect(res.status, JSON.stringify(csrf)).toBe(403);
    }
    expect((await b.get(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`)).status).toBe(200);
  });

  it('logout ends our session and then ESIA\'s (redirect_url back to the diary)', async () => {
    const page = await (await b.get(`${d.baseUrl}/`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const { chain } = await b.follow(`${d.baseUrl}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}` });
    expect(chain.some((u) => u.includes('/idp/ext/Logout'))).toBe(true);
    expect(d.rig.fake.loggedOut).toHaveLength(1);
    const after = await b.get(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`);
    expect(after.status).toBe(303);
  });

  it('a new login in the same browser ends the session it came with, and a cancelled one leaves no one logged in', async () => {
    const b3 = new Browser();
    await b3.follow(`${d.baseUrl}/login/esia`);
    const old = b3.jar.get('jg_session')!;
    const withOld = () => fetch(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`, { headers: { cookie: `jg_session=${old}` }, redirect: 'manual' });
    expect((await withOld()).status).toBe(200);
    // The next person at a shared computer starts a login…
    const start = await b3.get(`${d.baseUrl}/login/esia`);
    expect((await withOld()).status).toBe(303); // the previous parent's session is over, whoever holds its cookie
    expect(b3.jar.has('jg_session')).toBe(false);
    // …and cancels it at Госуслуги.
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const cancelled = await b3.get(`${d.baseUrl}/auth/esia/callback?error=access_denied&error_description=cancel&state=${encodeURIComponent(state)}`);
    expect(cancelled.status).toBe(400);
    const home = await (await b3.get(`${d.baseUrl}/`)).text();
    expect(home).not.toContain('Синтетов Иван');
    expect((await b3.get(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`)).status).toBe(303);
  });

  it('a forged callback (no login transaction of this browser) ends no session; a cancelled login arriving from Госуслуги does', async () => {
    const b4 = new Browser();
    await b4.follow(`${d.baseUrl}/login/esia`);
    const reads = async () => (await b4.get(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`)).status;
    expect(await reads()).toBe(200);
    const crossSite = { 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/' };
    expect((await b4.get(`${d.baseUrl}/auth/esia/callback`, { headers: crossSite })).status).toBe(400);
    expect((await b4.get(`${d.baseUrl}/auth/esia/callback?code=x&state=y`, { headers: crossSite })).status).toBe(400);
    expect(await reads()).toBe(200);
    // The next person at this computer starts a login from the school's website and cancels it at Госуслуги, whose
    // redirect back is a cross-site navigation: the previous parent's session is over all the same.
    const start = await b4.get(`${d.baseUrl}/login/esia`, { headers: crossSite });
    expect(start.status).toBe(303);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    await b4.get(`${d.baseUrl}/auth/esia/callback?error=access_denied&state=${encodeURIComponent(state)}`, { headers: crossSite });
    expect(await reads()).toBe(303);
  });

  it('a malformed, unsupported or oversized request body is the client\'s error (4xx, a neutral page), not a 500', async () => {
    const post = (type: string, body: string) => fetch(`${d.baseUrl}/logout`, { method: 'POST', headers: { 'content-type': type }, body, redirect: 'manual' });
    const cases: [string, string, number][] = [
      ['application/json', '{', 400],
      ['text/xml', '<a/>', 415],
      ['application/x-www-form-urlencoded', `a=${'x'.repeat(2_000_000)}`, 413],
    ];
    for (const [type, body, status] of cases) {
      const res = await post(type, body);
      expect(res.status, type).toBe(status);
      const page = await res.text();
      expect(page).toContain('Неверный запрос');
      expect(page).not.toContain('Не удалось войти');
    }
  });

  it('a replayed callback (same login transaction) is refused', async () => {
    const b2 = new Browser();
    const first = await b2.get(`${d.baseUrl}/login/esia`);
    const ac = await b2.get(first.headers.get('location')!);
    const callback = ac.headers.get('location')!;
    expect((await b2.get(callback)).status).toBe(303);
    expect((await b2.get(callback)).status).toBe(400);
  });
});

describe.skipIf(!HAS_GOST)('behind TLS', () => {
  it('marks the cookies Secure with the __Host- prefix', async () => {
    const { buildDiaryServer } = await import('../../src/web/server.js');
    const { createLogger } = await import('../../src/infra/logger.js');
    const { Writable } = await import('node:stream');
    const d = await diaryRig();
    try {
      const { app } = buildDiaryServer({ store: d.store, logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }), secure: true, esia: { client: d.rig.client() } });
      const res = await app.inject({ method: 'GET', url: '/login/esia' });
      const c = res.headers['set-cookie'] as string;
      expect(c).toMatch(/^__Host-jg_login=/);
      expect(c).toMatch(/Secure/);
      expect(c).toMatch(/Path=\//);
      await app.close();
    } finally {
      await d.close();
    }
  });
});
