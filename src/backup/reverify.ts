// R-34: "a verification job re-hashes every copy at least yearly and records verifiedAt; a mismatch raises an
// incident". The nightly-backup job of each school also re-verifies that school's snapshots whose copies were last
// checked longest ago — nightly backups, class journals and summary sheets alike — a few a night, so every copy is
// re-hashed well within a year however many snapshots the school keeps. "Checked", passed or not: ordered by the last
// verifiedAt, a damaged copy (which never gets a new one) put its snapshot first every night, and a few damaged ones
// kept every other snapshot of the school from ever being re-hashed again.
import type { CanonicalStore } from '../store/index.js';
import { listSnapshots, verifySnapshot } from './catalog.js';
import { overdueChecks, type OverdueChecks } from './overdue-checks.js';
import type { ArchiveVerifier } from './signer.js';
import { lastCheckOf, type SnapshotCopy } from './snapshot-record.js';

/** Re-verified when a copy's last check is older than this: under a year, with room for missed nights. */
export const REVERIFY_AFTER_DAYS = 300;
/** Snapshots re-verified per school per night at most (each is a full re-hash of both copies). */
export const REVERIFY_PER_NIGHT = 5;
/**
 * Snapshots re-verified per school on a night that finds copies over a year unchecked (overdue-checks.ts): all the
 * overdue ones, oldest first, up to this many. Five a night, once behind (prune --expired never run, a worker down
 * for weeks), stayed behind until an operator ran `backup verify --school`; ten times that clears a backlog of 50
 * snapshots in one night and a larger one in a few, while bounding how long one night's re-hashing can take.
 * `backup.reverifyCatchUpPerNight` in the config overrides it.
 */
export const REVERIFY_CATCH_UP_PER_NIGHT = 50;

export interface Reverification {
  checked: string[];
  /** Copies that failed: the snapshot, where, and how many problems (the problems themselves are in `backup verify`). */
  damaged: { snapshotId: string; medium: string; siteRoom: string; problems: number; first: string }[];
  /**
   * Copies an earlier check found damaged that no check has found whole since, not re-hashed tonight (their turn comes
   * with the rest): named every night, so the incident is not forgotten once the night that found it has passed.
   * `backup verify ID` after the copy is restored records it whole.
   */
  stillDamaged: { snapshotId: string; medium: string; siteRoom: string; lastFailedAt: string }[];
  /**
   * Copies left unchecked for over a year after tonight's re-checks (overdue-checks.ts): more fell due than a night
   * gets through. Absent when there are none.
   */
  overdue?: OverdueChecks;
}

/** The school's snapshots due for a re-check (oldest check first), re-verified; each copy's outcome is recorded (catalog.ts). */
export async function reverifyDue(
  store: CanonicalStore, organizationId: string, verifier: ArchiveVerifier, runId: string,
  opts: { now?: Date; afterDays?: number; limit?: number; catchUp?: number; skip?: string; allowOneDevice?: boolean } = {},
): Promise<Reverification> {
  const now = (opts.now ?? new Date()).getTime();
  const dueBefore = now - (opts.afterDays ?? REVERIFY_AFTER_DAYS) * 86_400_000;
  const lastCheck = (s: { copies: SnapshotCopy[] }) => Math.min(...s.copies.map((c) => { const at = lastCheckOf(c); return at ? Date.parse(at) : 0; }));
  const school = (await listSnapshots(store, organizationId)).filter((s) => s.id !== opts.skip);
  // Overdue snapshots have the oldest checks, so they come first in the due list (after any copy never checked at
  // all): a night that finds some takes them all, up to the catch-up bound, or its usual count if that is more.
  const overdueNow = school.filter((s) => overdueChecks([s], new Date(now))).length;
  const tonight = Math.max(opts.limit ?? REVERIFY_PER_NIGHT, Math.min(overdueNow, opts.catchUp ?? REVERIFY_CATCH_UP_PER_NIGHT));
  const due = school
    .filter((s) => lastCheck(s) < dueBefore)
    .sort((a, b) => lastCheck(a) - lastCheck(b))
    .slice(0, tonight);
  const out: Reverification = { checked: [], damaged: [], stillDamaged: [] };
  const pruned = new Set<string>();
  for (const s of due) {
    const { checks, prunedMeanwhile } = await verifySnapshot(store, s.id, verifier, runId, { ...(opts.now ? { now: opts.now } : {}), ...(opts.allowOneDevice !== undefined ? { allowOneDevice: opts.allowOneDevice } : {}) });
    if (prunedMeanwhile) { pruned.add(s.id); continue; } // its copies are gone on purpose, not damaged
    out.checked.push(s.id);
    for (const c of checks) {
      if (!c.ok) out.damaged.push({ snapshotId: s.id, medium: c.medium, siteRoom: c.siteRoom, problems: c.problems.length, first: `${c.problems[0]?.file}: ${c.problems[0]?.message}` });
    }
  }
  for (const s of school) {
    if (out.checked.includes(s.id)) continue;
    for (const c of s.copies) if (c.lastCheckFailedAt) out.stillDamaged.push({ snapshotId: s.id, medium: c.medium, siteRoom: c.siteRoom, lastFailedAt: c.lastCheckFailedAt });
  }
  // What tonight did not reach: the snapshots checked tonight have a fresh check, the pruned ones no copies.
  const overdue = overdueChecks(school.filter((s) => !out.checked.includes(s.id) && !pruned.has(s.id)), new Date(now));
  if (overdue) out.overdue = overdue;
  return out;
}
