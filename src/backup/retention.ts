// Retention: class journals 5 years, summary sheets (сводная ведомость) 25 years from creation;
// nightly backups as long as the config says. Removing a snapshot before its retainUntil is refused.
import type { GatewayConfig } from '../config/schema.js';

export type SnapshotKind = 'class_journal' | 'summary_sheet' | 'nightly_backup';

export const RETENTION_YEARS = { class_journal: 5, summary_sheet: 25 } as const;

/** The calendar date `years` after an instant's UTC date; 29 February rolls to 1 March (kept longer, never shorter). */
function plusYears(instant: string, years: number): string {
  const d = new Date(instant);
  const t = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()));
  return t.toISOString().slice(0, 10);
}

function plusDays(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `nightlyRetentionDays` (backup.nightlyRetentionDays) is needed for nightly backups only. */
export function retainUntil(kind: SnapshotKind, createdAt: string, nightlyRetentionDays?: GatewayConfig['backup']['nightlyRetentionDays']): string {
  if (Number.isNaN(Date.parse(createdAt))) throw new Error(`retainUntil: createdAt ${createdAt} is not an instant`);
  if (kind !== 'nightly_backup') return plusYears(createdAt, RETENTION_YEARS[kind]);
  if (!nightlyRetentionDays) throw new Error('retainUntil: a nightly backup needs backup.nightlyRetentionDays');
  return plusDays(createdAt, nightlyRetentionDays);
}

export class RetentionError extends Error {
  constructor(readonly snapshotId: string, readonly kind: string, readonly retainUntil: string, today: string) {
    super(`R-32: archive_snapshot ${snapshotId} (${kind}) must be kept until ${retainUntil} (inclusive); today is ${today}, pruning refused`);
    this.name = 'RetentionError';
  }
}

/**
 * Throws RetentionError unless `today` (YYYY-MM-DD) is after retainUntil. "Kept until" includes that day: retainUntil
 * is a calendar date and the snapshot was made at some hour of its anniversary, so pruning on the day itself could
 * come up to a day short of the 5 or 25 years (and more in a zone east of UTC).
 */
export function assertPrunable(s: { id: string; kind: string; retainUntil: string }, today: string): void {
  if (today <= s.retainUntil) throw new RetentionError(s.id, s.kind, s.retainUntil, today);
}
