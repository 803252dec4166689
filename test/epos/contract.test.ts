// Contract tests with nock: the requests the connector sends and how it reads ЭПОС's answers (platforms.md
// §2.3–§2.6). ЭПОС has no password hash or request signature to recompute (the session is a plain JSON
// POST): the auth checks are the exact session bodies, the `auth-token`/`profile-id` headers and `pid`.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEposConnector, eposConfig, ImportedTokenExpiredError } from '../../src/connectors/epos/index.js';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import { eposMapper } from '../../src/mappers/epos/index.js';
import { ATTENDANCE_EXISTS, SESSION_EXPIRED } from '../../src/mappers/epos/codes.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import type { PlatformBatch } from '../../src/connectors/contract.js';
import type { RecordOf } from '../../src/model/records.js';

const ORIGIN = 'http://epos.test';
const PASSWORD = 'synthetic-Pa55word';
const CABINET = 'synthetic-cabinet-token';
let n = 0;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function connector(auth: Record<string, unknown> = { kind: 'password', login: 'teacher1', password: PASSWORD }, over: Record<string, unknown> = {}) {
  return createEposConnector(eposConfig.parse({ baseUrl: ORIGIN, auth, perPage: 10, ...over }), {
    instance: `contract-${++n}`, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 }, rateLimit: { requestsPerSecond: 1000, concurrency: 1 },
  });
}
const session = (token = 'sess-1', profiles: { id: number; type: string; school_id?: number }[] = [{ id: 77, type: 'school_admin', school_id: 1201 }]) => ({ authentication_token: token, id: 5, profiles });
const passwordLogin = (token = 'sess-1') => nock(ORIGIN).post('/lms/api/sessions', { login: 'teacher1', password_plain: PASSWORD }).reply(200, session(token));
const first = (c: ReturnType<typeof connector>) => c.readSchool({ from: '2025-09-01', to: '2025-09-02' })[Symbol.asyncIterator]().next();
const YEARS = [{ id: 13, name: '2025/2026', begin_date: '2025-09-01', end_date: '2026-05-31', current_year: true }];

describe('ЭПОС auth', () => {
  it('password: POST lms/api/sessions {login, password_plain}; then auth-token and profile-id headers and pid on every call; DELETE at close', async () => {
    passwordLogin();
    const api = nock(ORIGIN, { reqheaders: { 'auth-token': 'sess-1', 'profile-id': '77' } })
      .get('/core/api/academic_years').query({ pid: '77' }).reply(200, []);
    const logout = nock(ORIGIN).delete('/lms/api/sessions').query({ authentication_token: 'sess-1' }).reply(200, []);
    const c = connector();
    await c.open();
    await expect(first(c)).rejects.toThrow(/lists no year/);
    await c.close();
    expect(api.isDone() && logout.isDone()).toBe(true);
  });

  it('profileId picks the profile among the session profiles[]', async () => {
    nock(ORIGIN).post('/lms/api/sessions').reply(200, session('s', [{ id: 1, type: 'parent' }, { id: 2, type: 'teacher' }]));
    nock(ORIGIN).get('/core/api/academic_years').query({ pid: '2' }).matchHeader('profile-id', '2').reply(200, []);
    const c = connector(undefined, { profileId: 2 });
    await c.open();
    await expect(first(c)).rejects.toThrow(/lists no year/);
    expect(nock.isDone()).toBe(true);
  });

  it('a refused login is a config failure whose message carries no password', async () => {
    nock(ORIGIN).post('/lms/api/sessions').reply(401, { code: 401, message: 'Неверный логин или пароль' });
    const known = await connector().open().then(() => null, (e: unknown) => e) as GatewayHttpError;
    expect(known.message).toMatch(/\[401\] Неверный логин или пароль$/); // a known message travels as it is
    nock(ORIGIN).post('/lms/api/sessions').reply(401, { code: 401, message: `Неверный логин или пароль ${PASSWORD}` });
    const err = await connector().open().then(() => null, (e: unknown) => e) as GatewayHttpError;
    expect(err).toBeInstanceOf(GatewayHttpError);
    expect(err.failureType).toBe('config');
    expect(err.message).toMatch(/\[401\] the platform's text withheld/); // anything else is not passed on
    expect(err.message).not.toContain(PASSWORD);
  });

  it('the МЭШ expired-session message (with any status) opens a new session and repeats the call', async () => {
    passwordLogin('old');
    nock(ORIGIN).get('/core/api/academic_years').query(true).matchHeader('auth-token', 'old').reply(500, { code: 500, message: SESSION_EXPIRED });
    passwordLogin('new');
    nock(ORIGIN).get('/core/api/academic_years').query(true).matchHeader('auth-token', 'new').reply(200, []);
    const c = connector();
    await c.open();
    await expect(first(c)).rejects.toThrow(/lists no year/);
    expect(nock.isDone()).toBe(true);
    expect(c.auth.logins).toBe(2);
  });

  it('imported token: the cabinet auth_token is exchanged at lms/api/sessions (with pid), and again after a session expiry', async () => {
    const s = nock(ORIGIN)
      .post('/lms/api/sessions', { auth_token: CABINET }).query({ pid: '77' }).reply(200, session('a'))
      .get('/core/api/academic_years').query(true).reply(401, { code: 401, message: SESSION_EXPIRED })
      .post('/lms/api/sessions', { auth_token: CABINET }).query({ pid: '77' }).reply(200, session('b'))
      .get('/core/api/academic_years').query(true).matchHeader('auth-token', 'b').reply(200, []);
    const c = connector({ kind: 'imported_token', authToken: CABINET }, { profileId: 77 });
    await c.open();
    await expect(first(c)).rejects.toThrow(/lists no year/);
    expect(s.isDone()).toBe(true);
  });

  it('imported token: when the cabinet token itself has expired the error says to import a new one, without the token', async () => {
    nock(ORIGIN).post('/lms/api/sessions', { auth_token: CABINET }).reply(200, session('a'))
      .get('/core/api/academic_years').query(true).reply(401, { code: 401, message: SESSION_EXPIRED })
      .post('/lms/api/sessions', { auth_token: CABINET }).reply(401, { code: 401, message: 'Токен авторизации недействителен или истёк' });
    const c = connector({ kind: 'imported_token', authToken: CABINET });
    await c.open();
    const err = await first(c).then(() => null, (e: unknown) => e) as Error;
    expect(err.message).toMatch(/import a new one/);
    expect(err.message).not.toContain(CABINET);
    nock(ORIGIN).post('/lms/api/sessions').reply(401, { code: 401, message: 'Токен авторизации недействителен или истёк' });
    await expect(connector({ kind: 'imported_token', authToken: CABINET }).open()).rejects.toBeInstanceOf(ImportedTokenExpiredError);
  });
});

describe('ЭПОС errors and retries', () => {
  it('5xx answers are retried; 429 waits out Retry-After', async () => {
    passwordLogin();
    nock(ORIGIN).get('/core/api/academic_years').query(true).reply(502, { code: 502, message: 'Bad Gateway' })
      .get('/core/api/academic_years').query(true).reply(429, { code: 429, message: 'Слишком много запросов' }, { 'Retry-After': '0' })
      .get('/core/api/academic_years').query(true).reply(200, []);
    const c = connector();
    await c.open();
    await expect(first(c)).rejects.toThrow(/lists no year/);
    expect(nock.isDone()).toBe(true);
  });

  it('a {code, message} refusal is not retried and its message reaches the error', async () => {
    passwordLogin();
    const s = nock(ORIGIN).get('/core/api/academic_years').query(true).once().reply(403, { code: 403, message: 'Недостаточно прав для выполнения операции' });
    const c = connector();
    await c.open();
    const err = await first(c).then(() => null, (e: unknown) => e) as GatewayHttpError;
    expect(err.action).toBe('fail');
    expect(err.message).toMatch(/Недостаточно прав/);
    expect(s.isDone()).toBe(true);
  });

  it('a duplicate absence the gateway holds no id of is read back by group and day: the same reason is done and linked, another is refused', async () => {
    const record = { kind: 'absent', reason: 'illness' } as RecordOf<'attendance_record'>;
    const op = { operationId: 'op1', action: 'upsert' as const, record, targetIds: { student: '3', lesson: '9', section: '31', lessonDate: '2025-09-01' } };
    for (const [reasonThere, expected] of [[3, { status: 'unchanged', sourceId: '44' }], [2, { status: 'refused', retryable: false }]] as const) {
      passwordLogin();
      nock(ORIGIN).post('/core/api/attendances').query(true).reply(403, { code: 403, message: ATTENDANCE_EXISTS })
        .get('/core/api/attendances').query({ group_ids: '31', begin_date: '01.09.2025', end_date: '01.09.2025', per_page: '1000', pid: '77' })
        .reply(200, [{ id: 43, schedule_lesson_id: 9, student_profile_id: 4, absence_reason_id: 3 }, { id: 44, schedule_lesson_id: 9, student_profile_id: 3, absence_reason_id: reasonThere }]);
      const c = connector();
      await c.open();
      const [r] = await c.writeAttendance!([op]);
      expect(r).toMatchObject(expected);
      expect(nock.pendingMocks()).toEqual([]);
    }
  });

  // Before, a duplicate without the lesson's group or day was answered `unchanged` unread: the ledger called it done
  // whatever reason the platform held (a teacher's «УП» where the gateway wrote «Б»), and it was never checked again.
  it('a duplicate absence (403 «…уже существует») whose group or day is not linked yet is not called done unread: it waits for the next push', async () => {
    passwordLogin();
    nock(ORIGIN).post('/core/api/attendances', { schedule_lesson_id: 9, student_profile_id: 3, absence_reason_id: 3, absence_reason: 'Болезнь' })
      .query({ pid: '77' }).reply(403, { code: 403, message: ATTENDANCE_EXISTS });
    const c = connector();
    await c.open();
    const record = { kind: 'absent', reason: 'illness' } as RecordOf<'attendance_record'>;
    const [r] = await c.writeAttendance!([{ operationId: 'op1', action: 'upsert', record, targetIds: { student: '3', lesson: '9' } }]);
    expect(r).toMatchObject({ status: 'failed', retryable: true });
    expect(r.reason).toMatch(/group or day/);
  });

  it('a duplicate absence the group\'s list of that day does not show is refused for a look on the platform, not called done', async () => {
    passwordLogin();
    nock(ORIGIN).post('/core/api/attendances').query(true).reply(403, { code: 403, message: ATTENDANCE_EXISTS })
      .get('/core/api/attendances').query(true).reply(200, [{ id: 43, schedule_lesson_id: 9, student_profile_id: 4, absence_reason_id: 3 }]);
    const c = connector();
    await c.open();
    const record = { kind: 'absent', reason: 'illness' } as RecordOf<'attendance_record'>;
    const [r] = await c.writeAttendance!([{ operationId: 'op1', action: 'upsert', record, targetIds: { student: '3', lesson: '9', section: '31', lessonDate: '2025-09-01' } }]);
    expect(r).toMatchObject({ status: 'refused', retryable: false });
    expect(r.reason).toMatch(/do not list it/);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('ЭПОС write routes [A: МЭШ teacher script]', () => {
  const record = { state: 'graded', raw: '4+', weightApplied: 80, markDate: '2025-09-01', slot: 1, comment: 'Молодец' } as RecordOf<'mark'>;
  const body = {
    student_profile_id: 3, schedule_lesson_id: 9, control_form_id: 502, weight: 80, comment: 'Молодец', is_exam: false, is_point: false, point_date: null,
    grade_origins: [{ grade_origin: '4+', grade_system_id: 1 }], grade_system_id: 1, grade_system_name: 'Пятибалльная', grade_system_type: 'five',
    valuesByIds: { 1: '4+' }, is_approve: false, is_criterion: false,
  };
  const op = { operationId: 'm1', action: 'upsert' as const, record, targetIds: { student: '3', lesson: '9', controlForm: '502' } };

  it('a new mark: the lesson\'s marks are looked up once, then POST core/api/marks with the МЭШ body', async () => {
    passwordLogin();
    const s = nock(ORIGIN).get('/core/api/marks').query({ schedule_lesson_id: '9', per_page: '1000', pid: '77' }).reply(200, [{ id: 50, student_profile_id: 4 }])
      .post('/core/api/marks', body).query({ pid: '77' }).reply(201, { id: 51, student_profile_id: 3 });
    const c = connector();
    await c.open();
    expect(await c.writeMarks!([op])).toEqual([{ operationId: 'm1', status: 'applied', sourceId: '51' }]);
    expect(s.isDone()).toBe(true);
  });

  it('a mark the pupil already has in that slot is updated in place with PUT core/api/marks/{id}; a 5xx on POST is not retried', async () => {
    passwordLogin();
    nock(ORIGIN).get('/core/api/marks').query(true).reply(200, [{ id: 60, student_profile_id: 3 }])
      .put('/core/api/marks/60', { ...body, id: 60, name: '4+' }).query({ pid: '77' }).reply(200, { id: 60, student_profile_id: 3 })
      .post('/core/api/marks').query(true).once().reply(502, { code: 502, message: 'Bad Gateway' });
    const c = connector();
    await c.open();
    const [updated] = await c.writeMarks!([op]);
    expect(updated).toMatchObject({ status: 'applied', sourceId: '60' });
    const [failed] = await c.writeMarks!([{ ...op, operationId: 'm2', record: { ...record, slot: 2 } as RecordOf<'mark'> }]);
    expect(failed).toMatchObject({ status: 'failed', retryable: true });
    expect(nock.isDone()).toBe(true);
  });
});

describe('ЭПОС look-ups of a push', () => {
  // The push writes in chunks on one connector: a failed look-up of the control forms used to be kept for the run, so
  // one refused answer failed every mark of every later chunk.
  it('a failed look-up of the control forms is asked again by the next chunk, not kept for the run', async () => {
    const record = { state: 'graded', raw: '4', weightApplied: 80, markDate: '2025-09-01', slot: 1 } as RecordOf<'mark'>;
    const op = (id: string) => ({ operationId: id, action: 'upsert' as const, record, targetIds: { student: '3', lesson: '9', workTypeCode: 'test' } });
    passwordLogin();
    nock(ORIGIN).get('/core/api/marks').query(true).reply(200, []).get('/core/api/academic_years').query(true).reply(403, { code: 403, message: 'Доступ запрещён' });
    const c = connector();
    await c.open();
    const [failed] = await c.writeMarks!([op('m1')]);
    expect(failed.status).not.toBe('applied');
    nock(ORIGIN).get('/core/api/academic_years').query(true).reply(200, YEARS)
      .get('/core/api/control_forms').query(true).reply(200, [{ id: 502, name: 'Контрольная работа', weight: 80, grade_system_id: 1, grade_system: { name: 'Пятибалльная', type: 'five' } }])
      .post('/core/api/marks').query(true).reply(201, { id: 51, student_profile_id: 3 });
    const [r] = await c.writeMarks!([op('m2')]);
    expect(r).toMatchObject({ status: 'applied', sourceId: '51' });
    expect(nock.isDone()).toBe(true);
  });
});

describe('ЭПОС writes of a cell\'s two marks', () => {
  const rec = (slot: 1 | 2, raw: string) => ({ state: 'graded', raw, weightApplied: 80, markDate: '2025-09-01', slot } as RecordOf<'mark'>);
  const op = (id: string, slot: 1 | 2, raw: string, extra: Record<string, string> = {}, existingSourceId?: string) =>
    ({ operationId: id, action: 'upsert' as const, record: rec(slot, raw), targetIds: { student: '3', lesson: '9', controlForm: '502', ...extra }, ...(existingSourceId ? { existingSourceId } : {}) });

  it('a first mark that fails holds back the second: written alone, it would read back as the first', async () => {
    passwordLogin();
    nock(ORIGIN).get('/core/api/marks').query(true).reply(200, []).post('/core/api/marks').query(true).once().reply(502, { code: 502, message: 'Bad Gateway' });
    const c = connector();
    await c.open();
    const [first, second] = await c.writeMarks!([op('m1', 1, '4'), op('m2', 2, '5')]);
    expect(first).toMatchObject({ status: 'failed', retryable: true });
    expect(second).toMatchObject({ status: 'failed', retryable: true, reason: expect.stringContaining('waits for the first mark of its cell') });
    expect(nock.isDone()).toBe(true); // one POST only
  });

  it('a first mark written after its second never takes the second\'s platform mark for itself (it was overwritten with PUT)', async () => {
    passwordLogin();
    const s = nock(ORIGIN).get('/core/api/marks').query(true).reply(200, [{ id: 300000001, student_profile_id: 3 }])
      .post('/core/api/marks').query(true).reply(201, { id: 300000002, student_profile_id: 3 });
    const c = connector();
    await c.open();
    const [r] = await c.writeMarks!([op('m1', 1, '4', { otherSlotMark: '300000001' })]);
    expect(r).toMatchObject({ status: 'applied', sourceId: '300000002' });
    expect(s.isDone()).toBe(true); // a POST, no PUT to 300000001
  });

  it('a mark gone from the platform: a DELETE is done (its first answer may have been lost), an update writes it anew', async () => {
    passwordLogin();
    nock(ORIGIN).get('/core/api/marks').query(true).reply(200, [])
      .delete('/core/api/marks/70').query(true).reply(404, { code: 404, message: 'Оценка не найдена' })
      .put('/core/api/marks/71').query(true).reply(404, { code: 404, message: 'Оценка не найдена' })
      .post('/core/api/marks').query(true).reply(201, { id: 72, student_profile_id: 3 });
    const c = connector();
    await c.open();
    const del = { ...op('d1', 1, '4', {}, '70'), action: 'delete' as const };
    const [deleted, rewritten] = await c.writeMarks!([del, op('u1', 2, '5', {}, '71')]);
    expect(deleted).toMatchObject({ status: 'applied', sourceId: '70' });
    expect(rewritten).toMatchObject({ status: 'applied', sourceId: '72' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('ЭПОС read routes', () => {
  const G = 31, SUB = 32, CONTAINER = 30, P = 1001, T = 2001, L = 70001;
  /** A `core/api/student_homeworks` entry as МЭШ clients show it: group and days, no lesson id. */
  const homework = (id: number, group: number, assigned: string, due: string, description: string) => ({
    id, created_at: '2025-09-01T10:00:00.000', updated_at: '2025-09-01T10:00:00.000', is_ready: false, comment: null, attachments: [], remote_attachments: [],
    homework_entry: { id, description, duration: null, no_duration: true, homework: { id, subject_id: 101, group_id: group, date_assigned_on: assigned, date_prepared_for: due } },
  });
  const mark = (id: number, student: number) => ({
    id, name: '5-', weight: 60, teacher_id: T, comment: null, schedule_lesson_id: L, student_profile_id: student, is_exam: false, is_point: false,
    point_date: null, group_id: G, control_form_id: 501, date: '01.09.2025', created_at: '2025-09-01T15:00:00.000+05:00',
    values: [{ grade: { origin: '5-', five: 4.75, hundred: 95 }, nmax: 5 }],
  });

  it('reads a school route by route in order: YYYY-MM-DD for schedules, dd.mm.yyyy for marks and absences, pages until a short one', async () => {
    passwordLogin();
    const api = nock(ORIGIN, { reqheaders: { 'auth-token': 'sess-1' } });
    api.get('/core/api/academic_years').query({ pid: '77' }).reply(200, YEARS)
      .get('/core/api/schools/1201').query({ pid: '77' }).reply(200, { id: 1201, name: 'МАОУ «Школа № 1»', short_name: 'Школа № 1' })
      .get('/core/api/control_forms').query({ academic_year_id: '13', pid: '77' }).reply(200, [{ id: 501, name: 'Ответ на уроке', weight: 60, grade_system_id: 1, grade_system: { name: 'Пятибалльная', type: 'five' } }])
      .get('/jersey/api/groups').query({ academic_year_id: '13', pid: '77' }).reply(200, [
        { id: G, name: '5А Математика', subject_id: 101, class_unit_ids: [2001], student_ids: [P], subgroup_ids: [] },
        { id: CONTAINER, name: '5А Английский язык', subject_id: 102, class_unit_ids: [2001], student_ids: [P], subgroup_ids: [SUB] },
        { id: SUB, name: '1 группа', subject_id: 102, class_unit_ids: [2001], student_ids: [P], subgroup_ids: [] },
      ])
      .get('/core/api/attestation_periods_schedules').query({ academic_year_id: '13', pid: '77' })
      .reply(200, [{ id: 1, name: 'Четверти', class_unit_ids: [2001], periods: [{ id: 41, name: '1 четверть', type: 'quarter', starts_at: '2025-09-01', ends_at: '2025-10-24' }] }])
      .get('/core/api/teacher_profiles').query({ academic_year_id: '13', with_assigned_groups: 'true', pid: '77' })
      .reply(200, [{ id: T, last_name: 'Учителева', first_name: 'Анна', middle_name: 'Петровна', sex: 'female', birth_date: '1980-02-03' }])
      .get('/core/api/student_profiles').query({ academic_year_id: '13', with_groups: 'true', with_parents: 'true', with_final_marks: 'true', per_page: '10', page: '1', pid: '77' })
      .reply(200, [{
        id: P, last_name: 'Тестов', first_name: 'Тест', sex: 'male', birth_date: '2014-05-06', class_unit: { id: 2001, name: '5А', class_level_id: 5 },
        parents: [{ id: 3001, last_name: 'Тестова', first_name: 'Мама', type: 'Мать', legal_representative: true }],
        final_marks: [{ id: 9, group_id: G, subject_id: 101, value: '4', attestation_period: { id: 41, name: '1 четверть', type: 'quarter' }, avg_five: '4.35', created_at: '2025-10-24T16:00:00.000+05:00', teacher_id: T }],
      }])
      .get('/jersey/api/schedule_items').query({ from: '2025-09-01', to: '2025-09-02', group_id: `${G},${CONTAINER},${SUB}`, with_group_class_subject_info: 'true', with_lesson_info: 'true', page: '1', per_page: '10', pid: '77' })
      .reply(200, [
        { id: L, date: '2025-09-01', iso_date_time: '2025-09-01T03:00:00.000Z', study_ordinal: 1, duration: 40, group_id: G, subject_id: 101, teacher_id: T, replaced: false, cancelled: false, lesson_name: 'Дроби' },
        { id: L + 1, date: '2025-09-01', iso_date_time: '2025-09-01T08:50:00.000', study_ordinal: 2, duration: 40, group_id: SUB, subject_id: 102, teacher_id: T, replaced: false, cancelled: false, lesson_name: null },
      ])
      // Homework: per pupil, by due day — from the block's first day to 30 days after its last (dd.mm.yyyy).
      .get('/core/api/student_homeworks').query({ student_profile_id: String(P), begin_prepared_date: '01.09.2025', end_prepared_date: '02.10.2025', pid: '77' })
      .reply(200, [
        // No schedule_lesson_id (as public МЭШ clients show it): the group's first lesson on the day it was set.
        homework(61, G, '01.09.2025', '03.09.2025', 'Решить № 12, 14'),
        // Due the day it was set: no due day told apart.
        homework(62, SUB, '01.09.2025', '01.09.2025', 'Выучить слова на с. 9'),
        // Set before the window: not this read's.
        homework(63, G, '29.08.2025', '02.09.2025', 'Повторить таблицу умножения'),
      ])
      .get('/core/api/marks').query({ group_ids: `${G},${CONTAINER},${SUB}`, created_at_from: '01.09.2025', created_at_to: '02.09.2025', page: '1', per_page: '10', pid: '77' })
      .reply(200, Array.from({ length: 10 }, (_, i) => mark(80 + i, 5000 + i)))
      .get('/core/api/marks').query({ group_ids: `${G},${CONTAINER},${SUB}`, created_at_from: '01.09.2025', created_at_to: '02.09.2025', page: '2', per_page: '10', pid: '77' })
      .reply(200, [mark(95, P), { ...mark(96, P), name: '3', values: [{ original: '3', five: 3, hundred: 60, nmax: 5 }] }])
      // The page boundary checked (paged-list.ts): page 1's last mark, asked for alone, is still there.
      .get('/core/api/marks').query({ group_ids: `${G},${CONTAINER},${SUB}`, created_at_from: '01.09.2025', created_at_to: '02.09.2025', page: '10', per_page: '1', pid: '77' })
      .reply(200, [mark(89, 5009)])
      .get('/core/api/attendances').query({ group_ids: `${G},${CONTAINER},${SUB}`, begin_date: '01.09.2025', end_date: '02.09.2025', page: '1', per_page: '10', pid: '77' })
      .reply(200, [{ id: 7, schedule_lesson_id: L, student_profile_id: P, absence_reason_id: 5, late_minutes: 7, created_at: '2025-09-01T08:10:00Z', teacher_id: T }]);
    const c = connector();
    await c.open();
    const batches: PlatformBatch[] = [];
    for await (const b of c.readSchool({ from: '2025-09-01', to: '2025-09-02' })) batches.push(b);
    expect(api.isDone()).toBe(true);
    expect(batches.map((b) => b.route)).toEqual([
      'core/api/schools/{id}', 'core/api/academic_years', 'core/api/attestation_periods_schedules', 'core/api/control_forms', 'jersey/api/groups', 'core/api/teacher_profiles', 'core/api/student_profiles',
      'core/api/student_homeworks', 'jersey/api/schedule_items', 'core/api/marks', 'core/api/attendances',
    ]);
    expect((batches.find((b) => b.route === 'core/api/marks')!.payload as unknown[]).length).toBe(12); // both mark pages in one batch
    expect(batches.find((b) => b.route === 'core/api/marks')!.context.partial).toBeUndefined(); // the list did not change
    const lessons = new Map<string, string>();
    const run = { system: 'epos' as const, instance: 'contract', runId: 'r', mapperVersion: 'epos-1', resolve: (e: string, id: string) => (e === 'lesson' ? lessons.get(id) : undefined) };
    const recs = batches.flatMap((b) => {
      const m = mapBatch(eposMapper, b, run);
      expect(m.quarantine).toEqual([]);
      for (const r of m.records) if (r.entity === 'lesson') lessons.set(r.sourceRefs[0].sourceId, r.id);
      return m.records;
    });
    const of = (e: string) => recs.filter((r) => r.entity === e) as unknown as Record<string, unknown>[];
    expect(of('section').map((s) => [s.title, s.subgroup])).toEqual([['5А Математика', undefined], ['5А Английский язык (1 группа)', '1 группа']]);
    // Perm is UTC+5: 03:00Z and a wall-clock 08:50 are both school time.
    expect(of('lesson').map((l) => [l.startTime, l.endTime, l.subgroup])).toEqual([['08:00', '08:40', undefined], ['08:50', '09:30', '1 группа']]);
    expect(of('lesson').map((l) => l.homework)).toEqual([
      { text: 'Решить № 12, 14', notAssigned: false, dueDate: '2025-09-03', attachments: [] },
      { text: 'Выучить слова на с. 9', notAssigned: false, attachments: [] },
    ]);
    expect(of('work')).toHaveLength(1); // one column: lesson × control form, derived from its marks
    const mine = of('mark').filter((m) => m.slot === 2);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ raw: '3', base: 3, retakeOfMarkId: of('mark').find((m) => m.id === mine[0].retakeOfMarkId)?.id });
    expect(of('mark').find((m) => m.slot === 1 && m.studentId === mine[0].studentId)).toMatchObject({ raw: '5-', base: 5, modifier: 'minus', numeric: 4.75, weightApplied: 60, markDate: '2025-09-01', recordedAt: '2025-09-01T10:00:00.000Z' });
    expect(of('attendance_record')[0]).toMatchObject({ kind: 'late', reason: 'unknown', minutesLate: 7, rawCode: '5' });
    expect(of('final_mark')[0]).toMatchObject({ kind: 'quarter', raw: '4', base: 4, computedAverage: 4.35, recordedAt: '2025-10-24T11:00:00.000Z' });
    expect(of('organization')[0]).toMatchObject({ name: 'МАОУ «Школа № 1»', timeZone: 'Asia/Yekaterinburg' });
    expect(of('academic_session').map((x) => [x.kind, x.startDate, x.endDate])).toEqual([['school_year', '2025-09-01', '2026-05-31'], ['quarter', '2025-09-01', '2025-10-24']]);
    expect(of('guardian_link')[0]).toMatchObject({ relation: 'mother', isLegalRepresentative: true });
    expect(of('person').map((p) => p.familyName).sort()).toEqual(['Тестов', 'Тестова', 'Учителева']);
  });

  it('a context list the read depends on that is not a list is a schema error naming platform and route', async () => {
    passwordLogin();
    nock(ORIGIN).get('/core/api/academic_years').query(true).reply(200, { years: YEARS });
    const c = connector();
    await c.open();
    await expect(first(c)).rejects.toThrow(/epos core\/api\/academic_years: payload does not match the schema at \(root\)/);
  });

  it('a payload that is not a list is one quarantine line naming the route, never a crash', () => {
    const run = { system: 'epos' as const, instance: 'contract', runId: 'r', mapperVersion: 'epos-1' };
    const m = mapBatch(eposMapper, { route: 'core/api/marks', payload: { code: 500, message: 'x' }, context: { timeZone: 'Asia/Yekaterinburg', ids: {}, fetchedAt: '2025-09-01T00:00:00Z' } }, run);
    expect(m.records).toEqual([]);
    expect(m.quarantine[0].reason).toMatch(/epos core\/api\/marks: payload does not match the schema/);
  });
});
