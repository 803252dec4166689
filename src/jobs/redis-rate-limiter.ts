// A request-rate limit per platform instance that holds across every worker process and machine
// sharing one Redis (DECISIONS.md §7): a sliding-window log in a sorted set, decided atomically by Lua
// scripts that read Redis' own clock, so machines with skewed clocks still share one window.
//
// Like the in-process limiter (src/connectors/http/completion-window.ts), a request keeps its slot until its
// answer is in and for one window after: a granted permit is scored in the future (its lease) and re-scored
// with Redis' time when the worker releases it. A platform stamps a request between its send and its answer, so
// no dispatch delay or network jitter of any worker can make more than the budget arrive within a window.
// A worker that dies with a permit in hand frees it when the lease ends.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisUnavailableError } from '../infra/redis-service.js';
import { DEFAULT_WINDOW_MARGIN_MS, InstanceHeldError, permitWindow, sleep, type HeldBack, type RateLimiter, type RateLimiterFactory, type RateLimitOptions, type RatePermit } from '../connectors/http/rate-limiter.js';

/** How long a permit may stay unreleased (longer than any request's time-out) before its slot is given back. */
export const PERMIT_LEASE_MS = 120_000;

const ACQUIRE = `
local key = KEYS[1]
local max = tonumber(ARGV[1])
local windowUs = tonumber(ARGV[2])
local member = ARGV[3]
local leaseUs = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
-- A platform's Retry-After, held by any worker of the instance: nobody sends before it ends.
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if held > now then return -math.ceil((held - now) / 1000) end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowUs)
if redis.call('ZCARD', key) < max then
  redis.call('ZADD', key, now + leaseUs, member)
  redis.call('PEXPIRE', key, math.ceil((windowUs + leaseUs) / 1000) + 1000)
  return 0
end
-- The earliest slot to free is the oldest answered one's, a window after its answer; while every slot is in
-- flight, none frees sooner than a window from now.
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local score = tonumber(oldest[2])
if score > now then return math.ceil(windowUs / 1000) end
return math.ceil((score + windowUs - now) / 1000) + 1
`;

const RELEASE = `
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) * 1000000 + tonumber(t[2]), ARGV[1])
return 0
`;

const HOLD = `
local t = redis.call('TIME')
local untilUs = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
if untilUs > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], untilUs, 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

export interface RedisRateLimiterOptions extends RateLimitOptions, UnansweredOptions {
  /** Key prefix, so tests and several gateways on one Redis never share a window by accident. */
  prefix?: string;
}

/**
 * A one-off run's limit on waiting for Redis. A worker waits for Redis as long as it takes (its jobs wait in Redis
 * anyway); a command run by hand fails instead of hanging for ever with no word when Redis is gone for good.
 */
export interface UnansweredOptions {
  /** A permit Redis has not answered for this long fails the request with a RedisUnavailableError. */
  giveUpAfterMs?: number;
  /** The Redis as the error names it (without credentials). */
  redisShown?: string;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly key: string;
  private readonly holdKey: string;
  private readonly max: number;
  private readonly windowUs: number;
  private readonly owner = randomUUID();
  private seq = 0;
  private gaveUp: RedisUnavailableError | undefined;

  constructor(private readonly redis: Redis, key: { platform: string; instance: string }, private readonly opts: RedisRateLimiterOptions) {
    if (!(opts.requestsPerSecond > 0)) throw new RangeError(`requestsPerSecond must be > 0, got ${opts.requestsPerSecond}`);
    const { max, windowMs } = permitWindow(opts.requestsPerSecond);
    this.max = max;
    this.windowUs = (windowMs + Math.max(0, opts.windowMarginMs ?? DEFAULT_WINDOW_MARGIN_MS)) * 1000;
    this.key = `${opts.prefix ?? 'jg'}:ratelimit:${key.platform}:${key.instance}`;
    this.holdKey = `${this.key}:hold`;
  }

  /** Holds the instance for every worker sharing this Redis (a 429's Retry-After); by Redis' clock, like the window. */
  async hold(ms: number): Promise<void> {
    if (ms > 0) await this.redis.eval(HOLD, 1, this.holdKey, Math.ceil(ms));
  }

  async acquire(maxHoldMs = Infinity, held?: HeldBack): Promise<RatePermit> {
    const member = `${this.owner}:${this.seq++}`;
    for (;;) {
      const wait = Number(await this.answered(this.redis.eval(ACQUIRE, 2, this.key, this.holdKey, this.max, this.windowUs, member, PERMIT_LEASE_MS * 1000)));
      if (wait === 0) break;
      // Negative: the time left of a hold another worker set. One longer than the request may wait is not waited out.
      if (wait < 0 && -wait > maxHoldMs) throw new InstanceHeldError(-wait);
      // Only this wait is rate-limited time: the round trip that answered the permit is the gateway's own.
      held?.start();
      try {
        await sleep(Math.abs(wait));
      } finally {
        held?.end();
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Not awaited: the request is done either way; if Redis cannot be reached the lease gives the slot back.
      this.redis.eval(RELEASE, 1, this.key, member).catch(() => undefined);
    };
  }

  /**
   * Redis' answer, or a RedisUnavailableError once `giveUpAfterMs` passed without one. ioredis keeps the command queued
   * while it reconnects: a Redis back within the time (a restart) costs only the wait. The abandoned command may still
   * take a slot when Redis comes back; its lease gives it back.
   */
  private answered<T>(command: Promise<T>): Promise<T> {
    const { giveUpAfterMs: ms, redisShown } = this.opts;
    if (ms === undefined) return command;
    // Once given up on, the next permits fail at once while Redis is still away: a push's writes each asking for one
    // would otherwise wait the whole time each, one after another.
    if (this.gaveUp && this.redis.status !== 'ready') return Promise.reject(this.gaveUp);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.gaveUp = new RedisUnavailableError(
        `Redis at ${redisShown ?? 'the configured address'} does not answer (for ${Math.round(ms / 1000)} s): this run counts its platform requests there, in the workers' budget, `
          + 'and stops here without sending more. Start Redis again (or correct redis.url / REDIS_URL) and run the command again',
      )), ms);
    });
    return Promise.race([command, gaveUp]).finally(() => clearTimeout(timer));
  }
}

/** The factory the worker installs with `setRateLimiterFactory`, so every connector gate shares Redis. */
export function redisRateLimiterFactory(redis: Redis, prefix?: string, unanswered: UnansweredOptions = {}): RateLimiterFactory {
  return (key, opts) => new RedisRateLimiter(redis, key, { ...opts, ...unanswered, ...(prefix ? { prefix } : {}) });
}
