// What the staff status page shows (issue 10), gathered from the systems that already know it: BullMQ
// keeps finished jobs (return value = RunSummary[], or the failure reason) and jobs retrying after a failed
// attempt (src/jobs/retrying-jobs.ts), the worker records each school's last run (src/jobs/school-last-runs.ts),
// the store keeps the review queue and the archive_snapshot records (R-33 backups). Counts, ids from the config and reasons only.
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { overdueChecks } from '../backup/overdue-checks.js';
import { copyPasses, type SnapshotCopy } from '../backup/snapshot-record.js';
import type { SchoolConfig } from '../config/schema.js';
import type { JobData, JobKind } from '../jobs/job-types.js';
import { retryingJobs, type RetryingJob } from '../jobs/retrying-jobs.js';
import type { Store } from '../store/index.js';
import { pendingReview } from '../sync/review.js';
import { schoolCanonicalId } from '../sync/roster-sync.js';
import { totalsOf, type RunTotals } from './run-totals.js';
import { schoolLastRuns, type SchoolRun } from '../jobs/school-last-runs.js';

export { totalsOf, type RunTotals };

export interface LastRun {
  schoolId: string;
  kind: string;
  /** `retrying`: an attempt failed and BullMQ will run the job again (it is not in `failed` until its last attempt). */
  outcome: 'completed' | 'failed' | 'retrying';
  /** Completed or failed: when it finished; retrying: when its last attempt failed (or, if unknown, started). */
  finishedAt: string | null;
  attempts: number;
  /** Retrying: the attempts it may make in all. */
  maxAttempts?: number;
  /** Retrying: when the next attempt is due; null when it is due now or running (`retryRunning`). */
  retryAt?: string | null;
  retryRunning?: boolean;
  /** Completed: totals over the run's summaries (one per platform instance). */
  totals?: RunTotals;
  reason?: string;
}

export interface BackupStatus {
  schoolId: string;
  /** Latest `verifiedAt` of a copy whose latest check passed, of any archive snapshot of the school, or null (none yet). */
  lastVerifiedAt: string | null;
  kind?: string;
  /** Copies of the school's kept snapshots whose latest check failed, when there are any. */
  damagedCopies?: number;
  /** Copies of the school's kept snapshots not checked for over a year (R-34, overdue-checks.ts), and the oldest last check. */
  overdueCopies?: number;
  overdueSince?: string;
}

export interface QueueCounts {
  /** The BullMQ queue name, e.g. `jg-roster-sync`. */
  queue: string;
  counts: Record<(typeof QUEUE_STATES)[number], number>;
}

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

export interface StatusData {
  generatedAt: string;
  /** Job counts per queue (the queue view); empty when Redis does not answer. */
  queues?: QueueCounts[];
  lastRuns: LastRun[];
  /** Failed and retrying runs, newest first (the page shows the newest 20, status-page.ts). */
  failures: LastRun[];
  reviewQueue: number;
  /** Pending review items per configured school (items raised by that school's syncs). */
  reviewBySchool?: { schoolId: string; count: number }[];
  /** The viewer's scope hides the review queue (it spans schools): the page says so instead of showing 0. */
  reviewHidden?: boolean;
  backups: BackupStatus[];
  /** Redis did not answer: the run tables are empty because they could not be read, not because nothing ran. */
  queuesUnavailable?: boolean;
}

/** How many finished jobs per queue and state are read; BullMQ keeps 1 000 completed at most. */
const SCAN = 200;
/** How much of a failed job's message /status keeps: what the operator must read goes first. */
export const MAX_REASON = 300;

function runOf(kind: string, job: Job<JobData>, outcome: LastRun['outcome']): LastRun {
  return {
    schoolId: String(job.data?.schoolId ?? '—'), kind, outcome,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, attempts: job.attemptsMade,
    ...(outcome === 'completed' ? { totals: totalsOf(job.returnvalue) } : { reason: String(job.failedReason ?? 'unknown').slice(0, MAX_REASON) }),
  };
}

/** A run as the worker recorded it, its job perhaps removed since: counts only, no reason, no subject titles. */
function recordedRun(kind: string, schoolId: string, run: SchoolRun): LastRun {
  return {
    schoolId, kind, outcome: run.outcome, finishedAt: new Date(run.finishedOn).toISOString(), attempts: run.attempts,
    ...(run.outcome === 'completed' ? { totals: { ...totalsOf([]), ...run.totals, unmatchedSubjects: [] } } : {}),
  };
}

/** A job between a failed attempt and its next one: shown as the school's current state and among the errors. */
function retryOf(kind: string, r: RetryingJob): LastRun {
  return {
    schoolId: String(r.job.data?.schoolId ?? '—'), kind, outcome: 'retrying',
    finishedAt: r.failedAt ? new Date(r.failedAt).toISOString() : null, attempts: r.attemptsMade, maxAttempts: r.maxAttempts,
    retryAt: r.retryAt ? new Date(r.retryAt).toISOString() : null, ...(r.running ? { retryRunning: true } : {}),
    reason: r.reason.slice(0, MAX_REASON),
  };
}

export async function collectStatus(input: { queues: Map<JobKind, Queue<JobData>>; connection: Redis; store: Store; schools: readonly SchoolConfig[] }): Promise<StatusData> {
  const lastRuns = new Map<string, LastRun>();
  const failures: LastRun[] = [];
  // BullMQ lists nothing, without an error, over a connection that is down (see metrics.ts).
  const queuesUnavailable = input.connection.status !== 'ready';
  const queues: QueueCounts[] = [];
  for (const [kind, q] of queuesUnavailable ? [] : input.queues) {
    const c = await q.getJobCounts(...QUEUE_STATES);
    queues.push({ queue: q.name, counts: Object.fromEntries(QUEUE_STATES.map((st) => [st, c[st] ?? 0])) as QueueCounts['counts'] });
    const runs = [
      ...(await q.getJobs(['completed'], 0, SCAN - 1)).map((j) => runOf(kind, j, 'completed')),
      ...(await q.getJobs(['failed'], 0, SCAN - 1)).map((j) => runOf(kind, j, 'failed')),
      ...(await retryingJobs(q)).map((r) => retryOf(kind, r)),
    ];
    const newest = (r: LastRun) => {
      const key = `${r.schoolId}|${kind}`;
      const known = lastRuns.get(key);
      if (!known || (r.finishedAt ?? '') > (known.finishedAt ?? '')) lastRuns.set(key, r);
    };
    for (const r of runs) {
      if (r.outcome !== 'completed') failures.push(r);
      newest(r);
    }
    // The worker's record of each school's last run (school-last-runs.ts) outlasts the job BullMQ removes; the same run
    // still kept stays as its job says (a failure's reason, subject titles), a later one recorded replaces it.
    for (const [schoolId, run] of await schoolLastRuns(q)) newest(recordedRun(kind, schoolId, run));
  }
  const byTimeDesc = (a: LastRun, b: LastRun) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '');
  return {
    generatedAt: new Date().toISOString(),
    queues,
    lastRuns: [...lastRuns.values()].sort((a, b) => a.schoolId.localeCompare(b.schoolId) || a.kind.localeCompare(b.kind)),
    // Every failure read, newest first: the page shows the newest 20 after the staff scope has narrowed the list
    // (src/web/staff/scope-status.ts), or a school's own failure fell behind other schools' newer ones.
    failures: failures.sort(byTimeDesc),
    ...(await reviewCounts(input.store, input.schools)),
    backups: await backupsOf(input.store, input.schools),
    ...(queuesUnavailable ? { queuesUnavailable } : {}),
  };
}

/** The review queue's size, and per school the items its syncs raised (what a school's staff are shown). */
async function reviewCounts(store: Store, schools: readonly SchoolConfig[]): Promise<Pick<StatusData, 'reviewQueue' | 'reviewBySchool'>> {
  const items = await pendingReview(store);
  const bySchoolOrg = new Map(schools.map((s) => [schoolCanonicalId(s.id), { schoolId: s.id, count: 0 }]));
  for (const i of items) if (i.organizationId) { const b = bySchoolOrg.get(i.organizationId); if (b) b.count++; }
  return { reviewQueue: items.length, reviewBySchool: [...bySchoolOrg.values()].filter((b) => b.count > 0) };
}

/**
 * Per school, its last verified copy and its damaged ones. A copy found damaged by a re-check keeps the `verifiedAt` of
 * its last passing check (snapshot-record.ts): before, that date was shown as the school's last verified backup and
 * the damage nowhere.
 */
export async function backupsOf(store: Store, schools: readonly SchoolConfig[], now = new Date()): Promise<BackupStatus[]> {
  const bySchoolOrg = new Map(schools.map((s) => [schoolCanonicalId(s.id), {
    schoolId: s.id, lastVerifiedAt: null as string | null, kind: undefined as string | undefined, damaged: 0, snapshots: [] as { copies: SnapshotCopy[] }[],
  }]));
  for await (const r of store.iterate('archive_snapshot', { status: 'active' })) {
    if (r.entity !== 'archive_snapshot') continue;
    const b = bySchoolOrg.get(r.organizationId);
    if (!b) continue;
    b.snapshots.push(r);
    for (const c of r.copies) {
      if (c.lastCheckFailedAt) b.damaged++;
      // Only a verified copy counts: a copy nobody has read back is not yet a backup, nor one found damaged since.
      if (copyPasses(c) && (!b.lastVerifiedAt || c.verifiedAt! > b.lastVerifiedAt)) {
        b.lastVerifiedAt = c.verifiedAt!;
        b.kind = r.kind;
      }
    }
  }
  return [...bySchoolOrg.values()].map((b) => {
    // A fresh last verified copy says nothing of the older ones: those the nightly did not get to within a year are
    // counted apart, as the nightly's warning counts them.
    const overdue = overdueChecks(b.snapshots, now);
    return {
      schoolId: b.schoolId, lastVerifiedAt: b.lastVerifiedAt, ...(b.kind ? { kind: b.kind } : {}), ...(b.damaged ? { damagedCopies: b.damaged } : {}),
      ...(overdue ? { overdueCopies: overdue.copies, overdueSince: overdue.since } : {}),
    };
  });
}
