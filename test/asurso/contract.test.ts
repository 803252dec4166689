// Contract tests with nock: the requests the connector sends and how it reads NetSchool's answers
// (platforms.md §1.2, §1.5, §1.6). The password hash is checked against values computed independently
// (Python hashlib with the cp1251 codec, and a hand-written cp1251 table here), not with the code under test.
import { asursoConfig } from '../../src/connectors/asurso/index.js';
import { createHash } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EsiaOnlyHostError, ImportedSessionExpiredError, loginHash, passwordDigest } from '../../src/connectors/asurso/index.js';
import { connector, drain, handshake, ORIGIN, PASSWORD, SALT } from './contract-kit.js';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import { asursoMapper } from '../../src/mappers/asurso/index.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('АСУ РСО password hash (platforms.md §1.2 step 5)', () => {
  it('pw2 = md5(salt + md5(cp1251(password))) and pw = its prefix as long as the password — equal to values from Python hashlib', () => {
    expect(passwordDigest(PASSWORD)).toBe('426d095fafda41ca531595db5e2b5604');
    expect(loginHash(PASSWORD, SALT)).toEqual({ pw2: 'b02e9b5e1daf3effc482a5cd80e0a510', pw: 'b02e9b5e1da' });
    // A UTF-8 digest would differ: the encoding is part of the contract.
    expect(createHash('md5').update(PASSWORD, 'utf8').digest('hex')).not.toBe(passwordDigest(PASSWORD));
  });
});

describe('АСУ РСО auth', () => {
  it('logindata cookie → getdata → form login with the salted hash → header `at` on every call → auth/logout at the end', async () => {
    const login = handshake();
    const api = nock(ORIGIN, { reqheaders: { at: '12345678901234567890123456' } })
      .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, globalYearId: 25, schoolyear: { id: 84301, name: '2026/2027', startDate: '2026-09-01T00:00:00', endDate: '2027-05-31T00:00:00' } })
      .get('/webapi/grade/assignment/types').query({ all: 'false' }).reply(200, [{ id: 3, name: 'Домашнее задание', abbr: 'ДЗ', order: 1 }])
      .get('/webapi/student/diary/init').reply(200, { students: [{ studentId: 501, nickName: 'Иванов Иван' }], currentStudentId: 501, maxMark: 5 })
      .get('/webapi/student/diary').query({ studentId: '501', yearId: '84301', weekStart: '2026-09-07', weekEnd: '2026-09-13' })
      .reply(200, { weekStart: '2026-09-07T00:00:00', weekEnd: '2026-09-13T00:00:00' });
    const logout = nock(ORIGIN).post('/webapi/auth/logout', { at: '12345678901234567890123456', ver: '222' }).matchHeader('at', '12345678901234567890123456').reply(200);
    const c = connector();
    await c.open();
    const batches = await drain(c.readSchool({ from: '2026-09-07', to: '2026-09-13', capabilities: ['diary.read'] }));
    await c.close();
    expect(batches.map((b) => b.route)).toEqual(['student/diary']);
    // yearId is the school's schoolYearId (84301), never the globalYearId (25).
    expect(batches[0].context.ids).toMatchObject({ studentId: '501', yearId: '84301' });
    expect(login.isDone() && api.isDone() && logout.isDone()).toBe(true);
  });

  it('409 with «Неправильный пароль» is a config failure, not retried, and the message reaches the operator', async () => {
    handshake({ loginReply: [409, { message: 'Неправильный пароль или имя пользователя' }] });
    const err = await connector().open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayHttpError);
    expect((err as GatewayHttpError).failureType).toBe('config');
    expect((err as GatewayHttpError).status).toBe(409);
    expect((err as GatewayHttpError).message).toMatch(/Неправильный пароль/);
    expect((err as GatewayHttpError).message).not.toContain(PASSWORD);
  });

  it('a 409 on a data route is that request refused, not the account: no "login refused", no config failure', async () => {
    handshake();
    nock(ORIGIN)
      .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, globalYearId: 25 })
      .get('/webapi/grade/assignment/types').query(true).reply(200, [])
      .get('/webapi/grade/journal/assignments/types/weights').reply(200, [])
      .get('/webapi/grade/attendance/reasons').query(true).reply(200, [])
      .get('/webapi/grade/journal/filter/init').reply(409, { message: 'Журнал редактируется другим пользователем' });
    nock(ORIGIN).post('/webapi/auth/logout').reply(200);
    const c = connector();
    await c.open();
    const err = await drain(c.readSchool({ from: '2026-09-07', to: '2026-09-13', capabilities: ['roster.read'] })).catch((e: unknown) => e) as GatewayHttpError;
    await c.close();
    expect(err).toBeInstanceOf(GatewayHttpError);
    expect([err.code, err.failureType]).toEqual(['409', 'system']);
  });

  it('the throttling message («Следующая попытка может быть совершена не ранее чем…») stops the login at once', async () => {
    handshake({ loginReply: [409, { message: 'Следующая попытка может быть совершена не ранее чем через 60 секунд' }] });
    const err = await connector().open().catch((e: unknown) => e) as GatewayHttpError;
    expect(err.code).toBe('login_throttled');
    expect(err.message).toMatch(/wait before the next attempt/);
    expect(nock.pendingMocks()).toEqual([]); // exactly one handshake: no second attempt
  });

  it('an older server refusing with HTTP 200, {message} and no at: the same refusal, its message kept (wrong password, throttling)', async () => {
    handshake({ loginReply: [200, { message: 'Неправильный пароль или имя пользователя' }] });
    const wrong = await connector().open().catch((e: unknown) => e) as GatewayHttpError;
    expect(wrong).toBeInstanceOf(GatewayHttpError);
    expect(wrong.failureType).toBe('config');
    expect(wrong.message).toMatch(/Неправильный пароль/);
    nock.cleanAll();
    handshake({ loginReply: [200, { message: 'Следующая попытка может быть совершена не ранее чем через 60 секунд' }] });
    const throttled = await connector().open().catch((e: unknown) => e) as GatewayHttpError;
    expect(throttled.code).toBe('login_throttled');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('the school id may also come as options.loginSchoolId (config/example-region.yaml)', async () => {
    handshake();
    await connector(undefined, { loginSchoolId: 77 }).open();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('entryPoint SecurityWarning.asp at login: the warning is acknowledged with at + WarnType=2', async () => {
    handshake({ entryPoint: '/asp/SecurityWarning.asp' });
    const ack = nock(ORIGIN).post('/asp/SecurityWarning.asp', { at: '12345678901234567890123456', WarnType: '2' }).reply(200, '<html>ok</html>');
    await connector().open();
    expect(ack.isDone()).toBe(true);
  });

  it('a short HTML page mentioning SecurityWarning.asp instead of JSON: acknowledge, then repeat the call', async () => {
    handshake();
    const scope = nock(ORIGIN)
      .get('/webapi/context').reply(200, '<html><script>location.href="/asp/SecurityWarning.asp"</script></html>', { 'Content-Type': 'text/html' })
      .post('/asp/SecurityWarning.asp', { at: '12345678901234567890123456', WarnType: '2' }).reply(200, 'ok')
      .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301 })
      .get('/webapi/grade/assignment/types').query(true).reply(200, [])
      .get('/webapi/student/diary/init').reply(200, { students: {}, currentStudentId: null });
    const c = connector();
    await c.open();
    await expect(drain(c.readSchool({ from: '2026-09-07', to: '2026-09-13', capabilities: ['diary.read'] }))).rejects.toThrow(/lists no pupil/);
    expect(scope.isDone()).toBe(true);
  });

  it('session time-out: a 401 makes the connector log in again (new getdata, new salt) and repeat the call', async () => {
    handshake({ at: 'A'.repeat(26) });
    nock(ORIGIN).get('/webapi/context').matchHeader('at', 'A'.repeat(26)).reply(401, { message: 'Сессия завершена' });
    handshake({ at: 'B'.repeat(26) });
    const again = nock(ORIGIN).get('/webapi/context').matchHeader('at', 'B'.repeat(26)).reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301 })
      .get('/webapi/grade/assignment/types').query(true).reply(200, [])
      .get('/webapi/grade/journal/assignments/types/weights').reply(200, [])
      .get('/webapi/grade/attendance/reasons').query(true).reply(200, [])
      .get('/webapi/grade/journal/filter/init').reply(200, { filterSources: [{ filterId: 'PCLID_IUP', items: [] }] });
    const c = connector();
    await c.open();
    await drain(c.readSchool({ from: '2026-09-07', to: '2026-09-13', capabilities: ['roster.read', 'journal.read'] }));
    expect(again.isDone()).toBe(true);
    expect(c.auth.logins).toBe(2);
  });

  it('a Госуслуги-only host (logindata.esiaMainAuth, getdata without salt) is a clear error naming imported_session', async () => {
    nock(ORIGIN).get('/webapi/logindata').reply(200, { esiaMainAuth: true }, { 'Set-Cookie': 'NSSESSIONID=x; Path=/' })
      .post('/webapi/auth/getdata').reply(200, {});
    const err = await connector().open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EsiaOnlyHostError);
    expect((err as Error).message).toMatch(/imported_session/);
  });

  it('imported session: `at` header and the browser cookies are sent; when refused, a clear error says to import a new one', async () => {
    const scope = nock(ORIGIN).get('/webapi/context').matchHeader('at', '99999999999999999999999999').matchHeader('cookie', /NSSESSIONID=from-browser/)
      .reply(401, { message: 'Сессия завершена' });
    const c = connector({ kind: 'imported_session', at: '99999999999999999999999999', ver: '333', cookies: { NSSESSIONID: 'from-browser' } });
    await c.open(); // nothing to do: the session exists
    const err = await drain(c.readSchool({ from: '2026-09-07', to: '2026-09-13' })).catch((e: unknown) => e) as Error;
    expect(err.message).toMatch(/imported session .* has expired/);
    expect(err.message).not.toContain('99999999999999999999999999');
    expect(scope.isDone()).toBe(true);
    expect(new ImportedSessionExpiredError().message).toMatch(/Госуслуги/);
  });

  it('schools/search is called with a name substring (the bare list is refused with 403)', async () => {
    nock(ORIGIN).get('/webapi/logindata').reply(200, {}, { 'Set-Cookie': 'NSSESSIONID=s; Path=/' })
      // A school without an INN on record answers `inn: null` (the emulator's does): the lookup must still work.
      .get('/webapi/schools/search').query({ name: 'Школа №8' }).reply(200, [{ id: 77, name: 'ГБОУ СОШ Школа №8', inn: null, ogrn: null }])
      .post('/webapi/auth/getdata').reply(200, { lt: '1', ver: '2', salt: '3' })
      .post('/webapi/login', (b: Record<string, string>) => b.scid === '77').reply(200, { at: 'C'.repeat(26), timeOut: 900000 });
    await connector(undefined, { schoolName: 'Школа №8' }).open();
    expect(nock.pendingMocks()).toEqual([]);
    // Neither id nor name: refused by the config's schema (`config check`), before anything is asked of the server —
    // never the bare list (refused since ~2023).
    const r = asursoConfig.safeParse({ baseUrl: ORIGIN, auth: { kind: 'password', login: 'uchitel1', password: PASSWORD } });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['schoolId'], message: expect.stringMatching(/options\.schoolId .*options\.schoolName/) })]);
    // An imported session needs neither: it is logged in already.
    expect(asursoConfig.safeParse({ baseUrl: ORIGIN, auth: { kind: 'imported_session', at: 'a', ver: 'v' } }).success).toBe(true);
  });
});

describe('АСУ РСО teacher read routes (platforms.md §1.6 [U])', () => {
  it('context → types → weights → filter → per class subjectgroups + studentList + dependent TERMID → grade/journal per group and term in the window; 5xx and 429 retried', async () => {
    handshake();
    const api = nock(ORIGIN)
      .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, globalYearId: 25, schoolyear: { id: 84301, name: '2026/2027', startDate: '2026-09-01T00:00:00', endDate: '2027-05-31T00:00:00' } })
      .get('/webapi/grade/assignment/types').query({ all: 'false' }).reply(200, [{ id: 3, name: 'Домашнее задание', abbr: 'ДЗ' }])
      .get('/webapi/grade/journal/assignments/types/weights').reply(200, [{ typeId: 3, weight: 40 }])
      .get('/webapi/grade/attendance/reasons').query({ lng: 'ru' }).reply(200, [{ id: 1, mark: 'УП', name: 'Уважительная' }])
      .get('/webapi/grade/journal/filter/init').reply(200, { filterSources: [{ filterId: 'PCLID_IUP', items: [{ title: '10Б', value: '2001_0' }] }] })
      .get('/webapi/subjectgroups').query({ classId: '2001' }).reply(502, { message: 'Bad gateway' })
      .get('/webapi/subjectgroups').query({ classId: '2001' }).reply(200, [{ id: 40001, name: '10Б/Алгебра', classId: 2001, className: '10Б', subjectId: 3001, subjectName: 'Алгебра', subgroupName: null, teachers: [] }])
      .get('/webapi/grade/studentList').query({ classId: '2001' }).reply(200, [{ id: 501, lastName: 'Тестов', firstName: 'Тест' }])
      .get('/webapi/grade/studentList').query({ sgId: '40001' }).reply(200, [{ id: 501, lastName: 'Тестов', firstName: 'Тест' }])
      .get('/webapi/grade/journal/filter/init').query({ classId: '2001' }).reply(200, { filterSources: [{ filterId: 'TERMID', items: [{ title: '1 полугодие', value: '5001' }, { title: '2 полугодие', value: '5002' }] }] })
      .get('/webapi/terms/5001').reply(200, { id: 5001, name: '1 полугодие', startDate: '2026-09-01T00:00:00', endDate: '2026-12-26T00:00:00', termType: 'half_year', number: 1 })
      .get('/webapi/terms/5002').reply(429, { message: 'Слишком много запросов' }, { 'Retry-After': '0' })
      .get('/webapi/terms/5002').reply(200, { id: 5002, name: '2 полугодие', startDate: '2027-01-12T00:00:00', endDate: '2027-05-26T00:00:00', termType: 'half_year', number: 2 })
      .get('/webapi/grade/journal').query({ yearId: '84301', classId: '2001', sgId: '40001', termId: '5001' })
      .reply(200, { journals: [{ subjectGroupId: 40001, students: [], classMeeting: [] }], markSettings: { minMark: 1, maxMark: 5 } });
    nock(ORIGIN).post('/webapi/auth/logout').reply(200);
    const c = connector();
    await c.open();
    const batches = await drain(c.readSchool({ from: '2026-09-07', to: '2026-09-20', capabilities: ['roster.read', 'journal.read'] }));
    await c.close();
    expect(batches.map((b) => b.route)).toEqual([
      'context', 'grade/journal/filter/init', 'terms/{termId}', 'terms/{termId}', 'grade/attendance/reasons', 'grade/assignment/types',
      'subjectgroups', 'grade/studentList', 'grade/studentList', 'grade/journal',
    ]);
    expect(batches[7].context.ids.grade).toBe('10');
    expect(batches[9].context.ids).toMatchObject({ sgId: '40001', termId: '5001', from: '2026-09-07', to: '2026-09-20' });
    expect(batches[9].context.timeZone).toBe('Europe/Samara');
    // The roster the sync engine needs: the year and its terms, the class, the subject, roles and both enrollments.
    const recs = batches.flatMap((b) => mapBatch(asursoMapper, b, { system: 'asu_rso', instance: 'contract', runId: 'r', mapperVersion: 'asurso-1' }).records);
    const of = (e: string) => recs.filter((r) => r.entity === e) as unknown as Record<string, unknown>[];
    expect(of('academic_session').map((r) => [r.kind, r.schoolYear])).toEqual([['school_year', 2027], ['half_year', 2027], ['half_year', 2027]]);
    expect(of('homeroom_class')[0]).toMatchObject({ gradeLevel: 10, letter: 'Б', title: '10Б' });
    expect(of('subject')[0]).toMatchObject({ title: 'Алгебра', schoolYear: 2027 });
    expect(of('enrollment').map((r) => [r.isPrimary, r.beginDate])).toEqual([[true, '2026-09-01'], [false, '2026-09-01']]);
    expect(new Set(of('role_assignment').map((r) => r.role))).toEqual(new Set(['student']));
    expect(api.isDone()).toBe(true);
  });

  it('quickedit: «точка» is mark null + dutyMark, `5-` is written as 5, clearing is mark null; the lesson columns are read first', async () => {
    handshake();
    let body: Record<string, unknown> | undefined;
    nock(ORIGIN)
      .get('/webapi/grade/journal/edit').query({ cmid: '7001', sgId: '40001' })
      .reply(200, { attendance: [], assignments: [{ id: 9001, typeId: 3, assignmentName: 'ДЗ', weight: 40, results: [{ studentId: 501, mark: 4 }, { studentId: 503, mark: 4 }] }], lesson: { id: 7001, date: '2026-09-07T00:00:00', scheduleTimeNumber: 1, teacherId: 9 } })
      .post('/webapi/grade/journal/quickedit', (b: Record<string, unknown>) => { body = b; return true; })
      .reply(200, { results: [{ cmId: 7001, assignId: 9001, studentId: 501 }, { cmId: 7001, assignId: 9001, studentId: 502 }, { cmId: 7001, assignId: 9001, studentId: 503 }] });
    const c = connector();
    await c.open();
    const mark = (student: number, state: string, raw: string, base: number | null, action: 'upsert' | 'delete' = 'upsert') => ({
      operationId: `op-${student}`, action, record: { state, raw, base, slot: 1 } as never, targetIds: { sgId: '40001', cmId: '7001', studentId: String(student), assignTypeId: '3' },
    });
    const res = await c.writeMarks!([mark(501, 'graded', '5-', 5), mark(502, 'owed', '.', null), mark(503, 'graded', '4', 4, 'delete')]);
    expect(res.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(body).toEqual({
      sgId: 40001, attendance: [], results: [
        { cmId: 7001, assignId: 9001, assignTypeId: 3, studentId: 501, mark: 5 },
        { cmId: 7001, assignId: 9001, assignTypeId: 3, studentId: 502, mark: null, dutyMark: true },
        { cmId: 7001, assignId: 9001, assignTypeId: 3, studentId: 503, mark: null },
      ],
    });
  });

  it('quickedit attendance: letters УП, Б, НП, ОТ, ОП (and ОСВ from its raw code); a delete sends reason null', async () => {
    handshake();
    let body: { attendance?: unknown[] } | undefined;
    nock(ORIGIN).post('/webapi/grade/journal/quickedit', (b: { attendance?: unknown[] }) => { body = b; return true; }).reply(200, { results: [] });
    const c = connector();
    await c.open();
    const rec = (kind: string, reason: string, rawCode = 'x') => ({ kind, reason, rawCode }) as never;
    const ops = [rec('absent', 'excused'), rec('absent', 'illness'), rec('absent', 'unexcused'), rec('absent', 'unknown'), rec('late', 'unknown'), rec('absent', 'excused', 'ОСВ')]
      .map((record, i) => ({ operationId: `a${i}`, action: 'upsert' as const, record, targetIds: { sgId: '40001', cmId: '7001', studentId: String(500 + i) } }));
    await c.writeAttendance!([...ops, { ...ops[0], operationId: 'del', action: 'delete' }]);
    expect((body!.attendance as { reason: string | null }[]).map((a) => a.reason)).toEqual(['УП', 'Б', 'НП', 'ОТ', 'ОП', 'ОСВ', null]);
  });
});

describe('АСУ РСО diary of one child', () => {
  const context = () => nock(ORIGIN)
    .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, globalYearId: 25 })
    .get('/webapi/grade/assignment/types').query(true).reply(200, [{ id: 7, name: 'Контрольная работа', abbr: 'КР', order: 1 }]);
  const week = (start: string, end: string, className: string, assignId: number) => ({
    weekStart: `${start}T00:00:00`, weekEnd: `${end}T00:00:00`, className,
    weekDays: [{ date: `${start}T00:00:00`, lessons: [{ classmeetingId: assignId, day: `${start}T00:00:00`, number: 1, subjectName: 'Алгебра', assignments: [{ id: assignId, typeId: 7, assignmentName: 'КР', weight: 90 }] }] }],
  });

  it('a pupil who moves to another class mid-year: each week\'s lessons go to the subject groups of that week\'s class', async () => {
    handshake();
    context()
      .get('/webapi/student/diary/init').reply(200, { students: [{ studentId: 501, nickName: 'Ученик' }], currentStudentId: 501 })
      .get('/webapi/student/diary').query((q) => q.weekStart === '2026-09-07').reply(200, week('2026-09-07', '2026-09-13', '7А', 9001))
      .get('/webapi/student/diary/assigns/9001').query(true).reply(200, { id: 9001, assignmentName: 'КР', subjectGroup: { id: 40069, name: '7А/Алгебра' } })
      .get('/webapi/student/diary').query((q) => q.weekStart === '2026-09-14').reply(200, week('2026-09-14', '2026-09-20', '8А', 9002))
      .get('/webapi/student/diary/assigns/9002').query(true).reply(200, { id: 9002, assignmentName: 'КР', subjectGroup: { id: 40086, name: '8А/Алгебра' } });
    nock(ORIGIN).post('/webapi/auth/logout').reply(200);
    const c = connector();
    await c.open();
    const batches = await drain(c.readSchool({ from: '2026-09-07', to: '2026-09-20', capabilities: ['diary.read'] }));
    await c.close();
    expect(batches.map((b) => JSON.parse(b.context.ids.sg))).toEqual([{ Алгебра: '40069' }, { Алгебра: '40086' }]);
  });

  it('a parent with two children: the configured child, or the one the server names current; a child not on the account stops the read', async () => {
    const init = { students: [{ studentId: 501, nickName: 'Первый' }, { studentId: 502, nickName: 'Второй' }], currentStudentId: 501 };
    for (const [diaryStudentId, expected] of [[undefined, '501'], ['502', '502']] as const) {
      handshake();
      context().get('/webapi/student/diary/init').reply(200, init)
        .get('/webapi/student/diary').query(true).reply(200, { weekStart: '2026-09-07T00:00:00', weekEnd: '2026-09-13T00:00:00' });
      nock(ORIGIN).post('/webapi/auth/logout').reply(200);
      const c = connector(undefined, { schoolId: 77, ...(diaryStudentId ? { diaryStudentId } : {}) });
      await c.open();
      // The school id of a sync (1001 here) never chooses the child.
      const [b] = await drain(c.readSchool({ schoolSourceId: '1001', from: '2026-09-07', to: '2026-09-13', capabilities: ['diary.read'] }));
      await c.close();
      expect(b.context.ids.studentId).toBe(expected);
    }
    handshake();
    context().get('/webapi/student/diary/init').reply(200, init);
    nock(ORIGIN).post('/webapi/auth/logout').reply(200);
    const c = connector(undefined, { schoolId: 77, diaryStudentId: '999' });
    await c.open();
    await expect(drain(c.readSchool({ from: '2026-09-07', to: '2026-09-13', capabilities: ['diary.read'] }))).rejects.toThrow('options.diaryStudentId 999 is not among the account\'s 2 pupil(s)');
    await c.close();
  });
});

