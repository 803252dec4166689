// The ЭлЖур emulator's auth as platforms.md §4.2 describes it, driven with plain fetch: the three request
// forms of /api/auth, the devkey and vendor checks, the v_token exchange, and what each role may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import { parseEljurXml } from '../../src/mappers/eljur/index.js';
import { connectorFor } from './harness.js';

let emu: EljurEmulator;
beforeAll(async () => { emu = await startEljurEmulator({ seed: 7, pupils: 30, weeks: 1 }); });
afterAll(() => emu?.close());

const acc = (role: string) => emu.info.accounts.find((a) => a.role === role)! as unknown as { login: string; password: string; vToken: string };
const base = () => ({ devkey: emu.info.devkey as string, vendor: emu.info.vendor as string, out_format: 'json' });
const url = (path: string, q: Record<string, string>) => `${emu.baseUrl}${path}?${new URLSearchParams(q)}`;
type Env = { response: { state: number; error: string | null; result: Record<string, unknown> } };

describe('ЭлЖур emulator auth', () => {
  it('accepts /api/auth as a GET query, a POST form and a POST JSON body with devkey/vendor in the query', async () => {
    const { login, password } = acc('administrator');
    const a = await (await fetch(url('/api/auth', { ...base(), login, password }))).json() as Env;
    const b = await (await fetch(`${emu.baseUrl}/api/auth`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...base(), login, password }) })).json() as Env;
    const c = await (await fetch(url('/apiv3/auth', base()), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) })).json() as Env;
    for (const r of [a, b, c]) {
      expect(r.response).toMatchObject({ state: 200, error: null });
      expect(r.response.result.token).toMatch(/^[0-9a-f]{48}$/);
    }
  });

  it('ЭлЖур: a wrong devkey is answered 200 with state 403 «не удалось авторизовать разработчика»', async () => {
    const res = await fetch(url('/api/getrules', { ...base(), devkey: 'ffffffffffffffffffffffffffffffff', auth_token: 'x' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Env).response).toMatchObject({ state: 403, error: 'не удалось авторизовать разработчика' });
  });

  it('answers in XML when out_format=xml, with the same envelope', async () => {
    const { login, password } = acc('administrator');
    const text = await (await fetch(url('/api/auth', { ...base(), out_format: 'xml', login, password }))).text();
    expect(text.startsWith('<?xml')).toBe(true);
    expect(parseEljurXml(text)).toMatchObject({ response: { state: '200', error: '', result: { token: expect.any(String) } } });
  });

  it('exchanges a v_token at apiv3/getusersvendors (no envelope) and refuses a bad one with 400 {error, result:false}', async () => {
    const good = await (await fetch(url('/apiv3/getusersvendors', { v_token: acc('parent').vToken, out_format: 'json' }))).json() as { result: { vendor: string; token: string; vendor_id: string }[] };
    expect(good.result).toEqual([expect.objectContaining({ vendor: emu.info.vendor, vendor_id: '0417', token: expect.any(String) })]);
    const bad = await fetch(url('/apiv3/getusersvendors', { v_token: 'nope', out_format: 'json' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'v_token недействителен', result: false });
  });

  it('a pupil sees only themselves: getrules lists one pupil and another pupil\'s diary is refused with state 403', async () => {
    const { login, password } = acc('student');
    const token = ((await (await fetch(url('/api/auth', { ...base(), login, password }))).json()) as Env).response.result.token as string;
    const rules = ((await (await fetch(url('/api/getrules', { ...base(), auth_token: token }))).json()) as Env).response.result as { relations: { students: Record<string, unknown> }; vuid: string };
    const ids = Object.keys(rules.relations.students);
    expect(ids).toHaveLength(1);
    expect(rules.vuid).toMatch(/^0417#\d+$/);
    const other = [...emu.world.pupils.values()].find((p) => p.id !== ids[0])!.id;
    const res = ((await (await fetch(url('/api/getdiary', { ...base(), auth_token: token, student: other, days: '20250901-20250905' }))).json()) as Env).response;
    expect(res).toMatchObject({ state: 403 });
  });

  it('the connector reads a school with the v_token flow (imported_session) just as with a password', async () => {
    const c = connectorFor(emu, { auth: { kind: 'imported_session', vToken: acc('administrator').vToken } });
    await c.open();
    let pupils = 0;
    for await (const b of c.readSchool({ from: '2025-09-01', to: '2025-09-05', capabilities: ['roster.read'] })) {
      if (b.route === 'getrules') pupils = Object.keys(((b.payload as Env).response.result.relations as { students: Record<string, unknown> }).students).length;
    }
    await c.close();
    expect(pupils).toBe(emu.world.pupils.size);
    expect(emu.stats().byRoute.getusersvendors).toBeGreaterThan(0);
  });
});
