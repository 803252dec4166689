// R-34: "a verification job re-hashes every copy at least yearly and records verifiedAt; a mismatch raises an
// incident". The nightly-backup job of each school also re-verifies that school's snapshots whose copies were last
// verified longest ago — nightly backups, class journals and summary sheets alike — a few a night, so every copy is
// re-hashed well within a year however many snapshots the school keeps.
import type { CanonicalStore } from '../store/index.js';
import { listSnapshots, verifySnapshot } from './catalog.js';
import type { ArchiveVerifier } from './signer.js';

/** Re-verified when a copy's last check is older than this: under a year, with room for missed nights. */
export const REVERIFY_AFTER_DAYS = 300;
/** Snapshots re-verified per school per night at most (each is a full re-hash of both copies). */
export const REVERIFY_PER_NIGHT = 5;

export interface Reverification {
  checked: string[];
  /** Copies that failed: the snapshot, where, and how many problems (the problems themselves are in `backup verify`). */
  damaged: { snapshotId: string; medium: string; siteRoom: string; problems: number; first: string }[];
}

/** The school's snapshots due for a re-check (oldest check first), re-verified; `verifiedAt` is recorded for good copies. */
export async function reverifyDue(
  store: CanonicalStore, organizationId: string, verifier: ArchiveVerifier, runId: string,
  opts: { now?: Date; afterDays?: number; limit?: number; skip?: string } = {},
): Promise<Reverification> {
  const now = (opts.now ?? new Date()).getTime();
  const dueBefore = now - (opts.afterDays ?? REVERIFY_AFTER_DAYS) * 86_400_000;
  const lastCheck = (s: { copies: { verifiedAt?: string }[] }) => Math.min(...s.copies.map((c) => (c.verifiedAt ? Date.parse(c.verifiedAt) : 0)));
  const due = (await listSnapshots(store))
    .filter((s) => s.organizationId === organizationId && s.id !== opts.skip && lastCheck(s) < dueBefore)
    .sort((a, b) => lastCheck(a) - lastCheck(b))
    .slice(0, opts.limit ?? REVERIFY_PER_NIGHT);
  const out: Reverification = { checked: [], damaged: [] };
  for (const s of due) {
    const { checks } = await verifySnapshot(store, s.id, verifier, runId);
    out.checked.push(s.id);
    for (const c of checks) {
      if (!c.ok) out.damaged.push({ snapshotId: s.id, medium: c.medium, siteRoom: c.siteRoom, problems: c.problems.length, first: `${c.problems[0]?.file}: ${c.problems[0]?.message}` });
    }
  }
  return out;
}
