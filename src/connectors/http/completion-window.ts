// The in-process rate limiter: a sliding window anchored on when answers come back, not on when requests leave.
//
// A platform counts requests when they reach it, and that moment lies somewhere between our send and the answer's
// arrival. A window of start stamps (p-queue's `strict` interval, used before) therefore needed a fixed safety margin
// for network and event-loop jitter — 100 ms cost ~9% of the budget and was still not enough on a loaded machine
// (the Дневник.ру bench saw 107 arrivals in a second against 100). Here a request occupies its slot from its send
// until one window after its answer came back; a new request starts only while fewer than `max` slots are occupied.
// Then no `max + 1` requests can reach the platform within one window, whatever the jitter: of any `max + 1`, the
// last one sent found the others in flight or answered less than a window ago, i.e. reached by the platform less
// than a window before it was sent. The price is one round trip per slot instead of a fixed margin (≈ 1–3%).
// p-queue has no notion of a permit ending, hence this small class.

/** Called once the request's answer (or failure) is in; later calls do nothing. */
export type RatePermit = () => void;

/** Told when a limiter holds a request back and when it lets it go: the rate-limited time of a request (wait-clock.ts). */
export interface HeldBack {
  start(): void;
  end(): void;
}

export class CompletionWindowLimiter {
  private readonly windowMs: number;
  private inFlight = 0;
  /** When answered permits were released, ascending (performance.now()); dropped once a window old. */
  private readonly releasedAt: number[] = [];
  private readonly waiting: ((permit: RatePermit) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * `max` requests per `windowMs` (the window plus any margin the caller wants for clock resolution).
   */
  constructor(private readonly max: number, windowMs: number) {
    if (!(max >= 1) || !Number.isInteger(max)) throw new RangeError(`max must be a whole number >= 1, got ${max}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    this.windowMs = windowMs;
  }

  /**
   * Resolves with a permit once one more request may be sent; call the permit when its answer is in. A request not
   * granted at once is held back: `held` is told when, and when it is let go.
   */
  acquire(held?: HeldBack): Promise<RatePermit> {
    return new Promise((resolve) => {
      let waiting = false;
      let granted = false;
      this.waiting.push((permit) => {
        granted = true;
        if (waiting) held?.end();
        resolve(permit);
      });
      this.grant();
      if (!granted) {
        waiting = true;
        held?.start();
      }
    });
  }

  /** Slots taken now: requests in flight plus those answered less than a window ago. */
  private occupied(now: number): number {
    let expired = 0;
    while (expired < this.releasedAt.length && this.releasedAt[expired] <= now - this.windowMs) expired++;
    if (expired > 0) this.releasedAt.splice(0, expired);
    return this.inFlight + this.releasedAt.length;
  }

  private grant(): void {
    const now = performance.now();
    while (this.waiting.length > 0 && this.occupied(now) < this.max) {
      this.inFlight++;
      this.waiting.shift()!(this.permit());
    }
    // Every slot taken: the oldest answered one frees up a window after its answer; in-flight ones free up by
    // being answered (their release calls grant again).
    if (this.waiting.length > 0 && this.timer === undefined && this.releasedAt.length > 0) {
      const wait = this.releasedAt[0] + this.windowMs - now;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.grant();
      }, Math.max(1, Math.ceil(wait)));
    }
  }

  private permit(): RatePermit {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.releasedAt.push(performance.now());
      this.grant();
    };
  }
}
