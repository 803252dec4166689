import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ioredisOptions } from '../../src/infra/redis-service.js';
import { RedisRateLimiter } from '../../src/jobs/redis-rate-limiter.js';

const clients: Redis[] = [];
function connect(): Redis {
  const c = new Redis({ ...(ioredisOptions(inject('redisUrl')) as object), maxRetriesPerRequest: null } as never);
  clients.push(c);
  return c;
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

/** Largest number of acquisitions inside any window of `windowMs`. */
function peakInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe('rate limit per platform instance across worker processes (Redis)', () => {
  it('three limiters on separate connections never exceed the budget together', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const key = { platform: 'emu', instance: 'region-a' };
    const limiters = [connect(), connect(), connect()].map((r) => new RedisRateLimiter(r, key, { requestsPerSecond: 8, concurrency: 4, prefix, windowMarginMs: 0 }));
    const times: number[] = [];
    const started = Date.now();
    await Promise.all(limiters.map(async (l) => {
      for (let i = 0; i < 8; i++) {
        const permit = await l.acquire();
        times.push(Date.now());
        permit();
      }
    }));
    expect(times).toHaveLength(24);
    // 24 permits at 8 per second need at least two full windows after the first burst.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    // Local clocks see the grants a little later than Redis decided them; allow 20 ms of jitter.
    expect(peakInWindow(times, 980)).toBeLessThanOrEqual(8);
  });

  it('a request keeps its slot until its answer is in: late arrivals at the platform never bunch up', async () => {
    // Each "request" reaches the platform up to 250 ms after its permit and answers up to 250 ms later; with
    // slots counted from the grant alone, a burst of late arrivals and early ones would exceed the budget.
    const prefix = `jg-test-${randomUUID()}`;
    const key = { platform: 'emu', instance: 'region-jitter' };
    const limiters = [connect(), connect()].map((r) => new RedisRateLimiter(r, key, { requestsPerSecond: 5, concurrency: 4, prefix }));
    const arrivals: number[] = [];
    let seed = 11;
    const jitter = () => ((seed = (seed * 48271) % 2147483647) % 250);
    await Promise.all(limiters.flatMap((l) => Array.from({ length: 10 }, async () => {
      const permit = await l.acquire();
      await new Promise((r) => setTimeout(r, jitter()));
      arrivals.push(Date.now());
      await new Promise((r) => setTimeout(r, jitter()));
      permit();
    })));
    expect(arrivals).toHaveLength(20);
    expect(peakInWindow(arrivals, 1000)).toBeLessThanOrEqual(5);
  });

  it('different instances have separate budgets', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const r = connect();
    const a = new RedisRateLimiter(r, { platform: 'emu', instance: 'a' }, { requestsPerSecond: 2, concurrency: 1, prefix });
    const b = new RedisRateLimiter(r, { platform: 'emu', instance: 'b' }, { requestsPerSecond: 2, concurrency: 1, prefix });
    const t0 = Date.now();
    await Promise.all([a.acquire(), a.acquire(), b.acquire(), b.acquire()]);
    // A shared budget would hold the third permit for a whole window (≥ 1 s); separate ones grant all four at once.
    expect(Date.now() - t0).toBeLessThan(950);
  });

  it('a fractional budget across processes: 2.7 never lets a second see 3 (it once let 172 through in one second)', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const key = { platform: 'emu', instance: 'fraction' };
    const limiters = [connect(), connect()].map((r) => new RedisRateLimiter(r, key, { requestsPerSecond: 2.7, concurrency: 4, prefix, windowMarginMs: 0 }));
    const times: number[] = [];
    await Promise.all(limiters.map(async (l) => {
      for (let i = 0; i < 3; i++) {
        const permit = await l.acquire();
        times.push(Date.now());
        permit();
      }
    }));
    expect(peakInWindow(times, 1000)).toBeLessThanOrEqual(2);
  });

  it('tells only the wait a spent budget imposed, not the permit\'s round trip (the bench\'s rate-limited time)', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const l = new RedisRateLimiter(connect(), { platform: 'emu', instance: 'held-back' }, { requestsPerSecond: 1, concurrency: 1, prefix, windowMarginMs: 0 });
    const told: string[] = [];
    const held = { start: () => told.push('start'), end: () => told.push('end') };
    const first = await l.acquire(Infinity, held);
    expect(told).toEqual([]);
    first();
    const t0 = Date.now();
    (await l.acquire(Infinity, held))();
    // The budget of one a second was spent: the second permit waited about a window, and said when it began and ended.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(told.slice(0, 2)).toEqual(['start', 'end']);
    expect(told.filter((t) => t === 'start')).toHaveLength(told.filter((t) => t === 'end').length);
  });
});
