// Schedules from the config (DECISIONS.md §7): one job scheduler per school and job kind, cron in the
// school's own time zone. Reconciled at start-up: the desired ones are upserted, the rest removed, so
// changing the config and restarting updates them; set up again if Redis loses them (schedule-keeper.ts).
import type { Queue } from 'bullmq';
import type { GatewayConfig } from '../config/schema.js';
import type { JobData, JobKind } from './job-types.js';
import { forgetCompleted, lastCompletedRuns } from './last-completed.js';
import { forgetSchoolRunsExcept } from './school-last-runs.js';
import { retryingJobs } from './retrying-jobs.js';
import { markSchedulesReconciled } from './schedules-mark.js';

const SCHEDULED: { kind: JobKind; key: 'rosterSync' | 'journalSync' | 'gradePush' | 'nightlyBackup' | 'yearlyArchive' }[] = [
  { kind: 'roster-sync', key: 'rosterSync' },
  { kind: 'grade-push', key: 'gradePush' },
  { kind: 'journal-sync', key: 'journalSync' },
  { kind: 'nightly-backup', key: 'nightlyBackup' },
  { kind: 'yearly-archive', key: 'yearlyArchive' },
];

export interface ScheduleEntry {
  id: string;
  kind: JobKind;
  schoolId: string;
  pattern: string;
  tz: string;
  next?: number;
  /**
   * The scheduler's latest run among the queue's kept jobs and its last completed run as recorded (last-completed.ts:
   * a completed job is removed after a day, a failed one kept 14): an operator sees a school whose job keeps failing.
   * `retrying`: an attempt failed and BullMQ runs it again (`finishedOn` is when that attempt failed), so a newer
   * failing run is not hidden behind an older success for the ~8 minutes of its retries.
   */
  last?: LastScheduledRun;
}

export interface LastScheduledRun {
  state: 'completed' | 'failed' | 'retrying';
  finishedOn: number;
  attempts: number;
  /** Retrying: the attempts it may make in all. */
  maxAttempts?: number;
  /** Retrying: when the next attempt is due; absent when it is due now or running (`running`). */
  retryAt?: number;
  running?: boolean;
}

/** Finished jobs per queue looked through for each scheduler's latest run (the queues keep up to 1,000 completed). */
const LAST_RUNS_LOOKED_AT = 1_000;

export function desiredSchedules(cfg: GatewayConfig): ScheduleEntry[] {
  const out: ScheduleEntry[] = [];
  for (const school of cfg.schools) {
    for (const { kind, key } of SCHEDULED) {
      const pattern = school.schedules[key];
      if (pattern) out.push({ id: `${kind}__${school.id}`.replace(/:/g, '-'), kind, schoolId: school.id, pattern, tz: school.timeZone });
    }
  }
  return out;
}

/**
 * A scheduler in Redis against the config, for `journal-gateway schedules`: the same id is not enough — a cron or time
 * zone changed in the config reaches Redis only when a worker starts (or with --apply).
 */
export function inConfigState(live: Pick<ScheduleEntry, 'id' | 'pattern' | 'tz'>, desired: ReadonlyMap<string, ScheduleEntry>): string {
  const d = desired.get(live.id);
  if (!d) return 'no (removed at next worker start)';
  if (d.pattern !== live.pattern || d.tz !== live.tz) return `changed to ${d.pattern} ${d.tz} (at next worker start, or --apply)`;
  return 'yes';
}

export async function reconcileSchedules(cfg: GatewayConfig, queues: Map<JobKind, Queue<JobData>>): Promise<{ upserted: number; removed: number }> {
  const desired = desiredSchedules(cfg);
  const schoolIds = cfg.schools.map((s) => s.id);
  let removed = 0;
  for (const [kind, queue] of queues) {
    const want = new Set(desired.filter((d) => d.kind === kind).map((d) => d.id));
    const gone = (await queue.getJobSchedulers(0, -1, true)).filter((s) => !want.has(s.key)).map((s) => s.key);
    for (const key of gone) await queue.removeJobScheduler(key);
    await forgetCompleted(queue, gone);
    await forgetSchoolRunsExcept(queue, schoolIds);
    removed += gone.length;
  }
  for (const d of desired) {
    await queues.get(d.kind)!.upsertJobScheduler(d.id, { pattern: d.pattern, tz: d.tz }, { name: d.kind, data: { schoolId: d.schoolId } });
  }
  // Last, so a mark means every scheduler above is in place (schedule-keeper.ts watches for it to disappear).
  await markSchedulesReconciled(queues);
  return { upserted: desired.length, removed };
}

/** The config's schedulers that Redis does not hold (ids only: a changed cron is `inConfigState`'s business). */
export async function missingSchedules(cfg: GatewayConfig, queues: Map<JobKind, Queue<JobData>>): Promise<string[]> {
  const live = new Set<string>();
  for (const queue of queues.values()) for (const s of await queue.getJobSchedulers(0, -1, true)) live.add(s.key);
  return desiredSchedules(cfg).map((d) => d.id).filter((id) => !live.has(id));
}

export async function listSchedules(queues: Map<JobKind, Queue<JobData>>, opts: { lastRuns?: boolean } = {}): Promise<ScheduleEntry[]> {
  const out: ScheduleEntry[] = [];
  for (const [kind, queue] of queues) {
    const last = new Map<string, LastScheduledRun>();
    const keep = (key: string | undefined, run: LastScheduledRun) => {
      const seen = key ? last.get(key) : undefined;
      if (key && (!seen || seen.finishedOn < run.finishedOn)) last.set(key, run);
    };
    if (opts.lastRuns) {
      for (const state of ['completed', 'failed'] as const) {
        for (const job of await queue.getJobs([state], 0, LAST_RUNS_LOOKED_AT - 1)) {
          if (job?.finishedOn) keep(job.repeatJobKey, { state, finishedOn: job.finishedOn, attempts: job.attemptsMade });
        }
      }
      for (const [key, run] of await lastCompletedRuns(queue)) keep(key, { state: 'completed', ...run });
      for (const r of await retryingJobs(queue)) {
        keep(r.job.repeatJobKey, {
          state: 'retrying', finishedOn: r.failedAt ?? r.job.timestamp, attempts: r.attemptsMade, maxAttempts: r.maxAttempts,
          ...(r.retryAt ? { retryAt: r.retryAt } : {}), ...(r.running ? { running: true } : {}),
        });
      }
    }
    for (const s of await queue.getJobSchedulers(0, -1, true)) {
      const ran = last.get(s.key);
      out.push({
        id: s.key, kind, schoolId: String((s.template?.data as JobData | undefined)?.schoolId ?? ''), pattern: String(s.pattern ?? ''),
        tz: String(s.tz ?? ''), ...(s.next ? { next: s.next } : {}), ...(ran ? { last: ran } : {}),
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
