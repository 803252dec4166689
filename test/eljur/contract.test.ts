// Contract tests with nock: the requests the connector sends and how it reads ЭлЖур's answers
// (platforms.md §4.2–§4.5). ЭлЖур has no password hash or request signature to recompute: the auth
// checks are the exact login form and the `devkey`/`vendor`/`out_format`/`auth_token` query of each call.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eljurDeclaration } from '../../src/connectors/eljur/index.js';
import { CapabilityNotSupportedError, requireCapability } from '../../src/connectors/contract.js';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import { authForm, collect, connector, DEVKEY, diary, failure, finals, marks, ok, ORIGIN, PASSWORD, PERIODS, q, RULES, VENDOR } from './contract-fixtures.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ЭлЖур auth', () => {
  it('POST /api/auth sends login, password, devkey, vendor and out_format as a form; every method then carries them in the query with auth_token', async () => {
    const scope = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-1', expires: '2026-12-01 00:00:00' }))
      .get('/api/getrules').query(q('tok-1')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok-1', { student: '30021' })).reply(200, ok(PERIODS));
    const c = connector();
    await c.open();
    const batches = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] }));
    expect(batches.map((b) => b.route)).toEqual(['getrules', 'getperiods']);
    expect(scope.isDone()).toBe(true);
    const m = mapBatch(eljurMapper, batches[0], { system: 'eljur', instance: 't', runId: 'r', mapperVersion: 'v' });
    const persons = m.records.filter((r) => r.entity === 'person');
    expect(persons).toHaveLength(1);
    expect(persons[0]).toMatchObject({ entity: 'person', familyName: 'Иванова', givenName: 'Мария', middleName: 'Петровна', sex: 'female', gradeLevel: 5 });
    expect(persons[0].sourceRefs[0]).toMatchObject({ system: 'eljur', kind: 'user', sourceId: '30021' });
    // Her class and her place in it, for a migration's target to match (docs/platforms/eljur.md).
    expect(m.records.map((r) => r.entity).sort()).toEqual(['enrollment', 'homeroom_class', 'person', 'role_assignment']);
    expect(m.records.find((r) => r.entity === 'homeroom_class')).toMatchObject({ gradeLevel: 5, letter: 'А', title: '5А' });
  });

  it('classes name the year session the periods give, when two classes\' last term ends on different days', async () => {
    // The exam grades end in May's last week: 10А's «4 четверть» ends 31 May, 9А's on 24 May, and no «Год» is listed,
    // so the year is the span of the terms. The connector took the periods once by name (the last «4 четверть»: a year
    // to 24 May) and the mapper by their dates (to 31 May): the classes named a year session that was never stored.
    const rules = { ...RULES, relations: { ...RULES.relations, groups: { '10А': { name: '10А' }, '9А': { name: '9А' } }, students: {
      '30031': { name: '30031', firstname: 'Мария', lastname: 'Иванова', class: '10А' },
      '30041': { name: '30041', firstname: 'Олег', lastname: 'Петров', class: '9А' },
    } } };
    const terms = (end: string) => [{ name: '1 четверть', start: '20250901', end: '20251024' }, { name: '4 четверть', start: '20260330', end }];
    const periods = { students: [{ name: '30031', periods: terms('20260531') }, { name: '30041', periods: terms('20260524') }] };
    nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-y', expires: '2026-12-01 00:00:00' }))
      .get('/api/getrules').query(q('tok-y')).reply(200, ok(rules))
      .get('/api/getperiods').query(q('tok-y', { student: '30031,30041' })).reply(200, ok(periods));
    const c = connector();
    await c.open();
    const batches = await collect(c.readSchool({ schoolSourceId: VENDOR, from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] }));
    const records = batches.flatMap((b) => mapBatch(eljurMapper, b, { system: 'eljur', instance: 't', runId: 'r', mapperVersion: 'v' }).records);
    const sessions = new Set(records.filter((r) => r.entity === 'academic_session').map((r) => r.id));
    const classes = records.filter((r) => r.entity === 'homeroom_class');
    expect(classes).toHaveLength(2);
    for (const k of classes) expect(sessions.has((k as { academicYearId: string }).academicYearId)).toBe(true);
  });

  it('a plain roster read (ЭлЖур a target) reads no diary; one asking for the school\'s structure (system of record, migration source) reads the diary from the year\'s first day', async () => {
    // Plain: getrules and getperiods only — nock refuses any getdiary (no interceptor, no net connect).
    const plain = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-p' }))
      .get('/api/getrules').query(q('tok-p')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok-p', { student: '30021' })).reply(200, ok(PERIODS));
    const a = connector();
    await a.open();
    const plainBatches = await collect(a.readSchool({ from: '2025-09-08', to: '2025-09-14', capabilities: ['roster.read'] }));
    expect(plainBatches.map((b) => b.route)).toEqual(['getrules', 'getperiods']);
    expect(plain.isDone()).toBe(true);
    const teachers = plainBatches.flatMap((b) => mapBatch(eljurMapper, b, { system: 'eljur', instance: 't', runId: 'r', mapperVersion: 'v' }).records)
      .filter((r) => r.entity === 'role_assignment' && r.role !== 'student');
    expect(teachers).toEqual([]);
    nock.cleanAll();
    // `schoolStructure`: a diary page per class and week, from the year's first day (2025-09-01) to the scope's end.
    const structure = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-s' }))
      .get('/api/getrules').query(q('tok-s')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok-s', { student: '30021' })).reply(200, ok(PERIODS))
      .get('/api/getdiary').query(q('tok-s', { student: '30021', days: '20250901-20250907' })).reply(200, diary)
      .get('/api/getdiary').query(q('tok-s', { student: '30021', days: '20250908-20250914' })).reply(200, diary);
    const b = connector();
    await b.open();
    const batches = await collect(b.readSchool({ from: '2025-09-08', to: '2025-09-14', capabilities: ['roster.read'], schoolStructure: true }));
    expect(batches.map((x) => x.route)).toEqual(['getrules', 'getperiods', 'getdiary', 'getdiary']);
    expect(batches.slice(2).every((x) => x.context.ids.part === 'roster')).toBe(true);
    expect(structure.isDone()).toBe(true);
    const mapped = batches.flatMap((x) => mapBatch(eljurMapper, x, { system: 'eljur', instance: 't', runId: 'r', mapperVersion: 'v' }).records);
    // The teacher the lessons name (the same on both pages: one record).
    expect(new Set(mapped.filter((r) => r.entity === 'role_assignment' && r.role === 'subject_teacher').map((r) => r.id)).size).toBe(1);
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
      .get('/api/getperiods').query(q('tok-b', { student: '30021' })).reply(200, ok(PERIODS));
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
      .get('/api/getperiods').query(q('tok-v', { student: '30021' })).reply(200, ok(PERIODS));
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
  function journalScope(token = 'tok') {
    return nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token }))
      .get('/api/getrules').query(q(token)).reply(200, ok(RULES))
      .get('/api/getperiods').query(q(token, { student: '30021' })).reply(200, ok(PERIODS));
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
