// Starting a parent's login costs the server: ESIA's authorization request is signed (with the GOST engine, one
// openssl process per request) and a login transaction is kept for ten minutes. Without a limit a loop on
// /login/esia from one address spawned a signing process per request. Each address (an IPv6 client by its /64,
// as the staff lockout counts it) may start `perAddress` logins a window — a school's network at a parents' meeting
// stays far below 60 a minute — and at most `concurrent` starts run at once, whoever sends them.
import { addressKey } from './staff/throttle.js';

export interface LoginStartLimits {
  perAddress: number;
  windowMs: number;
  concurrent: number;
}

export const DEFAULT_LOGIN_START_LIMITS: LoginStartLimits = { perAddress: 60, windowMs: 60_000, concurrent: 8 };

/** What a refused start tells the parent: wait a window (`address`) or a moment (`busy`). */
export type StartRefusal = { refused: 'address' | 'busy'; retryAfterS: number };

/** Addresses counted at most: a flood from made-up addresses cannot grow memory without bound. */
const MAX_ADDRESSES = 10_000;

export class LoginStartLimit {
  private readonly counts = new Map<string, { starts: number; windowEnds: number }>();
  private running = 0;

  constructor(private readonly limits: LoginStartLimits = DEFAULT_LOGIN_START_LIMITS, private readonly now: () => number = () => Date.now()) {}

  /**
   * Counts a start from `address` and takes a slot; the caller gives it back with the returned `done` when the
   * start has signed (or failed). A refused start takes nothing.
   */
  begin(address: string): { done: () => void } | StartRefusal {
    const t = this.now();
    const k = addressKey(address);
    let c = this.counts.get(k);
    if (!c || c.windowEnds <= t) c = { starts: 0, windowEnds: t + this.limits.windowMs };
    if (c.starts >= this.limits.perAddress) return { refused: 'address', retryAfterS: Math.ceil((c.windowEnds - t) / 1000) };
    if (this.running >= this.limits.concurrent) return { refused: 'busy', retryAfterS: 5 };
    c.starts += 1;
    this.counts.delete(k);
    this.counts.set(k, c);
    if (this.counts.size > MAX_ADDRESSES) this.forgetOldest(t);
    this.running += 1;
    let given = false;
    return { done: () => { if (!given) { given = true; this.running -= 1; } } };
  }

  /** Drops an address whose window is over, else the least recently counted one. */
  private forgetOldest(t: number): void {
    for (const [k, c] of this.counts) {
      if (c.windowEnds <= t) { this.counts.delete(k); return; }
    }
    this.counts.delete(this.counts.keys().next().value!);
  }
}
