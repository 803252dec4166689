// Each school's last finished run per job kind, kept beside its queue in one Redis hash
// (`<prefix>:<queue>:jg-school-last-run`, field: the school's id), for the status page's «Последний запуск по школам».
// Built from the kept jobs alone, the section showed a school's older failure (failed jobs are kept 14 days) once the
// later success's job had been removed (completed ones: a day, at most 1,000 a queue) — as `schedules` did before
// last-completed.ts. Written the same way, in one Redis command that keeps the newer run (newer-entry.ts).
// Counts only: no failure reason (a platform's text may name a person) and no subject titles — the kept job, while
// there is one, still gives those.
import type { Job } from 'bullmq';
import { totalsOf, type RunTotals } from '../ops/run-totals.js';
import { readEntries, writeIfNewer, type QueueLike, type RecordClient } from './newer-entry.js';

const HASH = 'jg-school-last-run';

export type RecordedTotals = Omit<RunTotals, 'unmatchedSubjects'>;

export interface SchoolRun {
  finishedOn: number;
  outcome: 'completed' | 'failed';
  attempts: number;
  /** Completed: the totals of its run summaries, as the page shows them. */
  totals?: RecordedTotals;
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function parse(value: string): SchoolRun | undefined {
  try {
    const v = JSON.parse(value) as Partial<SchoolRun>;
    if (typeof v?.finishedOn !== 'number' || (v.outcome !== 'completed' && v.outcome !== 'failed')) return undefined;
    const t = v.totals;
    return {
      finishedOn: v.finishedOn, outcome: v.outcome, attempts: count(v.attempts),
      ...(t ? { totals: {
        created: count(t.created), updated: count(t.updated), deleted: count(t.deleted), quarantined: count(t.quarantined),
        forReview: count(t.forReview), pushFailed: count(t.pushFailed), pushWaiting: count(t.pushWaiting),
        deletesToAccept: Array.isArray(t.deletesToAccept) ? t.deletesToAccept.map((d) => ({ instance: String(d.instance), count: count(d.count) })) : [],
      } } : {}),
    };
  } catch {
    return undefined; // an unreadable entry is as if none were kept: the kept jobs still say what they can
  }
}

/**
 * Records a job's run as its school's last of this queue, unless a later one is recorded. A failed job only once it has
 * failed for good (BullMQ sets `finishedOn` then, not on an attempt it will retry); a job with no school is left alone.
 */
export async function recordSchoolRun(client: RecordClient, queue: Pick<QueueLike, 'toKey'>, job: Pick<Job, 'data' | 'finishedOn' | 'attemptsMade' | 'returnvalue'>, outcome: SchoolRun['outcome']): Promise<void> {
  const schoolId = (job.data as { schoolId?: unknown } | undefined)?.schoolId;
  if (typeof schoolId !== 'string' || !schoolId || !job.finishedOn) return;
  let totals: RecordedTotals | undefined;
  if (outcome === 'completed') {
    const { unmatchedSubjects: _titles, ...counts } = totalsOf(job.returnvalue);
    totals = counts;
  }
  const run: SchoolRun = { finishedOn: job.finishedOn, outcome, attempts: job.attemptsMade, ...(totals ? { totals } : {}) };
  await writeIfNewer(client, queue.toKey(HASH), schoolId, run);
}

/**
 * Forgets the runs of schools the configuration no longer has (taken out of the region, closed), so the status page
 * stops listing them; their jobs BullMQ still keeps are listed until it removes them, as before.
 */
export async function forgetSchoolRunsExcept(queue: QueueLike, schoolIds: readonly string[]): Promise<void> {
  const keep = new Set(schoolIds);
  const client = await queue.getBackend().client;
  const gone = Object.keys((await client.hgetall(queue.toKey(HASH))) ?? {}).filter((id) => !keep.has(id));
  if (gone.length) await client.hdel(queue.toKey(HASH), ...gone);
}

/** Per school id, its last finished run of this queue as recorded. */
export async function schoolLastRuns(queue: QueueLike): Promise<Map<string, SchoolRun>> {
  return readEntries(queue, HASH, parse);
}
