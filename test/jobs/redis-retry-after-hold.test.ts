// A platform's 429 with `Retry-After` holds every request of the instance (client.ts → gate.holdFor). The rate limit
// of an instance holds across worker processes through Redis (DECISIONS.md §7), but the hold stayed in the process
// that got the 429: the other workers of the region kept sending to a platform that had just asked to wait — more
// 429s, and a platform that blocks clients which ignore Retry-After blocks the whole region's account.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHttpClient, resetInstanceGates } from '../../src/connectors/http/index.js';
import { ioredisOptions } from '../../src/infra/redis-service.js';
import { RedisRateLimiter } from '../../src/jobs/redis-rate-limiter.js';

const ORIGIN = 'http://hold.test';
const clients: Redis[] = [];
function connect(): Redis {
  const c = new Redis({ ...(ioredisOptions(inject('redisUrl')) as object), maxRetriesPerRequest: null } as never);
  clients.push(c);
  return c;
}
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  resetInstanceGates();
  await Promise.all(clients.map((c) => c.quit()));
});

describe('a Retry-After hold across worker processes (Redis)', () => {
  it('a 429 answered to one worker holds the other workers of the instance too', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const instance = `region-${randomUUID().slice(0, 8)}`;
    const rateLimit = { requestsPerSecond: 50, concurrency: 4 };
    // Two worker processes: each its own gate of the instance, one Redis window between them.
    const worker = () => {
      resetInstanceGates();
      return createHttpClient({
        platform: 'dnevnik', instance, baseURL: ORIGIN, rateLimit, timeoutMs: 5_000, retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 10 },
        limiter: new RedisRateLimiter(connect(), { platform: 'dnevnik', instance }, { ...rateLimit, prefix }),
      });
    };
    const a = worker();
    const b = worker();
    expect(a.gate).not.toBe(b.gate);
    let refusedAt = 0;
    let otherArrivedAt = 0;
    nock(ORIGIN)
      .get('/v2/users/me').reply(() => { refusedAt = Date.now(); return [429, {}, { 'Retry-After': '2' }]; })
      .get('/v2/users/me').reply(200, { id_str: '1' })
      .get('/v2/schools/1').reply(() => { otherArrivedAt = Date.now(); return [200, { id_str: '1' }]; });
    const first = a.get('/v2/users/me');
    while (!refusedAt) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100)); // the 429 is in and held in worker a
    await b.get('/v2/schools/{id}', { pathParams: { id: 1 } });
    await first;
    // The other worker's request waited for the platform's 2 s, not sent 100 ms after the 429.
    expect(otherArrivedAt - refusedAt).toBeGreaterThanOrEqual(1_800);
  }, 15_000);
});
