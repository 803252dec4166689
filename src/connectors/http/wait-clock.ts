// Wall time spent held back by a rate limit, counted once however many requests wait at the same time (the
// union of their waits, not the sum): what a benchmark subtracts from its wall time to tell the gateway's
// own time from the time a platform's configured budget imposed (issue 8 bench). Asking for a permit is not
// such a wait (rate-limiter.ts, `HeldBack`).

export class WaitClock {
  private waiting = 0;
  private since = 0;
  private total = 0;

  /** One more request starts waiting. */
  enter(): void {
    if (this.waiting++ === 0) this.since = Date.now();
  }

  /** A waiting request got its turn. */
  leave(): void {
    if (this.waiting === 0) throw new Error('WaitClock.leave() without a matching enter()');
    if (--this.waiting === 0) this.total += Date.now() - this.since;
  }

  /** Milliseconds during which at least one request was waiting (an ongoing wait counts up to now). */
  get ms(): number {
    return this.total + (this.waiting > 0 ? Date.now() - this.since : 0);
  }
}
