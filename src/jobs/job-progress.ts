// A running job's progress, written to Redis for Bull Board. Progress is a convenience: a write that fails must
// never end the process. It did: the sync calls onProgress synchronously per page, the promise of
// Job.updateProgress was dropped, and when Redis came back empty (a restart without persistence, a FLUSHALL)
// BullMQ rejected it with `Missing key for job …` — an unhandled rejection that killed the worker and every other
// job it was running. The job itself is left to BullMQ: its lock and its move to completed or failed meet the same
// missing key and are handled (and reported) there.
import type { Logger } from 'pino';

export type ProgressCallback = (stage: string, done: number, total?: number) => void;

interface ProgressTarget {
  id?: string;
  updateProgress(progress: { stage: string; done: number; total?: number }): Promise<void>;
}

/**
 * The job's onProgress: each update is sent without being awaited (the sync does not wait for Redis), and its
 * failure is caught. The first failure of a job is logged at warn, later ones at debug: a page loop would otherwise
 * write one line per page for as long as Redis is away. Only the job id, the stage and BullMQ's message are
 * logged — job data and progress hold ids and counts, never a person.
 */
export function progressReporter(job: ProgressTarget, log: Logger): ProgressCallback {
  let failures = 0;
  return (stage, done, total) => {
    job.updateProgress({ stage, done, total }).catch((e: unknown) => {
      failures++;
      const fields = { jobId: job.id, stage, failures, err: e instanceof Error ? e.message : String(e) };
      if (failures === 1) log.warn(fields, 'job progress not saved (Redis lost the job?): the job goes on');
      else log.debug(fields, 'job progress not saved');
    });
  };
}
