// Each job scheduler's last completed run, kept beside its queue in one Redis hash (`<prefix>:<queue>:jg-last-completed`,
// field: the scheduler's id). BullMQ keeps completed jobs a day (at most 1,000 a queue) and failed ones 14 days
// (job-types.ts): `journal-gateway schedules`, reading only the kept jobs, showed a weekly schedule's older failure as
// its last run for up to 13 days after a later success had been removed. Keeping completed jobs longer would not do:
// the 1,000 a queue of a region's half-hourly journal syncs last hours, whatever their age limit. One entry per
// scheduler is what the listing needs, and it stays as small as the number of schedules.
import type { Job } from 'bullmq';
import { readEntries, writeIfNewer, type QueueLike, type RecordClient } from './newer-entry.js';

const HASH = 'jg-last-completed';

export interface CompletedRun {
  finishedOn: number;
  attempts: number;
}

const clientOf = async (q: QueueLike) => q.getBackend().client;

function parse(value: string | null | undefined): CompletedRun | undefined {
  try {
    const v = value ? (JSON.parse(value) as Partial<CompletedRun>) : undefined;
    return typeof v?.finishedOn === 'number' ? { finishedOn: v.finishedOn, attempts: Number(v.attempts ?? 0) } : undefined;
  } catch {
    return undefined; // an unreadable entry is as if none were kept: the kept jobs still say what they can
  }
}

export type { RecordClient };

/**
 * Records a completed job of a scheduler (others are left alone: a one-off `sync` from the CLI is no schedule's run).
 * An older run finishing after a newer one (two workers, even at the same moment) does not replace it (newer-entry.ts).
 */
export async function recordCompleted(client: RecordClient, queue: Pick<QueueLike, 'toKey'>, job: Pick<Job, 'repeatJobKey' | 'finishedOn' | 'attemptsMade'>): Promise<void> {
  if (!job.repeatJobKey || !job.finishedOn) return;
  await writeIfNewer(client, queue.toKey(HASH), job.repeatJobKey, { finishedOn: job.finishedOn, attempts: job.attemptsMade });
}

/** Per scheduler id, its last completed run as recorded. */
export async function lastCompletedRuns(queue: QueueLike): Promise<Map<string, CompletedRun>> {
  return readEntries(queue, HASH, parse);
}

/** Forgets the runs of schedulers that were removed, so a scheduler made again under the same id starts afresh. */
export async function forgetCompleted(queue: QueueLike, schedulerIds: readonly string[]): Promise<void> {
  if (schedulerIds.length) await (await clientOf(queue)).hdel(queue.toKey(HASH), ...schedulerIds);
}
