// A platform that answers 429 with a `Retry-After` longer than a run waits (maxRetryAfterMs, 2 min) asks the whole
// account to stay away that long. The request that got it failed as rate_limited (right), but no hold was set: every
// other request of the instance — the other schools' jobs of the region, this worker's and the others' — went on
// sending into the refusal, and each job retried on its own backoff. Now the instance is held for the time asked:
// while the hold is longer than a run waits, a request fails at once as rate_limited with the time left, unsent.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHttpClient, resetInstanceGates } from '../../src/connectors/http/index.js';
import { ioredisOptions } from '../../src/infra/redis-service.js';
import { RedisRateLimiter } from '../../src/jobs/redis-rate-limiter.js';
import { failure, ORIGIN, testClient } from './helpers.js';

const connections: Redis[] = [];
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  resetInstanceGates();
  await Promise.all(connections.map((c) => c.quit()));
});

describe('a Retry-After longer than a run waits', () => {
  it('holds the instance: the next request fails at once as rate_limited with the time left, and is not sent', async () => {
    const scope = nock(ORIGIN).get('/v2/users/me').reply(429, {}, { 'Retry-After': '3600' });
    const http = testClient({ platform: 'dnevnik' });
    const first = await failure(http.get('/v2/users/me'));
    expect(first).toMatchObject({ action: 'rate_limited', retryAfterMs: 3_600_000 });
    expect(scope.isDone()).toBe(true);
    // No interceptor for it: were it sent, nock would refuse it as a network error.
    const t0 = Date.now();
    const next = await failure(http.get('/v2/schools/{id}', { pathParams: { id: 1 } }));
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(next).toMatchObject({ action: 'rate_limited', failureType: 'transient', status: undefined, attempts: 0, retries: { stoppedBy: 'wait_too_long' } });
    // The hold is at most 10 minutes (a wrong date in the header stops the region no longer than that).
    expect(next.retryAfterMs).toBeGreaterThan(590_000);
  });

  it('holds the other worker processes of the instance too (Redis): they fail at once instead of sending, or waiting an hour', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const instance = `region-${randomUUID().slice(0, 8)}`;
    const rateLimit = { requestsPerSecond: 50, concurrency: 4 };
    const worker = () => {
      resetInstanceGates();
      const redis = new Redis({ ...(ioredisOptions(inject('redisUrl')) as object), maxRetriesPerRequest: null } as never);
      connections.push(redis);
      return createHttpClient({
        platform: 'dnevnik', instance, baseURL: ORIGIN, rateLimit, timeoutMs: 2_000, retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 10 },
        limiter: new RedisRateLimiter(redis, { platform: 'dnevnik', instance }, { ...rateLimit, prefix }),
      });
    };
    const a = worker();
    const b = worker();
    nock(ORIGIN).get('/v2/users/me').reply(429, {}, { 'Retry-After': '3600' });
    expect(await failure(a.get('/v2/users/me'))).toMatchObject({ action: 'rate_limited' });
    const t0 = Date.now();
    const other = await failure(b.get('/v2/schools/{id}', { pathParams: { id: 1 } }));
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(other).toMatchObject({ action: 'rate_limited', status: undefined, attempts: 0 });
    expect(other.retryAfterMs).toBeGreaterThan(590_000);
  }, 10_000);
});
