import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CookieJar, GatewayHttpError, type AuthHook, type Classifier } from '../../src/connectors/http/index.js';
import { failure, ORIGIN, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('retries', () => {
  it('503 with Retry-After: 1 is retried after the server-given wait', async () => {
    const scope = nock(ORIGIN)
      .get('/webapi/student/diary').query(true).reply(503, 'busy', { 'Retry-After': '1' })
      .get('/webapi/student/diary').query(true).reply(200, { weekDays: [] });
    const http = testClient();
    const t0 = Date.now();
    const res = await http.get('/webapi/student/diary', { query: { studentId: 7 } });
    expect(res.data).toEqual({ weekDays: [] });
    expect(res.attempts).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950); // the 1 s of Retry-After, not the 10 ms backoff
    expect(scope.isDone()).toBe(true);
    expect(http.stats.snapshot().status5xx).toBe(1);
  });

  it('429 is rate_limited: retried after Retry-After, and counted', async () => {
    nock(ORIGIN).get('/v2/users/me').reply(429, {}, { 'Retry-After': '0' }).get('/v2/users/me').reply(200, { id_str: '1' });
    const http = testClient({ platform: 'dnevnik' });
    const res = await http.get('/v2/users/me');
    expect(res.status).toBe(200);
    expect(http.stats.snapshot()).toMatchObject({ status429: 1, retries: 1 });
  });

  it('429 with a Retry-After longer than the client waits goes up as rate_limited with retryAfterMs', async () => {
    nock(ORIGIN).get('/v2/users/me').reply(429, {}, { 'Retry-After': '3600' });
    const err = await failure(testClient({ platform: 'dnevnik' }).get('/v2/users/me'));
    expect(err).toMatchObject({ action: 'rate_limited', failureType: 'transient', status: 429, retryAfterMs: 3_600_000, attempts: 1, retryable: true });
  });

  it('5xx on GET is retried with backoff until maxRetries, then fails as transient', async () => {
    nock(ORIGIN).get('/api/getmarks').times(3).reply(500, 'oops');
    const err = await failure(testClient({ platform: 'eljur', retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } }).get('/api/getmarks'));
    expect(err).toMatchObject({ action: 'retry', failureType: 'transient', status: 500, attempts: 3, route: '/api/getmarks', method: 'GET' });
  });

  it('a timed-out GET attempt is retried (timeouts are transient)', async () => {
    nock(ORIGIN).get('/core/api/marks').delay(500).reply(200, []).get('/core/api/marks').reply(200, [1]);
    const http = testClient({ platform: 'epos', timeoutMs: 100 });
    const res = await http.get('/core/api/marks');
    expect(res).toMatchObject({ attempts: 2, data: [1] });
    expect(http.stats.snapshot().networkErrors).toBe(1);
  });

  it('a socket error on GET is retried; on POST it is not', async () => {
    nock(ORIGIN).get('/core/api/marks').replyWithError('socket hang up').get('/core/api/marks').reply(200, []);
    const http = testClient({ platform: 'epos' });
    expect((await http.get('/core/api/marks')).attempts).toBe(2);
    nock(ORIGIN).post('/core/api/marks').replyWithError('socket hang up');
    const err = await failure(http.post('/core/api/marks', { json: {} }));
    expect(err).toMatchObject({ action: 'retry', status: undefined, attempts: 1 });
  });

  it('a non-idempotent POST is not retried after a 5xx', async () => {
    const scope = nock(ORIGIN).post('/core/api/marks').reply(502, 'bad gateway');
    const err = await failure(testClient({ platform: 'epos' }).post('/core/api/marks', { json: { value: '5' } }));
    expect(err).toMatchObject({ action: 'retry', status: 502, attempts: 1, method: 'POST' });
    expect(err.message).toContain('not idempotent');
    expect(scope.isDone()).toBe(true);
  });

  it('a POST the caller marks retrySafe is retried', async () => {
    nock(ORIGIN).post('/api/auth').reply(503).post('/api/auth').reply(200, { response: { state: 200, error: null, result: { token: 'T' } } });
    const res = await testClient({ platform: 'eljur' }).post('/api/auth', { form: { login: 'x' }, retrySafe: true });
    expect(res.attempts).toBe(2);
  });

  it('a 404 fails at once as a system failure', async () => {
    nock(ORIGIN).get('/webapi/student/diary/assigns/5').reply(404, 'nope');
    const err = await failure(testClient().get('/webapi/student/diary/assigns/{id}', { pathParams: { id: 5 } }));
    expect(err).toMatchObject({ action: 'fail', failureType: 'system', status: 404, attempts: 1, route: '/webapi/student/diary/assigns/{id}', retryable: false });
  });
});

describe('re-login (refresh_auth)', () => {
  function tokenAuth(): AuthHook & { token: string; refresh: ReturnType<typeof vi.fn> } {
    const hook = {
      token: 'old',
      apply(cfg: Parameters<AuthHook['apply']>[0]) {
        cfg.headers.set('at', hook.token);
        return cfg;
      },
      refresh: vi.fn(async () => {
        hook.token = 'new';
      }),
    };
    return hook;
  }

  it('401 → refresh() once → retried with the new token', async () => {
    nock(ORIGIN)
      .get('/webapi/student/diary').matchHeader('at', 'old').reply(401)
      .get('/webapi/student/diary').matchHeader('at', 'new').reply(200, { ok: true });
    const auth = tokenAuth();
    const http = testClient({ auth });
    expect((await http.get('/webapi/student/diary')).data).toEqual({ ok: true });
    expect(auth.refresh).toHaveBeenCalledTimes(1);
    expect(http.stats.snapshot().authRefreshes).toBe(1);
  });

  it('still 401 after the re-login: fail, config, refresh called only once', async () => {
    nock(ORIGIN).get('/webapi/student/diary').times(2).reply(401);
    const auth = tokenAuth();
    const err = await failure(testClient({ auth }).get('/webapi/student/diary'));
    expect(err).toMatchObject({ action: 'fail', failureType: 'config', status: 401, attempts: 2 });
    expect(auth.refresh).toHaveBeenCalledTimes(1);
  });

  it('a session that answered and then ended is logged into again; one that never answered is a refused account', async () => {
    // A server that ends sessions often: the re-login's session s1 serves another request, then ends before this
    // request's retry. That is an expiry, not a refused account: log in again (s2) and carry on.
    let generation = 0;
    let other: Promise<unknown> | undefined;
    const http = testClient({
      auth: {
        apply(cfg) { cfg.headers.set('at', `s${generation}`); return cfg; },
        async refresh() {
          generation++;
          if (generation === 1) setTimeout(() => { other = http.get('/other'); }, 0); // sent with s1 once it is in use
        },
      },
    });
    nock(ORIGIN)
      .get('/data').matchHeader('at', 's0').reply(401)
      .get('/other').matchHeader('at', 's1').reply(200, {})
      .get('/data').matchHeader('at', 's1').delay(100).reply(401) // s1 ended after it answered /other
      .get('/data').matchHeader('at', 's2').reply(200, { ok: true });
    expect((await http.get('/data')).data).toEqual({ ok: true });
    await other;
    expect(generation).toBe(2);
  });

  it('parallel requests hitting an expired session share one refresh', async () => {
    nock(ORIGIN).get('/x').times(3).matchHeader('at', 'old').reply(401).get('/x').times(3).matchHeader('at', 'new').reply(200, {});
    const auth = tokenAuth();
    auth.refresh.mockImplementation(async () => {
      await new Promise((r) => setTimeout(r, 30));
      auth.token = 'new';
    });
    const http = testClient({ auth });
    await Promise.all([http.get('/x'), http.get('/x'), http.get('/x')]);
    expect(auth.refresh).toHaveBeenCalledTimes(1);
  });

  it('a request made while a re-login is under way waits for it: nothing goes out without credentials (ЭПОС, АСУ РСО drop the old session first)', async () => {
    // The session is dropped as the re-login starts, as ЭПОС's and АСУ РСО's do; before, requests made meanwhile
    // went out with no token (a certain 401 that counted as their own re-login), and the run failed as a config error.
    let token: string | undefined = 'old';
    let release!: () => void;
    const loggedIn = new Promise<void>((r) => { release = r; });
    const http = testClient({
      auth: {
        apply(cfg) { if (token) cfg.headers.set('at', token); return cfg; },
        async refresh() { token = undefined; await loggedIn; token = 'new'; },
      },
    });
    const seen: (string | undefined)[] = [];
    nock(ORIGIN)
      .get('/first').reply(function () { seen.push(this.req.headers.at as string | undefined); return [401, '']; })
      .get(/\/(first|later)/).times(5).reply(function () {
        const at = this.req.headers.at as string | undefined;
        seen.push(at);
        return at === 'new' ? [200, {}] : [401, ''];
      });
    const first = http.get('/first');
    await new Promise((r) => setTimeout(r, 30)); // its 401 has started the re-login
    const later = [http.get('/later'), http.get('/later'), http.get('/later'), http.get('/later')];
    await new Promise((r) => setTimeout(r, 30));
    release();
    await Promise.all([first, ...later]);
    expect(seen).toEqual(['old', 'new', 'new', 'new', 'new', 'new']);
  });

  it('ЭлЖур: a 200 answer with state 401 is an expired token (platform classify hook)', async () => {
    const eljurClassify: Classifier = (o) => {
      if (o.kind !== 'response') return undefined;
      const r = (o.data as { response?: { state?: number; error?: string | null } })?.response;
      if (r && r.state !== 200) {
        return r.state === 401
          ? { action: 'refresh_auth', failureType: 'config', code: '401', message: r.error ?? '' }
          : { action: 'fail', failureType: 'config', code: String(r.state), message: r.error ?? '' };
      }
      return undefined;
    };
    nock(ORIGIN)
      .get('/api/getmarks').query({ auth_token: 'old' }).reply(200, { response: { state: 401, error: 'Неверный токен', result: {} } })
      .get('/api/getmarks').query({ auth_token: 'new' }).reply(200, { response: { state: 200, error: null, result: { students: {} } } })
      .get('/api/getrules').query(true).reply(200, { response: { state: 403, error: 'не удалось авторизовать разработчика', result: {} } });
    let token = 'old';
    const http = testClient({
      platform: 'eljur', classify: eljurClassify,
      auth: { apply: (c) => ({ ...c, params: { ...c.params, auth_token: token } }), refresh: async () => void (token = 'new') },
    });
    expect((await http.get('/api/getmarks')).status).toBe(200);
    const err = await failure(http.get('/api/getrules'));
    expect(err).toMatchObject({ action: 'fail', failureType: 'config', status: 200, code: '403' });
    expect(err.message).toContain('не удалось авторизовать разработчика');
    expect(err.url).toContain('auth_token=[redacted]');
  });

  it('NetSchool: a 409 with a Russian message maps through the hook to a config failure', async () => {
    nock(ORIGIN).post('/webapi/login').reply(409, { message: 'Неправильный пароль или имя пользователя' });
    const err = await failure(testClient({
      classify: (o) => (o.kind === 'response' && o.status === 409 ? { action: 'fail', failureType: 'config', message: (o.data as { message: string }).message } : undefined),
    }).post('/webapi/login', { form: { UN: 'teacher', pw2: 'abc' }, skipAuth: true }));
    expect(err).toMatchObject({ action: 'fail', failureType: 'config', status: 409 });
    expect(err.message).toContain('Неправильный пароль');
  });
});

describe('redaction in errors', () => {
  it('tokens, passwords and SNILS never reach the message or the URL', async () => {
    nock(ORIGIN).get('/api/getdiary').query(true).reply(400, { response: { state: 400, error: 'bad student 112-233-445 95 password=hunter2 for Петров Пётр', result: {} } });
    const http = testClient({
      platform: 'eljur', sensitive: ['Петров Пётр'],
      classify: (o) => (o.kind === 'response' && o.status === 400 ? { action: 'fail', failureType: 'system', message: (o.data as { response: { error: string } }).response.error } : undefined),
    });
    const err = await failure(http.get('/api/getdiary', { query: { devkey: 'DEVKEY123', auth_token: 'TOKEN456', vendor: 'v1', password: 'hunter2' } }));
    const everything = JSON.stringify(err.toJSON()) + err.message + String(err.stack);
    for (const secret of ['DEVKEY123', 'TOKEN456', 'hunter2', '112-233-445 95', 'Петров']) expect(everything).not.toContain(secret);
    expect(err.url).toContain('vendor=v1');
  });
});

describe('cookies', () => {
  it('stores Set-Cookie and sends Cookie back (ЭПОС sessions)', async () => {
    nock(ORIGIN)
      .post('/lms/api/sessions').reply(200, {}, { 'Set-Cookie': ['auth_token=abc; Path=/; HttpOnly', 'profile_id=9; Path=/'] })
      .get('/core/api/academic_years').matchHeader('cookie', 'auth_token=abc; profile_id=9').reply(200, []);
    const jar = new CookieJar();
    const http = testClient({ platform: 'epos', cookieJar: jar });
    await http.post('/lms/api/sessions', { json: { login: 'x', password_plain: 'y' }, skipAuth: true });
    await http.get('/core/api/academic_years');
    expect(jar.get('auth_token')).toBe('abc');
  });

  it('an expired Set-Cookie deletes the cookie', () => {
    const jar = new CookieJar();
    jar.setFromHeader('s=1; Max-Age=100', 0);
    expect(jar.header(50_000)).toBe('s=1');
    jar.setFromHeader('s=; Max-Age=0', 60_000);
    expect(jar.header(60_000)).toBeUndefined();
  });
});

describe('metrics and response types', () => {
  it('counts attempts by route template and status, with latencies', async () => {
    nock(ORIGIN).get('/v2/edu-groups/11/final-marks').reply(200, []).get('/v2/edu-groups/12/final-marks').reply(200, []);
    const http = testClient({ platform: 'dnevnik' });
    await http.get('/v2/edu-groups/{g}/final-marks', { pathParams: { g: 11 } });
    await http.get('/v2/edu-groups/{g}/final-marks', { pathParams: { g: 12 } });
    const s = http.stats.snapshot();
    expect(s.requests).toEqual({ 'GET /v2/edu-groups/{g}/final-marks': { '200': 2 } });
    expect(s.latency['GET /v2/edu-groups/{g}/final-marks'].count).toBe(2);
    expect(s.total).toBe(2);
  });

  it('text responses stay text (XML), arraybuffer gives bytes', async () => {
    nock(ORIGIN).get('/api/getmarks').reply(200, '<response><state>200</state></response>', { 'Content-Type': 'application/xml' })
      .get('/webapi/report').reply(200, Buffer.from([0xcf, 0xf0]));
    const http = testClient({ platform: 'eljur' });
    expect((await http.get<string>('/api/getmarks', { responseType: 'text' })).data).toBe('<response><state>200</state></response>');
    const bin = await http.get<Buffer>('/webapi/report', { responseType: 'arraybuffer' });
    expect(Buffer.from(bin.data)).toEqual(Buffer.from([0xcf, 0xf0]));
  });

  it('a body over maxContentLength fails without retry', async () => {
    nock(ORIGIN).get('/big').reply(200, 'x'.repeat(2000));
    const err = await failure(testClient({ maxContentLength: 100 }).get('/big'));
    expect(err).toMatchObject({ action: 'fail', attempts: 1 });
  });

  it('a missing path parameter is a programming error, not a request', async () => {
    await expect(testClient().get('/v2/persons/{p}')).rejects.toThrow(/missing path parameter "p"/);
  });
});
