// Contract tests with nock: the requests the connector sends and how it reads ЭлЖур's answers
// (platforms.md §4.2–§4.5). ЭлЖур has no password hash or request signature to recompute: the auth
// checks are the exact login form and the `devkey`/`vendor`/`out_format`/`auth_token` query of each call.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEljurConnector, eljurConfig, eljurDeclaration } from '../../src/connectors/eljur/index.js';
import { CapabilityNotSupportedError, requireCapability } from '../../src/connectors/contract.js';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import { eljurMapper, toEljurXml } from '../../src/mappers/eljur/index.js';
import type { PlatformBatch } from '../../src/connectors/contract.js';

const ORIGIN = 'http://eljur.test';
const DEVKEY = '0123456789abcdef0123456789abcdef';
const PASSWORD = 'synthetic-Pa55word';
const VENDOR = 'school-test';
let n = 0;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function connector(auth: Record<string, unknown> = { kind: 'credentials', login: 'admin1', password: PASSWORD }, format: 'json' | 'xml' = 'json') {
  return createEljurConnector(eljurConfig.parse({ baseUrl: ORIGIN, devkey: DEVKEY, vendor: VENDOR, auth, format, timeZone: 'Europe/Simferopol' }), {
    instance: `contract-${++n}`, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
}
const ok = (result: unknown) => ({ response: { state: 200, error: null, result } });
const failure = (state: number, error: string) => ({ response: { state, error, result: {} } });
const authForm = { login: 'admin1', password: PASSWORD, devkey: DEVKEY, vendor: VENDOR, out_format: 'json' };
const q = (token: string, extra: Record<string, string> = {}) => ({ devkey: DEVKEY, vendor: VENDOR, out_format: 'json', auth_token: token, ...extra });

const RULES = {
  id: '30007', name: '30007', title: 'Админ', vendor: VENDOR, vendor_id: '0417', vuid: '0417#30007', roles: ['administrator'],
  relations: {
    groups: { '5А': { name: '5А', parallel: '5', hometeacher_id: '30014' } },
    schools: [{ title: 'Школа' }],
    students: { '30021': { name: '30021', title: 'Иванова Мария', firstname: 'Мария', lastname: 'Иванова', middlename: 'Петровна', gender: 'female', class: '5А', parallel: '5' } },
  },
};
const PERIODS = { students: [{ name: '30007', periods: [
  { name: '1 четверть', fullname: '1 четверть', start: '20250901', end: '20251024', disabled: false, ambigious: false },
  { name: 'Год', fullname: '2025/2026 учебный год', start: '20250901', end: '20260531', disabled: '0', ambigious: 'no' },
] }] };

async function collect(it: AsyncIterable<PlatformBatch>): Promise<PlatformBatch[]> {
  const out: PlatformBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('ЭлЖур auth', () => {
  it('POST /api/auth sends login, password, devkey, vendor and out_format as a form; every method then carries them in the query with auth_token', async () => {
    const scope = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-1', expires: '2026-12-01 00:00:00' }))
      .get('/api/getrules').query(q('tok-1')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok-1')).reply(200, ok(PERIODS));
    const c = connector();
    await c.open();
    const batches = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] }));
    expect(batches.map((b) => b.route)).toEqual(['getrules', 'getperiods']);
    expect(scope.isDone()).toBe(true);
    const m = mapBatch(eljurMapper, batches[0], { system: 'eljur', instance: 't', runId: 'r', mapperVersion: 'v' });
    expect(m.records).toHaveLength(1);
    expect(m.records[0]).toMatchObject({ entity: 'person', familyName: 'Иванова', givenName: 'Мария', middleName: 'Петровна', sex: 'female', gradeLevel: 5 });
    expect(m.records[0].sourceRefs[0]).toMatchObject({ system: 'eljur', kind: 'user', sourceId: '30021' });
  });

  it('ЭлЖур: a 200 answer with state 403 «не удалось авторизовать разработчика» is a failure, not retried, and the devkey never shows', async () => {
    const scope = nock(ORIGIN).post('/api/auth').reply(200, failure(403, 'не удалось авторизовать разработчика'));
    const err = await connector().open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayHttpError);
    expect(err).toMatchObject({ action: 'fail', failureType: 'config', status: 200, attempts: 1, code: '403' });
    expect((err as Error).message).toMatch(/не удалось авторизовать разработчика/);
    expect(JSON.stringify((err as GatewayHttpError).toJSON())).not.toContain(DEVKEY);
    expect(JSON.stringify((err as GatewayHttpError).toJSON())).not.toContain(PASSWORD);
    expect(scope.isDone()).toBe(true);
  });

  it('ЭлЖур: a 200 answer with state 401 on a method is an expired token: log in again and repeat the call', async () => {
    const scope = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-a' }))
      .get('/api/getrules').query(q('tok-a')).reply(200, failure(401, 'токен недействителен или устарел'))
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-b' }))
      .get('/api/getrules').query(q('tok-b')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok-b')).reply(200, ok(PERIODS));
    const c = connector();
    await c.open();
    await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] }));
    expect(scope.isDone()).toBe(true);
    expect(c.http.stats.snapshot().authRefreshes).toBe(1);
  });

  it('ESIA-only hosts: apiv3/getusersvendors (no envelope) hands out one token per school; the one of this vendor is used', async () => {
    const scope = nock(ORIGIN)
      .get('/apiv3/getusersvendors').query({ v_token: 'jwt.synthetic.vtoken', out_format: 'json' })
      .reply(200, { result: [{ token: 'other-school', vendor: 'other', vendor_id: '1' }, { token: 'tok-v', vendor: VENDOR, vendor_id: '0417', expires: '2026-12-01 00:00:00' }] })
      .get('/api/getrules').query(q('tok-v')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok-v')).reply(200, ok(PERIODS));
    const c = connector({ kind: 'imported_session', vToken: 'jwt.synthetic.vtoken' });
    await c.open();
    await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] }));
    expect(scope.isDone()).toBe(true);
  });

  it('getusersvendors 400 {error, result:false} is a config failure with the platform text', async () => {
    nock(ORIGIN).get('/apiv3/getusersvendors').query(true).reply(400, { error: 'v_token недействителен', result: false });
    const err = await connector({ kind: 'imported_session', vToken: 'jwt.bad' }).open().catch((e: unknown) => e);
    expect(err).toMatchObject({ action: 'fail', failureType: 'config', status: 400 });
    expect((err as Error).message).toMatch(/v_token недействителен/);
    expect((err as Error).message).not.toContain('jwt.bad');
  });

  it('an imported token is used as is; when it is refused the error says it cannot be renewed', async () => {
    nock(ORIGIN).get('/api/getrules').query(q('imported-tok')).reply(200, failure(401, 'токен выдан для другого vendor'));
    const c = connector({ kind: 'imported_token', token: 'imported-tok' });
    await c.open();
    const err = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07' })).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/cannot be renewed/);
    expect((err as Error).message).not.toContain('imported-tok');
  });
});

describe('ЭлЖур reads, envelopes, errors and retries', () => {
  const diary = ok({ students: { '30021': { name: '30021', title: 'Иванова Мария', days: { '20250901': { name: '20250901', title: 'Понедельник', items: {
    '1': { name: 'Английский язык', num: '1', lesson_id: '000000037', teacher: 'Петров Пётр', teacher_id: '30014', grp: '1 группа', topic: 'Present Simple', starttime: '08:30:00', endtime: '09:15:00', homework: { '0000000371': { id: '0000000371', value: 'упр. 5', individual: 'no' } } },
  } } } } } });
  const marks = ok({ students: { '30021': { name: '30021', lessons: [{ name: 'Английский язык', lesson_id: '505', average: '4.50', averageConvert: 4.5, marks: [
    { value: '5-', weight: 60, weight_float: '60.0', date: '2025-09-01', lesson_id: '000000037', nm: '1', count: '__yes', countas: '5', convert: 5, comment: '', mtype: { id: '10', short: 'oral_answer', type: 'Ответ на уроке' } },
    { value: '4', weight: '60', date: '2025-09-01', lesson_id: '000000037', nm: 2, count: true, convert: 4, comment: 'исправлено', mtype: { id: 10, short: 'oral_answer', type: 'Ответ на уроке' } },
    { value: 'ОП', date: '2025-09-01', lesson_id: '000000037', nm: '1', count: false, convert: 0, countas: 0 },
  ] }] } } });
  const finals = ok({ students: { '30021': { items: [{ name: 'Английский язык', assessments: [{ period: '1 четверть', value: '5', comment: '' }, { period: 'Год', value: '' }] }] } } });

  function journalScope(token = 'tok') {
    return nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token }))
      .get('/api/getrules').query(q(token)).reply(200, ok(RULES))
      .get('/api/getperiods').query(q(token)).reply(200, ok(PERIODS));
  }

  it('a whole class per call: getdiary (rings) then getmarks with student= comma list and days=YYYYMMDD-YYYYMMDD; then getfinalassessments', async () => {
    const scope = journalScope()
      .get('/api/getdiary').query(q('tok', { student: '30021', days: '20250901-20250907', rings: 'true' })).reply(200, diary)
      .get('/api/getmarks').query(q('tok', { student: '30021', days: '20250901-20250907' })).reply(503, '<html>Технические работы</html>')
      .get('/api/getmarks').query(q('tok', { student: '30021', days: '20250901-20250907' })).reply(429, 'slow down', { 'Retry-After': '0' })
      .get('/api/getmarks').query(q('tok', { student: '30021', days: '20250901-20250907' })).reply(200, marks)
      .get('/api/getfinalassessments').query(q('tok', { student: '30021' })).reply(200, finals);
    const c = connector();
    await c.open();
    const batches = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07' }));
    expect(scope.isDone()).toBe(true);
    expect(batches.map((b) => b.route)).toEqual(['getrules', 'getperiods', 'getdiary', 'getmarks', 'getfinalassessments']);
    expect(c.http.stats.snapshot().retries).toBe(2);
    // Map in order with a resolver that learns lessons, as the sync engine's crosswalk does.
    const learned = new Map<string, string>();
    const run = { system: 'eljur' as const, instance: 't', runId: 'r', mapperVersion: 'v', resolve: (e: string, id: string) => learned.get(`${e}:${id}`) };
    const out = batches.map((b) => {
      const m = mapBatch(eljurMapper, b, run);
      for (const r of m.records) if (r.entity === 'lesson') learned.set(`lesson:${r.sourceRefs[0].sourceId}`, r.id);
      return m;
    });
    expect(out.flatMap((m) => m.quarantine)).toEqual([]);
    const recs = out.flatMap((m) => m.records);
    const lesson = recs.find((r) => r.entity === 'lesson')!;
    expect(lesson).toMatchObject({ date: '2025-09-01', lessonNumber: 1, startTime: '08:30', endTime: '09:15', topic: 'Present Simple', subgroup: '1 группа', homework: { text: 'упр. 5' } });
    expect(lesson.sourceRefs[0].sourceId).toBe('000000037'); // leading zeros kept
    const [m1, m2] = recs.filter((r) => r.entity === 'mark');
    expect(m1).toMatchObject({ raw: '5-', base: 5, modifier: 'minus', state: 'graded', slot: 1, weightApplied: 60, lessonId: lesson.id });
    expect(m2).toMatchObject({ raw: '4', slot: 2, retakeOfMarkId: m1.id, comment: 'исправлено' }); // same work type → a retake
    expect(recs.find((r) => r.entity === 'attendance_record')).toMatchObject({ kind: 'late', reason: 'unknown', rawCode: 'ОП', lessonId: lesson.id });
    const fm = recs.filter((r) => r.entity === 'final_mark');
    expect(fm).toHaveLength(1); // an empty value is no final mark
    expect(fm[0]).toMatchObject({ kind: 'quarter', raw: '5', base: 5, sectionId: recs.find((r) => r.entity === 'section')!.id }); // the subgroup section, learned from the diary
  });

  it('out_format=xml: the same answers as XML text give the same records', async () => {
    const xq = (extra: Record<string, string> = {}) => ({ ...q('tok', extra), out_format: 'xml' });
    const xml = (v: { response: unknown }) => toEljurXml(v.response);
    const scope = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok' }))
      .get('/api/getrules').query(xq()).reply(200, xml(ok(RULES)), { 'content-type': 'application/xml' })
      .get('/api/getperiods').query(xq()).reply(200, xml(ok(PERIODS)), { 'content-type': 'application/xml' })
      .get('/api/getdiary').query(xq({ student: '30021', days: '20250901-20250907', rings: 'true' })).reply(200, xml(diary), { 'content-type': 'application/xml' })
      .get('/api/getmarks').query(xq({ student: '30021', days: '20250901-20250907' })).reply(200, xml(marks), { 'content-type': 'application/xml' })
      .get('/api/getfinalassessments').query(xq({ student: '30021' })).reply(200, xml(finals), { 'content-type': 'application/xml' });
    const c = connector(undefined, 'xml');
    await c.open();
    const batches = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07' }));
    expect(scope.isDone()).toBe(true);
    expect(batches.every((b) => typeof b.payload === 'string' && b.context.format === 'xml')).toBe(true);
    const learned = new Map<string, string>();
    const run = { system: 'eljur' as const, instance: 't', runId: 'r', mapperVersion: 'v', resolve: (e: string, id: string) => learned.get(`${e}:${id}`) };
    const mapAll = (list: PlatformBatch[]) => list.flatMap((b) => {
      const m = mapBatch(eljurMapper, b, run);
      expect(m.quarantine).toEqual([]);
      for (const r of m.records) if (r.entity === 'lesson') learned.set(`lesson:${r.sourceRefs[0].sourceId}`, r.id);
      return m.records;
    });
    const recs = mapAll(batches);
    // The same answers as JSON, with the context the connector gave the XML pages.
    const json = [ok(RULES), ok(PERIODS), diary, marks, finals];
    const fromJson = mapAll(batches.map((b, i) => ({ ...b, payload: json[i], context: { ...b.context, format: 'json' as const } })));
    expect(recs.length).toBeGreaterThan(5);
    expect(recs.map((r) => `${r.entity}:${r.id}:${r.contentHash}`).sort()).toEqual(fromJson.map((r) => `${r.entity}:${r.id}:${r.contentHash}`).sort());
    expect(recs.filter((r) => r.entity === 'mark').map((r) => r.raw)).toEqual(['5-', '4']);
    expect(recs.find((r) => r.entity === 'lesson')!.sourceRefs[0].sourceId).toBe('000000037');
  });

  it('a state 400 failure (bad days) is not retried and names the platform text', async () => {
    journalScope().get('/api/getdiary').query(true).reply(200, failure(400, 'параметр days должен иметь вид YYYYMMDD-YYYYMMDD'));
    const c = connector();
    await c.open();
    const err = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ action: 'fail', failureType: 'system', attempts: 1, route: '/api/getdiary' });
    expect((err as Error).message).toMatch(/days/);
    expect((err as GatewayHttpError).url).not.toContain(DEVKEY);
  });

  it('a payload that does not match is a clear error naming route and field, never a crash', async () => {
    const bad = ok({ students: { '30021': { lessons: [{ name: 'Математика', marks: [{ value: '5', date: '01.09.2025', lesson_id: '000000037' }] }] } } });
    const m = eljurMapper('getmarks', bad, { system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-09-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids: {} });
    expect(m.records).toEqual([]);
    expect(m.quarantine).toEqual([expect.objectContaining({ route: 'getmarks', field: 'students.30021.Математика.marks.0.date', reason: expect.stringMatching(/schema mismatch: date/) })]);
    const env = eljurMapper('getrules', { response: { state: '200', result: { relations: {} } } }, { system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-09-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids: {} });
    expect(env.quarantine[0]).toMatchObject({ route: 'getrules', reason: expect.stringMatching(/eljur getrules result: payload does not match the schema at (name|relations)/) });
  });

  it('ЭлЖур declares no write capability: asking for marks.write is a typed error naming platform and capability', () => {
    expect(() => requireCapability(eljurDeclaration, 'marks.write')).toThrow(CapabilityNotSupportedError);
    expect(() => requireCapability(eljurDeclaration, 'marks.write')).toThrow(/eljur.*marks\.write/);
    expect(connector()).not.toHaveProperty('writeMarks');
  });
});
