// Keeps a lease renewed while its holder works, and tells the holder when it can no longer count on it. Before, a
// renewal that failed (a database hiccup) or answered "not yours" (lapsed and taken by another run) was ignored: a
// grade push went on writing while a second push, having taken the lapsed lease, sent the same operations — the
// target got the same marks twice. A holder that writes somewhere the lease guards calls `assertHeld()` before each
// write (grade-push.ts). Its own module, not leases.ts: renewLease is called through the module's export, so a test
// can make it fail.
import { LeaseLostError } from './errors.js';
import { renewLease, type LeaseKey } from './leases.js';
import type { SqlExecutor } from './sql-driver.js';

/** What `withLease` hands its work: whether the lease is still this run's to act on. */
export interface HeldLease {
  /**
   * Resolves while the lease can be counted on; else throws {@link LeaseLostError}: a renewal answered that another
   * run holds it, or it went unconfirmed for {@link TRUSTED_SHARE} of its time-to-live. A confirmation older than a
   * renewal interval is renewed first, here: a busy event loop (the embedded database computes on it) can hold the
   * renewal timer back, and a healthy lease must not be given up for that.
   */
  assertHeld(): Promise<void>;
}

/**
 * The share of its time-to-live a lease is trusted for after its last confirmation. Not all of it: a write call
 * started just before the lease lapses is still in flight after, while another run may take the lease over. Half
 * leaves the other half for calls in flight to end (30 s at the default 60 s). Renewals come every third of it and a
 * failed one is tried again sooner, so one failed renewal does not stop the work.
 */
export const TRUSTED_SHARE = 0.5;

const span = (ms: number) => (ms < 10_000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`);

export function keepLease(driver: SqlExecutor, key: LeaseKey, holder: string, ttlMs: number, takenAt: number): { lease: HeldLease; stop(): void } {
  // Local time before the statement was sent: the database set "held until" at its own now() + ttl, no earlier.
  let confirmedAt = takenAt;
  let lostToOther = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let renewing: Promise<boolean> | undefined;
  const every = Math.max(50, ttlMs / 3);
  /** One renewal at a time (parallel write calls may all ask); true when it confirmed the lease. */
  const renew = (): Promise<boolean> => (renewing ??= (async () => {
    const askedAt = Date.now();
    try {
      if (await renewLease(driver, key, holder, ttlMs)) {
        confirmedAt = Math.max(confirmedAt, askedAt);
        return true;
      }
      // Not this holder's any more: lost at once, whatever time is left.
      lostToOther = true;
      return false;
    } catch {
      return false; // Still ours in the database until it lapses: trusted on for the time left (held()).
    } finally {
      renewing = undefined;
    }
  })());
  const tick = () => {
    void renew().then((ok) => {
      if (stopped || lostToOther) return;
      timer = setTimeout(tick, ok ? every : Math.max(25, ttlMs / 10));
      timer.unref();
    });
  };
  timer = setTimeout(tick, every);
  timer.unref();
  const held = () => !lostToOther && Date.now() - confirmedAt < ttlMs * TRUSTED_SHARE;
  return {
    lease: {
      assertHeld: async () => {
        if (!lostToOther && Date.now() - confirmedAt >= every) await renew();
        if (held()) return;
        throw new LeaseLostError(lostToOther
          ? `${key.name} on ${key.instance} was taken over by another run; this run stopped writing`
          : `${key.name} on ${key.instance} could not be renewed for ${span(Date.now() - confirmedAt)} (time-to-live ${span(ttlMs)}); this run stopped writing before another could take it over`);
      },
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
