// Jobs that failed an attempt and are to run again. BullMQ keeps such a job out of `failed` until its last attempt
// (5 attempts, backoff 30 s → 240 s: about 8 minutes): it sits in `delayed` with its attempts made and the
// failure reason, or in `wait`/`active` once its retry is due. The status page and `schedules` read only completed
// and failed jobs, so a school whose platform had been failing for ten minutes still showed its last success.
import type { Job, Queue } from 'bullmq';
import type { JobData } from './job-types.js';

export interface RetryingJob {
  job: Job<JobData>;
  /** Attempts that failed so far. */
  attemptsMade: number;
  /** Attempts the job may make in all (its `attempts` option). */
  maxAttempts: number;
  /** BullMQ's failure reason of the last attempt (the connector's message, redacted by the HTTP layer). */
  reason: string;
  /** When the last attempt failed, where BullMQ's data tells (a job waiting in `delayed`); else when it started. */
  failedAt: number | null;
  /** When the next attempt is due (`delayed`); null when it is due now or running. */
  retryAt: number | null;
  /** The retry is running now. */
  running: boolean;
}

/**
 * How many jobs per state are read. Delayed jobs are read soonest first: a retry is due within minutes, a
 * scheduler's next run (also `delayed`, never attempted) usually hours later, so retries come first.
 */
const LOOKED_AT = 500;

export async function retryingJobs(queue: Queue<JobData>, limit = LOOKED_AT): Promise<RetryingJob[]> {
  const delayed = (await queue.getJobs(['delayed'], 0, limit - 1, true)).filter(isRetry);
  const due = (await queue.getJobs(['wait', 'prioritized'], 0, limit - 1)).filter(isRetry);
  const active = (await queue.getJobs(['active'], 0, limit - 1)).filter(isRetry);
  const retryAt = await delayedUntil(queue, delayed);
  return [
    ...delayed.map((job, i) => describe(job, retryAt[i], false)),
    ...due.map((job) => describe(job, null, false)),
    ...active.map((job) => describe(job, null, true)),
  ];
}

/** A job that failed at least one attempt: a scheduler's next run, or a new job, has neither. */
function isRetry(job: Job<JobData> | undefined): job is Job<JobData> {
  return Boolean(job && job.attemptsMade > 0 && job.failedReason);
}

function describe(job: Job<JobData>, retryAt: number | null, running: boolean): RetryingJob {
  // BullMQ writes the backoff (`delay`) on the job and keeps the due time only as the delayed set's score.
  const failedAt = retryAt !== null && job.delay > 0 ? retryAt - job.delay : job.processedOn ?? null;
  return { job, attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1, reason: job.failedReason, failedAt, retryAt, running };
}

/** The due time of each delayed job: its score in the delayed set, the time shifted left 12 bits (BullMQ's own format). */
async function delayedUntil(queue: Queue<JobData>, jobs: readonly Job<JobData>[]): Promise<(number | null)[]> {
  if (jobs.length === 0) return [];
  // The Redis backend's own client (the queue's connection): BullMQ has no getter for a delayed job's due time.
  const client = await queue.getBackend().client;
  const scores = await Promise.all(jobs.map((j) => client.zscore(queue.keys.delayed, j.id!)));
  return scores.map((s) => (s === null ? null : Math.floor(Number(s) / 0x1000)));
}
