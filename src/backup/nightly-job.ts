// The nightly-backup job (R-35): one school's scheduled run of `backup run`. Returns counts and paths
// only; a configuration problem (keys, destinations, school) is marked as not worth retrying.
import type { GatewayConfig } from '../config/schema.js';
import { schoolById } from '../jobs/job-context.js';
import { CanonicalStore, type Store } from '../store/index.js';
import { organizationFor } from './backup-scope.js';
import { BackupConfigError, checkSeparateDevices } from './destinations.js';
import { signerFromConfig, verifierFromConfig } from './keys.js';
import { reverifyDue, type Reverification } from './reverify.js';
import { runBackup } from './run-backup.js';

export interface NightlyBackupSummary {
  runId: string;
  kind: 'nightly-backup';
  school: string;
  snapshotId: string;
  records: number;
  bytes: number;
  copies: { medium: string; siteRoom: string; location?: string; verifiedAt?: string }[];
  retainUntil: string;
  /** Earlier snapshots of the school re-verified tonight (R-34), and the copies found damaged. */
  reverified: Reverification;
  /** Half-written directories of interrupted earlier runs, removed tonight (paths only). */
  leftoversRemoved: string[];
  /** Recorded copies an interrupted earlier run had not renamed yet, put under their final names tonight. */
  leftoversCompleted?: string[];
  startedAt: string;
  finishedAt: string;
}

/**
 * Tonight's backup is stored, but a re-verified copy is damaged, or one found damaged earlier has not been found whole
 * since (R-34: an incident): the job fails, not retried — every night until the copy is restored and verified.
 */
export class ArchiveDamagedError extends Error {
  constructor(readonly summary: NightlyBackupSummary) {
    const d = summary.reverified.damaged;
    const still = summary.reverified.stillDamaged;
    const overdue = summary.reverified.overdue;
    // The counts first: /status keeps the message's first MAX_REASON (300) characters, which five named copies
    // overrun. Copies over a year unchecked (R-34) are said here too, not only in the worker's log: this failure is
    // what the operator reads on /status. Counts, dates, snapshot ids and media only — no personal data.
    const counts = [
      ...(d.length ? [`${d.length} damaged copy(ies) of earlier snapshots`] : []),
      ...(still.length ? [`${still.length} copy(ies) found damaged earlier not restored yet`] : []),
      ...(overdue ? [`${overdue.copies} copy(ies) not re-verified for over a year (oldest last check ${overdue.since.slice(0, 10)})`] : []),
    ];
    super(`nightly-backup ${summary.school}: ${counts.join(', ')}; snapshot ${summary.snapshotId} stored and verified`
      + (d.length ? `; damaged: ${d.slice(0, 5).map((x) => `${x.snapshotId} on ${x.medium}@${x.siteRoom} (${x.first})`).join('; ')}` : '')
      + (still.length ? `; not restored: ${still.slice(0, 5).map((x) => `${x.snapshotId} on ${x.medium}@${x.siteRoom} (last check failed ${x.lastFailedAt})`).join('; ')}` : '')
      + ' — restore them from the good copy, then `backup verify ID`'
      + (overdue ? `; \`backup verify --school ${summary.school}\` re-checks the overdue ones now` : '')
      + ' (docs/backup.md)');
    this.name = 'ArchiveDamagedError';
  }
}

export class BackupJobConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupJobConfigError';
  }
}

export async function nightlyBackup(cfg: GatewayConfig, store: Store, schoolId: string, runId: string): Promise<NightlyBackupSummary> {
  const startedAt = new Date().toISOString();
  if (!(store instanceof CanonicalStore)) throw new BackupJobConfigError('nightly-backup reads the SQL store directly; this job context has another store');
  let setup;
  try {
    const school = schoolById(cfg, schoolId);
    await checkSeparateDevices(cfg.backup.destinations, cfg.backup.allowOneDevice);
    setup = {
      signer: await signerFromConfig(cfg.backup), verifier: await verifierFromConfig(cfg.backup),
      school: { instances: school.platforms.map((p) => p.instance) },
    };
  } catch (e) {
    throw new BackupJobConfigError((e as Error).message);
  }
  const organizationId = await organizationFor(store, cfg, { schoolId });
  try {
    const r = await runBackup(store, {
      destinations: cfg.backup.destinations, ...setup, nightlyRetentionDays: cfg.backup.nightlyRetentionDays,
      runId, organizationId, schoolId, region: cfg.region.id, timeZone: schoolById(cfg, schoolId).timeZone,
    });
    const reverified = await reverifyDue(store, organizationId, setup.verifier, runId, {
      skip: r.snapshot.id, allowOneDevice: cfg.backup.allowOneDevice,
      ...(cfg.backup.reverifyCatchUpPerNight !== undefined ? { catchUp: cfg.backup.reverifyCatchUpPerNight } : {}),
    });
    const summary: NightlyBackupSummary = {
      runId, kind: 'nightly-backup', school: schoolId, snapshotId: r.snapshot.id, records: r.records, bytes: r.bytes,
      copies: r.copies, retainUntil: r.snapshot.retainUntil, reverified, leftoversRemoved: r.leftoversRemoved.filter((l) => l.action === 'removed').map((l) => l.path),
      ...(r.leftoversRemoved.some((l) => l.action === 'completed') ? { leftoversCompleted: r.leftoversRemoved.filter((l) => l.action === 'completed').map((l) => l.path) } : {}), startedAt, finishedAt: new Date().toISOString(),
    };
    if (reverified.damaged.length || reverified.stillDamaged.length) throw new ArchiveDamagedError(summary);
    return summary;
  } catch (e) {
    if (e instanceof BackupConfigError) throw new BackupJobConfigError(e.message);
    throw e;
  }
}

export function formatBackupSummary(s: NightlyBackupSummary): string {
  return `nightly-backup ${s.school}: snapshot ${s.snapshotId}, ${s.records} records, ${s.bytes} bytes a copy, ${s.copies.length} verified copies (${s.copies.map((c) => `${c.medium}@${c.siteRoom}`).join(', ')}), kept until ${s.retainUntil}`
    + (s.reverified.checked.length ? `; re-verified ${s.reverified.checked.length} earlier snapshot(s), ${s.reverified.damaged.length} damaged copy(ies)` : '')
    + (s.reverified.stillDamaged.length ? `; ${s.reverified.stillDamaged.length} copy(ies) found damaged earlier not restored yet` : '')
    + (s.reverified.overdue ? `; ${s.reverified.overdue.copies} copy(ies) not re-verified for over a year (since ${s.reverified.overdue.since})` : '')
    + (s.leftoversRemoved.length ? `; removed ${s.leftoversRemoved.length} half-written backup(s) of interrupted runs (${s.leftoversRemoved.join(', ')})` : '')
    + (s.leftoversCompleted?.length ? `; completed ${s.leftoversCompleted.length} recorded cop(ies) an interrupted run had not renamed (${s.leftoversCompleted.join(', ')})` : '');
}
