// "a verification job re-hashes every copy at least yearly". The nightly re-checks a few snapshots of a school a
// night (reverify.ts); when more fall due than it gets through — prune --expired never run, so copies pile up — some
// go past a year unchecked, and before this nothing said so: the night named only what it checked, /status only the
// last verified copy. Both now count the copies past the year and give the oldest last check (docs/backup.md).
import { lastCheckOf, type SnapshotCopy } from './snapshot-record.js';

/** A copy not checked for longer than this is overdue: R-34's "at least yearly". */
export const OVERDUE_AFTER_DAYS = 365;

export interface OverdueChecks {
  /** Snapshots with at least one overdue copy. */
  snapshots: number;
  copies: number;
  /** The oldest last check among them (a copy never checked: when it was stored). */
  since: string;
}

/** The copies of `snapshots` last checked more than a year before `now`, or undefined when there are none. */
export function overdueChecks(snapshots: Iterable<{ copies: readonly SnapshotCopy[] }>, now: Date): OverdueChecks | undefined {
  const before = now.getTime() - OVERDUE_AFTER_DAYS * 86_400_000;
  let found: OverdueChecks | undefined;
  for (const s of snapshots) {
    const late = s.copies.map((c) => lastCheckOf(c) ?? c.storedAt).filter((at) => Date.parse(at) < before);
    if (late.length === 0) continue;
    const oldest = late.sort()[0];
    found = found
      ? { snapshots: found.snapshots + 1, copies: found.copies + late.length, since: oldest < found.since ? oldest : found.since }
      : { snapshots: 1, copies: late.length, since: oldest };
  }
  return found;
}

/** The operator's warning for a school's overdue copies: how many, since when, and what clears the backlog. */
export function overdueWarning(school: string, o: OverdueChecks): string {
  return `nightly-backup ${school}: ${o.copies} cop(ies) of ${o.snapshots} snapshot(s) not re-verified for over a year `
    + `(oldest last check ${o.since}; R-34 wants every copy re-hashed yearly) — more are due than the nightly re-checks; `
    + `run \`backup prune --expired\` if expired copies pile up, and \`backup verify --school ${school}\` to re-check them all now (docs/backup.md)`;
}
