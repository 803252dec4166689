// Fault injection for emulators (PLATFORM-SLICE.md §1): latency, a share of 5xx, 429 with Retry-After,
// session expiry mid-run, malformed records — all driven by a seeded RNG so a failing run replays.
import { createHash } from 'node:crypto';

/** Faults for one run. Everything is off unless set. */
export interface FaultConfig {
  /** RNG seed for every random decision (default 1). */
  seed?: number;
  /** Added delay per request: a number, or `[min, max]` drawn per request. */
  latencyMs?: number | readonly [number, number];
  /** Share (0…1) of requests answered with 500/502/503 instead of being handled. */
  errorRate?: number;
  /** Every N-th request is answered 429 with `Retry-After: retryAfterS`. */
  rateLimit?: { every: number; retryAfterS: number };
  /** After every N handled requests the emulator's sessions expire (its `onExpireSessions` hook runs). */
  expireSessionAfter?: number;
  /** Share (0…1) of records a handler corrupts when it asks `faults.malformed()`. */
  malformedRecordRate?: number;
}

/** mulberry32: small, fast, deterministic. Returns a function yielding floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the kit decided for one request before the handler runs. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'rate_limited'; retryAfterS: number }
  | { kind: 'server_error'; status: 500 | 502 | 503 };

/** Counts of injected faults. */
export interface FaultCounts {
  delayed: number;
  serverErrors: number;
  rateLimited: number;
  sessionsExpired: number;
  malformed: number;
}

/** Stateful injector for one server; `configure()` swaps the config and reseeds. */
export class FaultInjector {
  private cfg: FaultConfig = {};
  private rnd: () => number = seededRandom(1);
  private seen = 0;
  private handled = 0;
  readonly counts: FaultCounts = { delayed: 0, serverErrors: 0, rateLimited: 0, sessionsExpired: 0, malformed: 0 };

  constructor(cfg?: FaultConfig) {
    this.configure(cfg);
  }

  configure(cfg: FaultConfig | undefined): void {
    this.cfg = { ...cfg };
    this.rnd = seededRandom(cfg?.seed ?? 1);
    this.seen = 0;
    this.handled = 0;
  }

  get config(): Readonly<FaultConfig> {
    return this.cfg;
  }

  /** Latency to add to this request (0 if none). */
  latency(): number {
    const l = this.cfg.latencyMs;
    if (l === undefined) return 0;
    const ms = typeof l === 'number' ? l : l[0] + Math.floor(this.rnd() * (l[1] - l[0] + 1));
    if (ms > 0) this.counts.delayed++;
    return ms;
  }

  /** Decides whether this request is refused before its handler runs. */
  decide(): FaultDecision {
    this.seen++;
    const rl = this.cfg.rateLimit;
    if (rl && rl.every > 0 && this.seen % rl.every === 0) {
      this.counts.rateLimited++;
      return { kind: 'rate_limited', retryAfterS: rl.retryAfterS };
    }
    if (this.cfg.errorRate && this.rnd() < this.cfg.errorRate) {
      this.counts.serverErrors++;
      const statuses = [500, 502, 503] as const;
      return { kind: 'server_error', status: statuses[Math.floor(this.rnd() * statuses.length)] };
    }
    return { kind: 'none' };
  }

  /** Called after a handled request; true when sessions must expire now. */
  afterHandled(): boolean {
    this.handled++;
    const n = this.cfg.expireSessionAfter;
    if (n && n > 0 && this.handled % n === 0) {
      this.counts.sessionsExpired++;
      return true;
    }
    return false;
  }

  /**
   * Handlers call this per record they render; true = emit this record malformed. With `key` (the record's identity)
   * the answer is the record's own, whatever the order of requests: a record corrupt on the platform is corrupt in
   * every answer that carries it — a page and a one-record request for the same record (ЭПОС's boundary check,
   * connectors/paged-list.ts) agree, and concurrent reads do not change which records are broken.
   */
  malformed(key?: string): boolean {
    const rate = this.cfg.malformedRecordRate;
    if (!rate) return false;
    const draw = key === undefined ? this.rnd() : createHash('sha256').update(`${this.cfg.seed ?? 1}|${key}`).digest().readUInt32BE(0) / 2 ** 32;
    if (draw >= rate) return false;
    this.counts.malformed++;
    return true;
  }
}
