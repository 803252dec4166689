// Security: the logs of a full login (start, fake ESIA, callback, token exchange, /kids, linking, diary
// pages, a refused pupil, logout) carry no token, code, state, SNILS or name (esia.md §8; 152-ФЗ).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, DEMO_PARENT } from '../../src/web/demo-school.js';
import { GOST_SKIP_REASON, HAS_GOST } from '../auth/helpers.js';
import { diaryRig, type DiaryRig } from './helpers.js';

if (!HAS_GOST) console.warn(`skipping the log security test: ${GOST_SKIP_REASON}`);

describe.skipIf(!HAS_GOST)('no personal data or secrets in the logs of a full login', () => {
  let d: DiaryRig;
  const secrets: string[] = [];
  beforeAll(async () => {
    d = await diaryRig();
    const jar: string[] = [];
    const go = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(jar.length ? { cookie: jar.join('; ') } : {}) } });
      for (const c of res.headers.getSetCookie()) { jar.push(c.split(';')[0]); secrets.push(c.split(';')[0].split('=')[1]); }
      return res;
    };
    const start = await go(`${d.baseUrl}/login/esia`);
    const acUrl = new URL(start.headers.get('location')!);
    secrets.push(acUrl.searchParams.get('state')!, acUrl.searchParams.get('client_secret')!);
    const ac = await go(acUrl.toString());
    const cb = new URL(ac.headers.get('location')!);
    secrets.push(cb.searchParams.get('code')!);
    await go(cb.toString());
    const home = await go(`${d.baseUrl}/`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1];
    secrets.push(csrf);
    await go(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`);
    await go(`${d.baseUrl}/pupil/${DEMO_IDS.petr}`);
    await go(`${d.baseUrl}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}` });
  });
  afterAll(async () => { await d?.close(); });

  it('logged the login, the pages and the logout', () => {
    const text = d.logs.join('');
    expect(text).toContain('"msg":"login"');
    expect(text).toContain('"msg":"logout"');
    expect(text).toContain('"route":"/auth/esia/callback"');
  });

  it('contains no token, code, state, session id, CSRF token, client_secret, SNILS, name, birth date or pupil id', () => {
    const text = d.logs.join('');
    expect(text).not.toMatch(/eyJ[\w-]{10,}/); // any JWT: ESIA code, access token, id_token
    for (const s of secrets.filter(Boolean)) expect(text).not.toContain(s);
    const snils = [DEMO_PARENT.snils!, ...DEMO_PARENT.kids.map((k) => k.snils!)];
    for (const v of snils) {
      expect(text).not.toContain(v);
      expect(text).not.toContain(`${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6, 9)}`);
    }
    for (const name of [DEMO_PARENT.lastName, DEMO_PARENT.firstName, ...DEMO_PARENT.kids.flatMap((k) => [k.lastName, k.firstName]), 'Посторонний']) {
      expect(text).not.toContain(name);
    }
    for (const date of ['2012-03-05', '05.03.2012', '1985-04-12']) expect(text).not.toContain(date);
    for (const id of [DEMO_IDS.ivan, DEMO_IDS.petr, DEMO_PARENT.oid]) expect(text).not.toContain(id);
  });
});
