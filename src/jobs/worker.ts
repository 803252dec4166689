// The worker process (`journal-gateway worker --config FILE`): runs every job kind; start as many as
// needed on one or several machines sharing Redis and the store. The Redis rate limiter is installed
// first, so a platform instance never sees more than its budget from all workers together.
// SIGTERM/SIGINT: stop taking jobs, let the current ones finish within a deadline, then exit; a job
// cut off by the deadline is picked up again by another worker as a stalled job.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import { resetInstanceGates, setRateLimiterFactory } from '../connectors/http/rate-limiter.js';
import { GroupRefusedError, NothingOfYearToAskError } from '../connectors/past-year-errors.js';
import { isGatewayHttpError } from '../connectors/http/errors.js';
import { formatSummary } from '../sync/run-summary.js';
import { workerConnection } from './connection.js';
import { openJobContext, type JobContext } from './job-context.js';
import type { Store } from '../store/index.js';
import { isArchiveJob, JOB_KINDS, JobData, type JobKind } from './job-types.js';
import { runArchiveJob, runJob } from './processors.js';
import { progressReporter } from './job-progress.js';
import { PushFailedError } from '../sync/push-failures.js';
import { formatBackupSummary } from '../backup/nightly-job.js';
import { formatYearlySummary } from '../backup/yearly-job.js';
import { jobBackoff } from './job-backoff.js';
import { recordCompleted } from './last-completed.js';
import { recordSchoolRun } from './school-last-runs.js';
import { queueName } from './queues.js';
import { redisRateLimiterFactory } from './redis-rate-limiter.js';
import { throttledErrorLog } from './throttled-error-log.js';

export interface WorkerOptions {
  redisUrl: string;
  prefix?: string;
  concurrency?: number;
  /** How long a shutdown waits for running jobs (ms). */
  shutdownDeadlineMs?: number;
  /** Lock duration: a worker that dies loses its jobs to another worker after about this long. */
  lockDurationMs?: number;
  /** An open store to work on (one process hosting the worker beside other users of an embedded store); kept open on close. */
  store?: Store;
}

export interface RunningWorker {
  workers: Worker[];
  /** Stops taking jobs and waits for the running ones up to the deadline; `handedBack`: some were cut off. */
  close(): Promise<{ handedBack: boolean }>;
}

/** Times a job may be handed back after its worker stopped mid-run before it is failed (docs/sync.md "Shutdown"). */
export const MAX_STALLS = 2;

export async function startWorker(config: GatewayConfig, logger: Logger, opts: WorkerOptions): Promise<RunningWorker> {
  const prefix = opts.prefix ?? 'jg';
  const limiterConnection = workerConnection(opts.redisUrl);
  setRateLimiterFactory(redisRateLimiterFactory(limiterConnection, prefix));
  resetInstanceGates();
  const ctx: JobContext = opts.store ? { config, store: opts.store, logger, close: async () => {} } : await openJobContext(config, logger);
  // BullMQ leaves a connection it was given open on close: the worker closes its own, or the process
  // would never exit after SIGTERM.
  const connections: { disconnect(): void }[] = [];
  const own = <C extends { disconnect(): void }>(c: C): C => {
    connections.push(c);
    return c;
  };
  const logWorkerError = throttledErrorLog(logger);
  /** Records of completed scheduled runs still being written (awaited at close). */
  const records = new Set<Promise<void>>();
  const workers = JOB_KINDS.map((kind: JobKind) => {
    const w = new Worker<JobData>(queueName(kind), async (job) => {
      // A job that took its worker down more than MAX_STALLS times (out of memory on a big school, a crash, a shutdown
      // deadline at each deploy) is failed, not run again. BullMQ does this itself for a job added by hand, but never
      // for one a job scheduler made (moveStalledJobsToWait: `not isRepeatableJob`): every school's scheduled sync,
      // push and backup would crash-loop the workers for good, starving the other schools, and never show as failed.
      // Its schedule still makes tomorrow's job.
      if (job.stalledCounter > MAX_STALLS) {
        throw new UnrecoverableError(`job ${job.id}: its worker stopped while running it ${job.stalledCounter} times (out of memory, a crash, or shut down mid-run); not run again — the worker's log says why`);
      }
      const parsed = JobData.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`job ${job.id}: bad job data: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const log = logger.child({ jobId: job.id, queue: kind, school: parsed.data.schoolId });
      try {
        if (isArchiveJob(kind)) {
          const summary = await runArchiveJob(kind, parsed.data, { ...ctx, logger: log }, { runId: `${kind}-${job.id}-${job.attemptsStarted}` });
          log.info(summary.kind === 'nightly-backup' ? formatBackupSummary(summary) : formatYearlySummary(summary));
          return summary;
        }
        return await runJob(kind, parsed.data, { ...ctx, logger: log }, {
          runId: `${kind}-${job.id}-${job.attemptsStarted}`,
          onProgress: progressReporter(job, log),
          // Logged as each platform's run ends: a later platform's failure does not take the earlier summaries with it.
          onSummary: (s) => log.info(formatSummary(s)),
        });
      } catch (e) {
        // Config failures (bad credentials, unknown school) cannot be fixed by retrying.
        if (isGatewayHttpError(e) && e.failureType === 'config') throw new UnrecoverableError(e.message);
        // Writes a retry cannot get through as they are (the target refused them for good): fail once, listed.
        if (e instanceof PushFailedError && !e.retryable) throw new UnrecoverableError(e.message);
        // An earlier year's read every attempt would find alike (a group refused for good, every id kept into a later
        // year): fail once. The original stays as the cause, as processors.ts keeps a refused window's.
        if (e instanceof GroupRefusedError || e instanceof NothingOfYearToAskError) throw Object.assign(new UnrecoverableError(e.message), { cause: e });
        throw e;
      }
    }, {
      connection: own(workerConnection(opts.redisUrl)), prefix, concurrency: opts.concurrency ?? 1,
      lockDuration: opts.lockDurationMs ?? 30_000, stalledInterval: Math.min(30_000, opts.lockDurationMs ?? 30_000),
      maxStalledCount: MAX_STALLS, settings: { backoffStrategy: jobBackoff },
    });
    w.on('error', (err) => logWorkerError(kind, err));
    // Records kept past the job's own removal (completed after a day, failed after 14): `schedules` shows a scheduler's
    // last completed run (last-completed.ts), /status each school's last run (school-last-runs.ts). On the worker's
    // own connection, and awaited at close: BullMQ closes its connection with the worker, right after the last job's
    // 'completed', and the record of a run completed at shutdown was lost.
    const keep = (jobId: string | undefined, what: string, write: Promise<void>) => {
      const recording = write
        .catch((err: unknown) => logger.warn({ jobId, queue: kind, err: err instanceof Error ? err.message : String(err) }, `could not record ${what}`))
        .finally(() => records.delete(recording));
      records.add(recording);
    };
    w.on('failed', (job, err) => {
      logger.warn({ jobId: job?.id, queue: kind, attempts: job?.attemptsMade, err: err.message }, 'job failed');
      if (job) keep(job.id, 'the school\'s last run', recordSchoolRun(limiterConnection, w, job, 'failed'));
    });
    w.on('completed', (job) => {
      keep(job.id, 'the scheduler\'s last completed run', recordCompleted(limiterConnection, w, job));
      keep(job.id, 'the school\'s last run', recordSchoolRun(limiterConnection, w, job, 'completed'));
    });
    return w;
  });
  let closing: Promise<{ handedBack: boolean }> | null = null;
  const close = () => (closing ??= (async () => {
    const deadline = opts.shutdownDeadlineMs ?? 60_000;
    // The records of runs completed last are written within the deadline too (Redis may be what is failing).
    const graceful = Promise.all(workers.map((w) => w.close())).then(() => Promise.allSettled([...records])).then(() => true);
    const timedOut = new Promise<boolean>((r) => setTimeout(() => r(false), deadline).unref());
    if (!(await Promise.race([graceful, timedOut]))) {
      logger.warn({ deadlineMs: deadline }, 'shutdown deadline passed: handing running jobs back (they will be picked up as stalled)');
      // BullMQ's close(true) does not cut short a close already under way, and the worker kept renewing the running
      // job's lock until the job ended. Dropping the connections stops the renewal: the lock lapses and another
      // worker takes the job as stalled. The job's own work is abandoned with the process (the caller exits).
      limiterConnection.disconnect();
      for (const c of connections) c.disconnect();
      return { handedBack: true };
    }
    await ctx.close();
    limiterConnection.disconnect();
    for (const c of connections) c.disconnect();
    return { handedBack: false };
  })());
  return { workers, close };
}
