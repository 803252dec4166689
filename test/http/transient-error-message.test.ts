// What a GatewayHttpError says once the HTTP layer stopped retrying a transient failure. Before, its message carried the
// bare action — "503 retry (transient)" — after every retry had been spent, so an operator read it as "retry this":
// now it says how many attempts and retries were spent, why it stopped and what comes next, with no ids or tokens.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import { failure, ORIGIN, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** The old wording: the action `retry` or `rate_limited` standing as the verdict. */
const BARE_ACTION = /\d{3} (retry|rate_limited) \(transient\)/;

describe('a transient failure after the HTTP layer stopped retrying', () => {
  it('5xx until every retry is spent: says so, with the counts and what comes next, and no pupil id or token', async () => {
    const scope = nock(ORIGIN).get('/api/pupils/4242/marks').query(true).times(3).reply(503, 'Сервер перегружен');
    const http = testClient({
      platform: 'eljur', retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 },
      auth: { apply: (c) => ({ ...c, params: { ...c.params, auth_token: 'SECRET-TOKEN-1' } }), refresh: async () => undefined },
    });
    const err = await failure(http.get('/api/pupils/{id}/marks', { pathParams: { id: 4242 } }));
    expect(scope.isDone()).toBe(true);
    expect(err).toMatchObject({ action: 'retry', failureType: 'transient', attempts: 3, retries: { used: 2, max: 2, stoppedBy: 'used_up' }, retryable: true });
    expect(err.message).toMatch(/^eljur\/test-\S+ GET \/api\/pupils\/\{id\}\/marks: 503 transient failure \(transient\) — /);
    expect(err.message).toContain('gave up after 3 attempts: all 2 retries of the HTTP layer used up');
    expect(err.message).toContain('next: nothing more is sent for it in this run; a later run sends it again');
    expect(err.message).toContain('check that eljur/');
    expect(err.message).not.toMatch(BARE_ACTION);
    expect(err.message).not.toContain('4242');
    expect(err.message).not.toContain('SECRET-TOKEN-1');
    expect(JSON.stringify(err)).not.toContain('SECRET-TOKEN-1');
  });

  it('429 until every retry is spent: rate limited, the retries used up, and the way to stop it recurring', async () => {
    nock(ORIGIN).get('/v2/users/me').times(2).reply(429, {}, { 'Retry-After': '0' });
    const err = await failure(testClient({ platform: 'dnevnik', retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10 } }).get('/v2/users/me'));
    expect(err).toMatchObject({ action: 'rate_limited', attempts: 2, retries: { used: 1, max: 1, stoppedBy: 'used_up' } });
    expect(err.message).toContain('429 rate limited by the platform (transient)');
    expect(err.message).toContain('gave up after 2 attempts: all 1 retry of the HTTP layer used up');
    expect(err.message).toContain("lower the instance's request rate");
    expect(err.message).not.toMatch(BARE_ACTION);
  });

  it('429 asking to wait longer than a run waits: no retry made, and the message says why', async () => {
    nock(ORIGIN).get('/v2/users/me').reply(429, {}, { 'Retry-After': '3600' });
    const err = await failure(testClient({ platform: 'dnevnik' }).get('/v2/users/me'));
    expect(err).toMatchObject({ attempts: 1, retryAfterMs: 3_600_000, retries: { used: 0, max: 3, stoppedBy: 'wait_too_long' } });
    expect(err.message).toContain('gave up after 1 attempt (0 of 3 retries used): the platform asked to wait 3600 s, longer than a run waits');
    expect(err.message).not.toMatch(BARE_ACTION);
  });

  it('a POST that is not idempotent: not retried, and the message says why rather than "retry"', async () => {
    nock(ORIGIN).post('/core/api/marks').reply(502, 'bad gateway');
    const err = await failure(testClient({ platform: 'epos' }).post('/core/api/marks', { json: { value: '5' } }));
    expect(err).toMatchObject({ action: 'retry', attempts: 1, retries: { used: 0, max: 3, stoppedBy: 'not_idempotent' } });
    expect(err.message).toContain('gave up after 1 attempt: a POST is not retried (not idempotent');
    expect(err.message).not.toMatch(BARE_ACTION);
  });

  it('a failure retrying cannot help keeps its verdict (fail), with no retry wording', async () => {
    nock(ORIGIN).get('/webapi/student/diary').reply(404, 'nope');
    const err = await failure(testClient().get('/webapi/student/diary'));
    expect(err.retries).toBeUndefined();
    expect(err.message).toMatch(/: 404 fail \(system\) — /);
    expect(err.message).not.toContain('gave up');
  });
});
