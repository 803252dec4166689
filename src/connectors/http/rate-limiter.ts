// Per-platform-instance rate limits (DECISIONS.md §5, §7). One `InstanceGate` per (platform, instance)
// in this process, shared by every client of that instance, so two connectors reading the same
// school server never add up to more than its budget. The requests-per-second permit comes from a
// swappable `RateLimiter`: a completion-anchored sliding window in-process by default
// (completion-window.ts); the jobs layer installs a Redis-backed one shared by worker processes with
// `setRateLimiterFactory`.
import PQueue from 'p-queue';
import { CompletionWindowLimiter, type HeldBack, type RatePermit } from './completion-window.js';
import { WaitClock } from './wait-clock.js';

export { CompletionWindowLimiter, type HeldBack, type RatePermit } from './completion-window.js';

/** One permit per request. Implementations: in-process (default), Redis (jobs layer). */
export interface RateLimiter {
  /**
   * Resolves when one more request may start without exceeding the limit, with a permit the gate calls when the
   * request's answer (or failure) is in. A limiter that counts starts only may resolve with nothing. A limiter that
   * shares holds ({@link hold}) rejects with {@link InstanceHeldError} when one longer than `maxHoldMs` is under way.
   * `held` is told when the limiter holds the request back (the budget spent, a hold) and when it lets it go: only
   * that is rate-limited time, not the time a permit takes to be answered.
   */
  acquire(maxHoldMs?: number, held?: HeldBack): Promise<RatePermit | void>;
  /**
   * Holds every permit of the instance for `ms` (a platform's `Retry-After`), in every process the limiter is shared
   * with. The in-process limiter needs none: the gate holds its own requests.
   */
  hold?(ms: number): Promise<void>;
}

/**
 * The instance is held (a platform's `Retry-After`) for longer than the request may wait: it is not sent. The HTTP
 * client reports it as `rate_limited` with the time left, as it reports the answer that set the hold.
 */
export class InstanceHeldError extends Error {
  constructor(readonly remainingMs: number) {
    super(`the platform asked this instance to wait ${Math.ceil(remainingMs / 1000)} s more`);
    this.name = 'InstanceHeldError';
  }
}

/** Budget of one platform instance. */
export interface RateLimitOptions {
  /**
   * Request starts allowed in any rolling 1-second window (> 0). Above 1 only its whole part counts (no second may
   * see more than the budget: 2.7 → 2); below 1 it is one request per 1/r seconds (0.5 → one every 2 s).
   */
  requestsPerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
  /**
   * Added to the 1-second window. The default limiter already keeps a request's slot until its answer is in, so
   * network and event-loop jitter cannot make requests *arrive* closer together than the platform's window; the
   * margin only covers clock resolution (the platform stamps arrivals in whole milliseconds). Default 10 ms.
   */
  windowMarginMs?: number;
}

/** Default {@link RateLimitOptions.windowMarginMs}. */
export const DEFAULT_WINDOW_MARGIN_MS = 10;

/** The longest a platform's `Retry-After` holds an instance (10 minutes). */
export const MAX_HOLD_MS = 600_000;

/** Makes the limiter for a (platform, instance) key. */
export type RateLimiterFactory = (key: { platform: string; instance: string }, opts: RateLimitOptions) => RateLimiter;

/** The in-process default: {@link CompletionWindowLimiter} over the budget's {@link permitWindow}. */
export class WindowRateLimiter implements RateLimiter {
  private readonly window: CompletionWindowLimiter;

  constructor(requestsPerSecond: number, windowMarginMs: number = DEFAULT_WINDOW_MARGIN_MS) {
    if (!(requestsPerSecond > 0)) throw new RangeError(`requestsPerSecond must be > 0, got ${requestsPerSecond}`);
    const { max, windowMs } = permitWindow(requestsPerSecond);
    this.window = new CompletionWindowLimiter(max, windowMs + Math.max(0, windowMarginMs));
  }

  acquire(_maxHoldMs?: number, held?: HeldBack): Promise<RatePermit> {
    return this.window.acquire(held);
  }
}

/**
 * A budget as whole permits per window. A platform's "N requests per second" holds in every rolling second, so a
 * budget above 1 gives its whole part per second: 2.7 → 2 per 1 s. (Spreading 2.7 over a longer window — 27 per
 * 10 s — would let all 27 start in one second.) Below 1 there is one request per 1/r seconds: 0.5 → 1 per 2 s.
 */
export function permitWindow(requestsPerSecond: number): { max: number; windowMs: number } {
  if (!(requestsPerSecond > 0)) throw new RangeError(`requestsPerSecond must be > 0, got ${requestsPerSecond}`);
  if (requestsPerSecond >= 1) return { max: Math.floor(requestsPerSecond), windowMs: 1000 };
  return { max: 1, windowMs: Math.ceil(1000 / requestsPerSecond) };
}

/** The default: each process counts its own requests (a process with no Redis to share, tests, the demo). */
export const inProcessRateLimiterFactory: RateLimiterFactory = (_key, opts) => new WindowRateLimiter(opts.requestsPerSecond, opts.windowMarginMs);

let factory: RateLimiterFactory = inProcessRateLimiterFactory;

/**
 * Replaces the limiter factory for gates created from now on (e.g. the Redis limiter of the jobs layer).
 * Existing gates keep theirs; call {@link resetInstanceGates} to rebuild them.
 */
export function setRateLimiterFactory(f: RateLimiterFactory): void {
  factory = f;
}

/**
 * Concurrency + rate + a shared "hold" for one platform instance. After a 429 with `Retry-After`,
 * `holdFor(ms)` pauses every request of the instance, not only the one that was refused.
 */
export class InstanceGate {
  private readonly concurrencyQueue: PQueue;
  private blockedUntil = 0;
  private readonly rateLimited = new WaitClock();

  constructor(
    readonly platform: string,
    readonly instance: string,
    readonly options: RateLimitOptions,
    readonly limiter: RateLimiter,
  ) {
    if (!(options.concurrency >= 1)) throw new RangeError(`concurrency must be >= 1, got ${options.concurrency}`);
    this.concurrencyQueue = new PQueue({ concurrency: options.concurrency });
  }

  /**
   * Runs `task` inside the instance's concurrency limit after a rate permit (and after any hold).
   * `onWait(ms)` reports how long the request waited for its turn. A hold with more than `maxHoldMs` left is not
   * waited out: the task is not run, and the promise rejects with {@link InstanceHeldError}.
   */
  run<T>(task: () => Promise<T>, onWait?: (ms: number) => void, maxHoldMs = Infinity): Promise<T> {
    const queuedAt = Date.now();
    return this.concurrencyQueue.add(async () => {
      // Only a hold and a permit the limiter held back count as rate-limited time: neither waiting for a concurrency
      // slot nor the time a permit takes to be answered (a Redis round trip, which waits for a busy event loop too).
      const held = this.heldBack();
      let permit: RatePermit | void;
      try {
        for (let hold = this.blockedUntil - Date.now(); hold > 0; hold = this.blockedUntil - Date.now()) {
          if (hold > maxHoldMs) throw new InstanceHeldError(hold);
          held.start();
          try {
            await sleep(hold);
          } finally {
            held.end();
          }
        }
        permit = await this.limiter.acquire(maxHoldMs, held);
      } finally {
        // A wait the limiter left open (it failed while holding the request back) ends here.
        held.end();
      }
      onWait?.(Date.now() - queuedAt);
      try {
        return await task();
      } finally {
        // The answer is in: the limiter may count the window from now (completion-window.ts).
        permit?.();
      }
    }) as Promise<T>;
  }

  /** One request's {@link HeldBack}, feeding the instance's and the process's clocks (a second start or end does nothing). */
  private heldBack(): HeldBack {
    let waiting = false;
    return {
      start: () => {
        if (waiting) return;
        waiting = true;
        this.rateLimited.enter();
        processRateLimited.enter();
      },
      end: () => {
        if (!waiting) return;
        waiting = false;
        this.rateLimited.leave();
        processRateLimited.leave();
      },
    };
  }

  /** Wall time, ms, during which a request of this instance was held back by its rate limit or a Retry-After hold. */
  get rateLimitedMs(): number {
    return this.rateLimited.ms;
  }

  /**
   * Holds every request of this instance for `ms` (a 429/503 `Retry-After`), at most {@link MAX_HOLD_MS}: a platform
   * still refusing after that says so again to the next request, while a wrong date (a server's local time labelled
   * GMT: three hours) stops the region no longer than that.
   */
  holdFor(requested: number): void {
    const ms = Math.min(requested, MAX_HOLD_MS);
    this.blockedUntil = Math.max(this.blockedUntil, Date.now() + ms);
    // The other workers of the instance wait too; if the shared store cannot be reached, this process still does.
    this.limiter.hold?.(ms).catch(() => undefined);
  }

  /** Requests waiting for a slot (not counting those in flight). */
  get pending(): number {
    return this.concurrencyQueue.size;
  }
}

const gates = new Map<string, InstanceGate>();
/** Waits of every instance in this process, overlapping ones counted once. */
const processRateLimited = new WaitClock();

/**
 * Wall time, ms, during which a rate limit or a Retry-After hold held back any request of this process (not the
 * time a permit took to be answered): a benchmark's wall time minus this is the gateway's own time.
 */
export function rateLimitedMs(): number {
  return processRateLimited.ms;
}

/** The gate of a platform instance if this process has one (benchmarks read its figures). */
export function findInstanceGate(platform: string, instance: string): InstanceGate | undefined {
  return gates.get(`${platform}\u0000${instance}`);
}

/**
 * The process-wide gate of a platform instance. The first caller's options win; a later caller with
 * different options gets the existing gate (one budget per instance is the point).
 */
export function getInstanceGate(platform: string, instance: string, opts: RateLimitOptions, limiter?: RateLimiter): InstanceGate {
  const key = `${platform}\u0000${instance}`;
  let gate = gates.get(key);
  if (!gate) {
    gate = new InstanceGate(platform, instance, opts, limiter ?? factory({ platform, instance }, opts));
    gates.set(key, gate);
  }
  return gate;
}

/** Forgets every gate (tests, or after `setRateLimiterFactory`). */
export function resetInstanceGates(): void {
  gates.clear();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
