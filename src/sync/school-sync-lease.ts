// One roster or journal sync of a school at a time, whichever platform it reads, across every process sharing the
// store (docs/sync.md "One sync of a school at a time"). Two at once — a scheduled job beside `sync roster` or
// `migrate`, a job handed to a second worker — raced on the store: a pupil re-keyed by both crashed one run, a pupil
// missing for the first time was counted missing twice and deleted at once, a pupil new on two platforms became two
// people (neither run saw the other's record to match), and a journal read racing the roster quarantined its marks
// as orphans and still moved its sweep cursor past them. The lease (src/store/leases.ts) serialises them: a second
// run waits for the first to give it back, up to SCHOOL_SYNC_WAIT_MS, then fails with a message saying so (a job is
// retried by BullMQ).
// The lease is handed to the work: a run whose lease lapsed under it (renewals failing past its time-to-live) and was
// taken by another sync of the school stops before its next write (`lease.assertHeld()`, lease-keeper.ts) — before, it
// went on storing and committed its cursors beside the other run.
import type { HeldLease, Store } from '../store/index.js';

/** How long a run waits for another sync of the same school (a 1,000-pupil full roster sync takes a few minutes). */
export const SCHOOL_SYNC_WAIT_MS = 10 * 60_000;

export function withSchoolSync<T>(store: Store, schoolId: string, runId: string, fn: (lease: HeldLease) => Promise<T>, opts: { waitMs?: number; ttlMs?: number } = {}): Promise<T> {
  return store.withLease({ system: 'gateway', instance: 'school', name: `lease:sync:${schoolId}` }, runId, fn, { waitMs: opts.waitMs ?? SCHOOL_SYNC_WAIT_MS, ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}) });
}

/**
 * {@link withSchoolSync} over several schools at once (an operator's change to a person of several schools: `review
 * split`), taken one after another in id order — the same order every caller takes them in, so two never wait on
 * each other.
 */
export function withSchoolSyncs<T>(store: Store, schoolIds: readonly string[], runId: string, fn: () => Promise<T>): Promise<T> {
  return [...new Set(schoolIds)].sort().reduceRight<() => Promise<T>>((inner, id) => () => withSchoolSync(store, id, runId, () => inner()), fn)();
}
