// Contract tests with nock: the requests the connector sends and how it reads Дневник.ру's answers
// (platforms.md §3.2–§3.5). Дневник.ру has no password hash or request signature to recompute: the
// auth checks are the exact login bodies and the `Access-Token` header.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDnevnikConnector, dnevnikConfig, windows } from '../../src/connectors/dnevnik/index.js';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import type { CredentialVault, PlatformBatch } from '../../src/connectors/contract.js';

const ORIGIN = 'http://dnevnik.test';
const SECRET = 'synthetic-client-secret';
const PASSWORD = 'synthetic-Pa55word';
let n = 0;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function connector(auth: Record<string, unknown> = { kind: 'password', clientId: 'app', clientSecret: SECRET, username: 'teacher1', password: PASSWORD }, windowDays = 7, vault?: CredentialVault) {
  return createDnevnikConnector(dnevnikConfig.parse({ baseUrl: ORIGIN, auth, windowDays, timeZone: 'Europe/Samara' }), {
    instance: `contract-${++n}`, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...(vault ? { vault } : {}),
  });
}
/** The store's platform_credentials as the jobs see it, in memory. */
const memoryVault = () => {
  const kept = new Map<string, string>();
  return { kept, load: async (k: string) => kept.get(k), save: async (k: string, v: string) => { kept.set(k, v); } };
};
const refreshWith = (token: string) => ({ grant_type: 'RefreshToken', refreshToken: token, client_id: 'app', client_secret: SECRET });
const openAndRead = async (c: ReturnType<typeof connector>) => {
  await c.open();
  await expect(c.readSchool({ from: '2026-09-01', to: '2026-09-02' })[Symbol.asyncIterator]().next()).rejects.toThrow(/sees no school/);
};
const byCredentials = (token = 'tok-1') => nock(ORIGIN).post('/v2/authorizations/bycredentials', {
  client_id: 'app', client_secret: SECRET, username: 'teacher1', password: PASSWORD,
  scope: 'Schools,Relatives,EduGroups,Lessons,marks,EduWorks,EducationalInfo,CommonInfo',
}).reply(200, { accessToken: token, refreshToken: `r-${token}`, expiresDate: '2026-12-01T00:00:00' });

// int64 ids written as bare integers, as the platform sends them.
const G = '1234567890123456789';
const SUBJ = '1234567890123456790';
const L1 = '1234567890123456791';
const P = '1234567890123456792';
const W = '1234567890123456793';
const M = '1234567890123456794';
const YEAR = '1234567890123456795';
const Q1 = '1234567890123456796';
/** A JSON body as written: bare int64 integers stay as the platform sends them. */
const raw = (s: string) => [200, s, { 'content-type': 'application/json' }] as const;
const SCHOOL = '1234567890123456000';

describe('Дневник.ру auth', () => {
  it('bycredentials sends the documented JSON body and then Access-Token on every call', async () => {
    const login = byCredentials();
    const api = nock(ORIGIN, { reqheaders: { 'access-token': 'tok-1' } }).get('/v2/users/me/context').reply(200, { schools: [] });
    const c = connector();
    await c.open();
    await expect(c.readSchool({ from: '2026-09-01', to: '2026-09-02' })[Symbol.asyncIterator]().next()).rejects.toThrow(/sees no school/);
    expect(login.isDone() && api.isDone()).toBe(true);
  });

  it('partner OAuth: the code is exchanged at POST /v2/authorizations; an expired token is refreshed there and the call repeated', async () => {
    const scope = nock(ORIGIN)
      .post('/v2/authorizations', { grant_type: 'AuthorizationCode', code: 'code-xyz', client_id: 'app', client_secret: SECRET })
      .reply(200, { accessToken: 'tok-a', refreshToken: 'ref-a' })
      .get('/v2/users/me/context').matchHeader('access-token', 'tok-a').reply(401, { type: 'authorizationFailed', description: 'token expired' })
      .post('/v2/authorizations', { grant_type: 'RefreshToken', refreshToken: 'ref-a', client_id: 'app', client_secret: SECRET })
      .reply(200, { accessToken: 'tok-b', refreshToken: 'ref-b' })
      .get('/v2/users/me/context').matchHeader('access-token', 'tok-b').reply(200, { schools: [] });
    const c = connector({ kind: 'partner_oauth', clientId: 'app', clientSecret: SECRET, code: 'code-xyz' });
    await c.open();
    await expect(c.readSchool({ from: '2026-09-01', to: '2026-09-02' })[Symbol.asyncIterator]().next()).rejects.toThrow(/sees no school/);
    expect(scope.isDone()).toBe(true);
  });

  it('partner OAuth over several runs: the code is exchanged once, each run refreshes with the token the last one got', async () => {
    // Each job builds a new connector from the same config; the rotated refresh token lives in the store.
    const vault = memoryVault();
    const auth = { kind: 'partner_oauth', clientId: 'app', clientSecret: SECRET, code: 'code-once', refreshToken: 'ref-from-config' };
    const first = nock(ORIGIN)
      .post('/v2/authorizations', refreshWith('ref-from-config')).reply(401, { type: 'authorizationFailed', description: 'refresh token expired' })
      .post('/v2/authorizations', { grant_type: 'AuthorizationCode', code: 'code-once', client_id: 'app', client_secret: SECRET }).reply(200, { accessToken: 'tok-1', refreshToken: 'ref-1' })
      .get('/v2/users/me/context').matchHeader('access-token', 'tok-1').reply(200, { schools: [] });
    await openAndRead(connector(auth, 7, vault));
    expect(first.isDone()).toBe(true);
    expect(vault.kept.get('dnevnik.refreshToken')).toBe('ref-1');
    // Run 2: the vault's token, not the used code nor the config's stale token.
    const second = nock(ORIGIN)
      .post('/v2/authorizations', refreshWith('ref-1')).reply(200, { accessToken: 'tok-2', refreshToken: 'ref-2' })
      .get('/v2/users/me/context').matchHeader('access-token', 'tok-2').reply(200, { schools: [] });
    await openAndRead(connector(auth, 7, vault));
    expect(second.isDone()).toBe(true);
    expect(vault.kept.get('dnevnik.refreshToken')).toBe('ref-2');
    // Run 3, the token refused and the code spent: one clear message, and the code is not sent again.
    nock(ORIGIN).post('/v2/authorizations', refreshWith('ref-2')).reply(401, { type: 'authorizationFailed', description: 'revoked' })
      .post('/v2/authorizations', refreshWith('ref-from-config')).reply(401, { type: 'authorizationFailed', description: 'expired' });
    await expect(connector(auth, 7, vault).open()).rejects.toThrow('the refresh token was refused and the authorization code is used up: the partner must authorise again');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a refresh answered 502 (maintenance) keeps its token: after the maintenance the same token renews the session', async () => {
    const auth = { kind: 'partner_oauth', clientId: 'app', clientSecret: SECRET, refreshToken: 'ref-keep' };
    nock(ORIGIN).post('/v2/authorizations', refreshWith('ref-keep')).times(4).reply(502, { type: 'apiServerError', description: 'maintenance' });
    const c = connector(auth);
    const err = await c.open().then(() => null, (e: unknown) => e) as GatewayHttpError;
    expect(err.failureType).toBe('transient');
    // Before, the token was dropped for the 502 and the next attempt said "the partner must authorise again".
    const after = nock(ORIGIN)
      .post('/v2/authorizations', refreshWith('ref-keep')).reply(200, { accessToken: 'tok-9', refreshToken: 'ref-next' })
      .get('/v2/users/me/context').matchHeader('access-token', 'tok-9').reply(200, { schools: [] });
    await openAndRead(c);
    expect(after.isDone()).toBe(true);
  });

  it('authorizationFailed at login is a config failure whose message carries neither password nor secret', async () => {
    nock(ORIGIN).post('/v2/authorizations/bycredentials').reply(401, { type: 'authorizationFailed', description: `bad login for ${PASSWORD}` });
    const err = await connector().open().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayHttpError);
    expect((err as GatewayHttpError).failureType).toBe('config');
    expect((err as GatewayHttpError).code).toBe('authorizationFailed');
    expect(String((err as Error).message)).not.toContain(PASSWORD);
    expect(String((err as Error).message)).not.toContain(SECRET);
  });

  it('maxAttempsExceeded (sic) is not retried', async () => {
    const s = nock(ORIGIN).post('/v2/authorizations/bycredentials').once().reply(400, { type: 'maxAttempsExceeded', description: 'wait' });
    const err = await connector().open().then(() => null, (e: unknown) => e) as GatewayHttpError;
    expect(err.code).toBe('maxAttempsExceeded');
    expect(err.action).toBe('fail');
    expect(s.isDone()).toBe(true);
  });

  it('500/502 during maintenance (also the HTML error page) are transient and retried', async () => {
    byCredentials();
    nock(ORIGIN).get('/v2/users/me/context').reply(502, { type: 'apiServerError', description: 'maintenance' })
      .get('/v2/users/me/context').reply(500, '<div class="error__description">Технические работы</div>', { 'content-type': 'text/html' })
      .get('/v2/users/me/context').reply(200, { schools: [] });
    const c = connector();
    await c.open();
    await expect(c.readSchool({ from: '2026-09-01', to: '2026-09-02' })[Symbol.asyncIterator]().next()).rejects.toThrow(/sees no school/);
    expect(nock.isDone()).toBe(true);
  });

  it('an imported token is used as is and cannot be renewed', async () => {
    nock(ORIGIN).get('/v2/users/me/context').matchHeader('access-token', 'pasted').reply(401, { type: 'authorizationFailed', description: 'expired' });
    const c = connector({ kind: 'imported_token', accessToken: 'pasted' });
    await c.open();
    await expect(c.readSchool({ from: '2026-09-01', to: '2026-09-02' })[Symbol.asyncIterator]().next()).rejects.toThrow(/imported token/);
  });
});

/** The first window's lessons page: lesson L1 on 2025-09-01, taught by teacher 42, with one work. */
const LESSON_PAGE = `[{"id":${L1},"id_str":"${L1}","title":"Дроби","date":"2025-09-01T00:00:00","number":2,"subject":{"id_str":"${SUBJ}"},"group":{"id_str":"${G}"},"teachersStr":["42"],"status":"Held","works":[{"id_str":"${W}","workType":7,"markType":"mark5","lesson_str":"${L1}","eduGroup_str":"${G}","subjectId_str":"${SUBJ}","periodNumber":1,"periodType":"Quarter","text":"Ответ","sentDate":"2025-09-01T00:00:00"}]}]`;
/** A school of one class, one pupil and one lesson (on 2025-09-01), read over 2025-09-01…08 in two windows; the marks
 * pages of the two windows answer `week1` and `week2`. */
function nockSchool(week1: string, week2 = '[]', lessonsWeek1 = LESSON_PAGE) {
  byCredentials();
  nock(ORIGIN)
    .get('/v2/users/me/context').reply(...raw(`{"schools":[{"id":${SCHOOL},"id_str":"${SCHOOL}","name":"Школа"}]}`))
    .get(`/v2/schools/${SCHOOL}`).reply(...raw(`{"id":${SCHOOL},"id_str":"${SCHOOL}","name":"Школа","timeZone":4}`))
    .get(`/v2/work-types/${SCHOOL}`).reply(200, [{ id: 7, title: 'Ответ на уроке', abbr: 'ОУ', weight: 60 }])
    .get(`/v2/schools/${SCHOOL}/edu-groups`).reply(...raw(`[{"id":${G},"id_str":"${G}","type":"Group","name":"5А","parentIds":[],"parentIds_str":[],"parallel":5,"studyyear":2026,"subjects":[{"id":${SUBJ},"id_str":"${SUBJ}","name":"Математика"}]}]`))
    .get(`/v2/edu-groups/${G}/reporting-periods`).reply(...raw(`[{"id_str":"${YEAR}","start":"2025-09-01T00:00:00","finish":"2026-05-31T00:00:00","number":1,"type":"Year","name":"Год","year":2026},{"id_str":"${Q1}","start":"2025-09-01T00:00:00","finish":"2025-10-24T00:00:00","number":1,"type":"Quarter","name":"1 четверть","year":2026}]`))
    .get(`/v2/schools/${SCHOOL}/subjects`).reply(...raw(`[{"id":${SUBJ},"idStr":"${SUBJ}","name":"Математика","knowledgeArea":"Математика и информатика"}]`))
    .get(`/v2/schools/${SCHOOL}/teachers`).reply(200, [{ IdStr: '42', FirstName: 'Учитель', LastName: 'Учителев', Sex: 'Female' }])
    .get(`/v2/schools/${SCHOOL}/membership`).query({ schoolMembershipType: 'Admins' }).reply(200, [])
    .get(`/v2/edu-groups/${G}/persons`).reply(...raw(`[{"id":${P},"id_str":"${P}","userId_str":"9","firstName":"Тест","lastName":"Тестов","sex":"Male"}]`))
    .post('/v2/users/many', ['9']).reply(...raw(`[{"id":9,"id_str":"9","personId":${P},"personId_str":"${P}","birthday":"2014-03-02T00:00:00","sex":"Male"}]`))
    .get('/v2/users/9/relatives').reply(200, [])
    .get(`/v2/edu-groups/${G}/lessons/2025-09-01/2025-09-07`).reply(...raw(lessonsWeek1))
    .get(`/v2/edu-groups/${G}/marks/2025-09-01T00%3A00%3A00/2025-09-07T23%3A59%3A59`).reply(...raw(week1))
    .get(`/v2/lesson-log-entries/group/${G}`).query({ from: '2025-09-01', to: '2025-09-07' }).reply(...raw(`[{"person_str":"${P}","lesson_str":"${L1}","status":"Ill","createdDate":"2025-09-01T09:10:00"}]`))
    .get(`/v2/edu-groups/${G}/lessons/2025-09-08/2025-09-08`).reply(200, [])
    .get(`/v2/edu-groups/${G}/marks/2025-09-08T00%3A00%3A00/2025-09-08T23%3A59%3A59`).reply(...raw(week2))
    .get(`/v2/lesson-log-entries/group/${G}`).query({ from: '2025-09-08', to: '2025-09-08' }).reply(200, [])
    .get(`/v2/edu-groups/${G}/final-marks`).reply(...raw(`[{"person_str":"${P}","group_str":"${G}","reportingPeriod_str":"${Q1}","per-subject-final-marks":[{"subject_str":"${SUBJ}","final-mark":{"type":"mark5","value":"4","date":"2025-10-24T16:00:00"}}]}]`));
}
/** The pupil's mark on the lesson's work, set on `date`. */
const markOn = (date: string) => `[{"id":${M},"id_str":"${M}","type":"mark5","value":"5","textValue":"5-","person":${P},"person_str":"${P}","work_str":"${W}","lesson_str":"${L1}","number":1,"date":"${date}","workType":7,"mood":"Good"}]`;
/** Reads 2025-09-01…08 through a new connector (every nock answered) and maps each batch: records and quarantine. */
async function readMapped() {
  const c = connector();
  await c.open();
  const batches: PlatformBatch[] = [];
  for await (const b of c.readSchool({ from: '2025-09-01', to: '2025-09-08' })) batches.push(b);
  expect(nock.isDone()).toBe(true);
  const run = { system: 'dnevnik_ru' as const, instance: 'contract', runId: 'r', mapperVersion: 'dnevnik-1' };
  const mapped = batches.map((b) => mapBatch(dnevnikMapper, b, run));
  const records = mapped.flatMap((m) => m.records);
  const teacher = records.find((r) => r.entity === 'person' && (r as unknown as { familyName: string }).familyName === 'Учителев')!;
  return { records, quarantine: mapped.flatMap((m) => m.quarantine), teacher };
}

describe('Дневник.ру read routes', () => {
  it('range routes are split into windows of at most windowDays', () => {
    expect(windows('2026-09-01', '2026-09-10', 7)).toEqual([['2026-09-01', '2026-09-07'], ['2026-09-08', '2026-09-10']]);
    expect(windows('2026-09-01', '2026-09-01', 7)).toEqual([['2026-09-01', '2026-09-01']]);
  });

  it('a work type id beyond 2^53 fails the read naming it, rather than mapping every mark onto one wrong type', async () => {
    // Works and marks name their work type by the bare number: two such ids would read as one after JSON.parse.
    byCredentials();
    nock(ORIGIN)
      .get('/v2/users/me/context').reply(...raw(`{"schools":[{"id":${SCHOOL},"id_str":"${SCHOOL}","name":"Школа"}]}`))
      .get(`/v2/schools/${SCHOOL}`).reply(...raw(`{"id":${SCHOOL},"id_str":"${SCHOOL}","name":"Школа","timeZone":4}`))
      .get(`/v2/work-types/${SCHOOL}`).reply(...raw('[{"id":1709395996654255001,"id_str":"1709395996654255001","title":"Ответ на уроке","abbr":"ОУ","weight":60},{"id":1709395996654255002,"id_str":"1709395996654255002","title":"Контрольная работа","abbr":"КР","weight":80}]'));
    const c = connector();
    await c.open();
    await expect(c.readSchool({ from: '2026-09-01', to: '2026-09-02' })[Symbol.asyncIterator]().next())
      .rejects.toThrow('dnevnik: work-types/{school}: work type id 1709395996654255001 is beyond 2^53');
  });

  it('reads a school route by route, in order, with int64 ids kept exact through the _str twins', async () => {
    nockSchool(markOn('2025-09-01T00:00:00'));
    const c = connector();
    await c.open();
    const batches: PlatformBatch[] = [];
    for await (const b of c.readSchool({ from: '2025-09-01', to: '2025-09-08' })) batches.push(b);
    expect(nock.isDone()).toBe(true);
    expect(batches.map((b) => b.route)).toEqual([
      'schools/{id}', 'work-types/{school}', 'edu-groups/{id}/reporting-periods', 'schools/{id}/subjects', 'schools/{id}/edu-groups', 'schools/{id}/teachers', 'schools/{id}/membership', 'edu-groups/{id}/persons',
      'users/{id}/relatives', 'edu-groups/{g}/lessons/{from}/{to}', 'edu-groups/{g}/marks/{from}/{to}', 'lesson-log-entries/group/{g}',
      'edu-groups/{g}/lessons/{from}/{to}', 'edu-groups/{g}/marks/{from}/{to}', 'lesson-log-entries/group/{g}', 'edu-groups/{g}/final-marks',
    ]);
    const run = { system: 'dnevnik_ru' as const, instance: 'contract', runId: 'r', mapperVersion: 'dnevnik-1' };
    const mapped = batches.map((b) => mapBatch(dnevnikMapper, b, run));
    expect(mapped.flatMap((m) => m.quarantine)).toEqual([]);
    const recs = mapped.flatMap((m) => m.records);
    const byEntity = (e: string) => recs.filter((r) => r.entity === e);
    expect(byEntity('section')).toHaveLength(1);
    expect(byEntity('academic_session').map((r) => (r as unknown as { kind: string }).kind)).toEqual(['school_year', 'quarter']);
    expect(byEntity('homeroom_class')[0]).toMatchObject({ gradeLevel: 5, letter: 'А', title: '5А' });
    expect(byEntity('subject')[0]).toMatchObject({ title: 'Математика', subjectArea: 'Математика и информатика', schoolYear: 2026 });
    // The pupil: a student role, the class itself and the class's subject journal.
    expect(byEntity('enrollment').map((r) => (r as unknown as { isPrimary: boolean }).isPrimary)).toEqual([true, false]);
    expect(byEntity('role_assignment').map((r) => (r as unknown as { role: string }).role).sort()).toEqual(['student', 'subject_teacher']);
    const teacher = byEntity('person').find((p) => (p as unknown as { familyName: string }).familyName === 'Учителев')!;
    expect(byEntity('mark')[0]).toMatchObject({ recordedBy: teacher.id });
    expect(byEntity('lesson')[0].sourceRefs[0].sourceId).toBe(L1); // exact: not 1234567890123456800
    const mark = byEntity('mark')[0] as unknown as { raw: string; base: number; modifier: string; weightApplied: number; markDate: string };
    expect(mark).toMatchObject({ raw: '5-', base: 5, modifier: 'minus', weightApplied: 60, markDate: '2025-09-01' });
    expect(byEntity('attendance_record')[0]).toMatchObject({ kind: 'absent', reason: 'illness', rawCode: 'Ill', recordedAt: '2025-09-01T05:10:00.000Z' });
    expect(byEntity('final_mark')[0]).toMatchObject({ kind: 'quarter', raw: '4', base: 4, recordedAt: '2025-10-24T12:00:00.000Z' });
    expect(byEntity('person').map((p) => (p as unknown as { familyName: string }).familyName).sort()).toEqual(['Тестов', 'Учителев']);
    // The pupil's birth date comes from its User (POST users/many, ids as strings: int64-safe).
    expect(byEntity('person').find((p) => p.sourceRefs[0].sourceId === P)).toMatchObject({ birthDate: '2014-03-02' });
  });
  it('[U] a mark set a week after its lesson (Mark.date the day it was set) keeps its lesson\'s column day and teacher', async () => {
    // Its lesson is on the first window's lessons page; the mark comes on the second window's marks page, whose
    // lessons page is empty. Before, its markDate was the set day (R-07 refuses it) and its teacher unknown.
    nockSchool('[]', markOn('2025-09-08T14:30:00'));
    // Dated off its lesson's day: the lesson's marks are read whole (its first mark may be on another page).
    nock(ORIGIN).get(`/v2/lessons/${L1}/marks`).reply(...raw(markOn('2025-09-08T14:30:00')));
    const { records: recs, quarantine, teacher } = await readMapped();
    expect(quarantine).toEqual([]);
    const lesson = recs.find((r) => r.entity === 'lesson') as unknown as { date: string };
    const mark = recs.find((r) => r.entity === 'mark') as unknown as { markDate: string; recordedAt: string; recordedBy: string };
    // (The mark finds its lesson's canonical id through the crosswalk in a sync; there is none here.)
    expect(mark).toMatchObject({ markDate: lesson.date, recordedBy: teacher.id });
    expect(lesson.date).toBe('2025-09-01');
    expect(mark.recordedAt).toBe('2025-09-08T10:30:00.000Z'); // when it was set stays, in UTC (school at UTC+4)
  });
  it('[U] a lesson read whole whose answer is no list stops the read, naming the lesson, rather than losing its marks', async () => {
    nockSchool('[]', markOn('2025-09-08T14:30:00'));
    nock(ORIGIN).get(`/v2/lessons/${L1}/marks`).reply(200, { marks: [] });
    const c = connector();
    await c.open();
    const read = async () => { for await (const b of c.readSchool({ from: '2025-09-01', to: '2025-09-08' })) void b; };
    await expect(read()).rejects.toThrow(new RegExp(`lessons/\\{id\\}/marks for lesson ${L1} answered object, not a list`));
  });
  it('[U] a mark set late whose lesson no lessons page of the run lists (a nightly delta) has its lesson read by id', async () => {
    // The first window's lessons page no longer lists L1 (as when a delta reads only the last days): the connector
    // asks for it with POST lessons/many, once.
    nockSchool('[]', markOn('2025-09-08T14:30:00'), '[]');
    nock(ORIGIN).post('/v2/lessons/many', [L1]).reply(...raw(LESSON_PAGE)).get(`/v2/lessons/${L1}/marks`).reply(...raw(markOn('2025-09-08T14:30:00')));
    const { records: recs, teacher } = await readMapped();
    expect(recs.find((r) => r.entity === 'mark')).toMatchObject({ markDate: '2025-09-01', recordedBy: teacher.id });
  });
});

describe('Дневник.ру writes for an account that sees several schools', () => {
  it('a mark is placed with the work types and time zone of the school being pushed, not the first the account lists', async () => {
    const OTHER = '1234567890123450000';
    byCredentials();
    const scope = nock(ORIGIN)
      .get(`/v2/work-types/${SCHOOL}`).reply(...raw(`[{"id":8,"id_str":"8","title":"Контрольная работа","abbr":"КР","weight":80}]`))
      .get('/v2/works').query({ lesson: L1 }).reply(...raw('[]'))
      .post('/v2/works', (b: { workType: number }) => b.workType === 8).reply(...raw(`{"id":${W},"id_str":"${W}","workType":8}`))
      .post(`/v2/persons/${P}/works/${W}/mark`).reply(...raw(`{"id":${M},"id_str":"${M}"}`));
    const other = nock(ORIGIN).get(`/v2/work-types/${OTHER}`).reply(...raw('[{"id":9,"id_str":"9","title":"Контрольная работа","abbr":"КР","weight":80}]'))
      .get('/v2/users/me/context').reply(...raw(`{"schools":[{"id":${OTHER},"id_str":"${OTHER}"},{"id":${SCHOOL},"id_str":"${SCHOOL}"}]}`));
    const c = connector();
    await c.open();
    const [r] = await c.writeMarks!([{
      operationId: 'op-1', action: 'upsert',
      record: { state: 'graded', raw: '4', base: 4, slot: 1, markDate: '2026-09-07' } as never,
      targetIds: { student: P, lesson: L1, section: `${G}:${SUBJ}`, workTypeCode: 'test', workTitle: 'Контрольная', school: SCHOOL },
    }]);
    expect(r).toMatchObject({ status: 'applied', sourceId: M });
    expect(scope.isDone()).toBe(true);
    expect(other.isDone()).toBe(false); // neither the other school's work types nor the context were asked
  });

  // The push writes a school in chunks, each a writeMarks call on one connector. A failed look-up used to be kept for
  // the connector's life: one 403 of work-types failed every mark of every later chunk of the night's push.
  it('a failed look-up of the work types is asked again by the next chunk of the push, not kept for the run', async () => {
    byCredentials();
    nock(ORIGIN).get(`/v2/work-types/${SCHOOL}`).reply(403, { type: 'apiRequestForbidden', description: 'synthetic refusal' });
    const c = connector();
    await c.open();
    const op = (id: string) => ({
      operationId: id, action: 'upsert' as const,
      record: { state: 'graded', raw: '4', base: 4, slot: 1, markDate: '2026-09-07' } as never,
      targetIds: { student: P, lesson: L1, section: `${G}:${SUBJ}`, workTypeCode: 'test', workTitle: 'Контрольная', school: SCHOOL },
    });
    const [failed] = await c.writeMarks!([op('op-1')]);
    expect(failed.status).not.toBe('applied');
    const scope = nock(ORIGIN)
      .get(`/v2/work-types/${SCHOOL}`).reply(...raw('[{"id":8,"id_str":"8","title":"Контрольная работа","abbr":"КР","weight":80}]'))
      .get('/v2/works').query({ lesson: L1 }).reply(...raw('[]'))
      .post('/v2/works', (b: { workType: number }) => b.workType === 8).reply(...raw(`{"id":${W},"id_str":"${W}","workType":8}`))
      .post(`/v2/persons/${P}/works/${W}/mark`).reply(...raw(`{"id":${M},"id_str":"${M}"}`));
    const [r] = await c.writeMarks!([op('op-2')]);
    expect(r).toMatchObject({ status: 'applied', sourceId: M });
    expect(scope.isDone()).toBe(true);
  });
});
