import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompletionWindowLimiter } from '../../src/connectors/http/completion-window.js';
import { WindowRateLimiter, createHttpClient, getInstanceGate, sleep, type RateLimiter } from '../../src/connectors/http/index.js';
import { permitWindow } from '../../src/connectors/http/rate-limiter.js';
import { RateLimitConfig } from '../../src/config/schema.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { ORIGIN, maxInWindow, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('per-instance rate limit', () => {
  it('the limiter never grants more than rps permits in any 1 s window', async () => {
    const limiter = new WindowRateLimiter(4);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then((permit) => { times.push(performance.now()); permit(); })));
    expect(times).toHaveLength(12);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(4);
  });

  it('a fractional budget never lets a second see more than it: 2.7 gives 2 a second, 0.5 one every 2 s', async () => {
    expect(permitWindow(2.7)).toEqual({ max: 2, windowMs: 1000 });
    expect(permitWindow(0.3)).toEqual({ max: 1, windowMs: 3334 });
    // Before, 2.7 became 172 permits per 64 s, all usable in the first second.
    const limiter = new WindowRateLimiter(2.7, 0);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire().then((permit) => { times.push(performance.now()); permit(); })));
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(2);
    const slow = new WindowRateLimiter(0.5, 0);
    const slowTimes: number[] = [];
    await Promise.all(Array.from({ length: 2 }, () => slow.acquire().then((permit) => { slowTimes.push(performance.now()); permit(); })));
    expect(slowTimes[1] - slowTimes[0]).toBeGreaterThanOrEqual(1990);
  });

  it('a budget above 1 that is not whole is refused by the config with a message saying why', () => {
    const r = RateLimitConfig.safeParse({ requestsPerSecond: 2.7 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/^above 1 request a second the budget must be a whole number/);
    expect(RateLimitConfig.parse({ requestsPerSecond: 0.5 }).requestsPerSecond).toBe(0.5);
    expect(() => getPlatform('epos').declaration.configSchema.parse({ baseUrl: 'https://x.example', auth: { kind: 'password', login: 'l', password: 'p' }, rateLimit: { requestsPerSecond: 1.5, concurrency: 2 } })).toThrow(/whole number/);
  });

  it('however late requests reach the platform or their answers come back, no more than max arrive in a window', async () => {
    // The platform stamps a request somewhere between its send and its answer (here: up to 250 ms either way).
    // A window of send stamps with a small margin lets late and early arrivals bunch up; the completion window does not.
    const limiter = new CompletionWindowLimiter(6, 1000);
    const arrivals: number[] = [];
    let seed = 7;
    const jitter = () => ((seed = (seed * 48271) % 2147483647) % 250);
    await Promise.all(Array.from({ length: 30 }, async () => {
      const permit = await limiter.acquire();
      await sleep(jitter());
      arrivals.push(performance.now());
      await sleep(jitter());
      permit();
    }));
    expect(arrivals).toHaveLength(30);
    expect(maxInWindow(arrivals, 1000)).toBeLessThanOrEqual(6);
  });

  it('a permit frees its slot only a window after it is released, and a second release changes nothing', async () => {
    const limiter = new CompletionWindowLimiter(1, 200);
    const first = await limiter.acquire();
    let second = false;
    const next = limiter.acquire().then(() => { second = true; });
    await sleep(300);
    expect(second).toBe(false); // still in flight after more than a window
    first();
    first();
    await sleep(100);
    expect(second).toBe(false); // answered less than a window ago
    await next;
    expect(second).toBe(true);
  });

  it('a client never sends more than its requests per second (timestamps counted at the server)', async () => {
    const seen: number[] = [];
    nock(ORIGIN).get('/webapi/student/diary').times(15).reply(() => {
      seen.push(performance.now());
      return [200, '{}'];
    });
    const http = testClient({ rateLimit: { requestsPerSecond: 5, concurrency: 3 } });
    await Promise.all(Array.from({ length: 15 }, () => http.get('/webapi/student/diary')));
    expect(seen).toHaveLength(15);
    expect(maxInWindow(seen, 1000)).toBeLessThanOrEqual(5);
    expect(http.stats.snapshot().rateLimitWaits.count).toBeGreaterThan(0);
  });

  it('two clients of the same instance share one budget', async () => {
    const seen: number[] = [];
    nock(ORIGIN).get('/a').times(6).reply(() => (seen.push(performance.now()), [200, '{}'])).get('/b').times(6).reply(() => (seen.push(performance.now()), [200, '{}']));
    const common = { platform: 'epos', instance: `shared-${Math.random()}`, baseURL: ORIGIN, rateLimit: { requestsPerSecond: 4, concurrency: 4 } };
    const one = createHttpClient(common);
    const two = createHttpClient({ ...common, rateLimit: { requestsPerSecond: 50, concurrency: 50 } }); // first options win
    expect(one.gate).toBe(two.gate);
    await Promise.all([...Array.from({ length: 6 }, () => one.get('/a')), ...Array.from({ length: 6 }, () => two.get('/b'))]);
    expect(maxInWindow(seen, 1000)).toBeLessThanOrEqual(4);
  });

  it('concurrency is capped per instance', async () => {
    let inFlight = 0;
    let peak = 0;
    nock(ORIGIN).get('/slow').times(8).delay(30).reply(() => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => inFlight--, 25);
      return [200, '{}'];
    });
    const http = testClient({ rateLimit: { requestsPerSecond: 1000, concurrency: 2 } });
    await Promise.all(Array.from({ length: 8 }, () => http.get('/slow')));
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('the limiter is swappable (the Redis seam): one acquire per attempt', async () => {
    let acquired = 0;
    const limiter: RateLimiter = { acquire: async () => void acquired++ };
    nock(ORIGIN).get('/x').reply(500).get('/x').reply(200, {});
    const http = testClient({ limiter });
    await http.get('/x');
    expect(acquired).toBe(2);
    expect(getInstanceGate(http.platform, http.instance, { requestsPerSecond: 1, concurrency: 1 }).limiter).toBe(limiter);
  });
});
