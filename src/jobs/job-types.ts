// Typed job data (DECISIONS.md §7, engineering.md §2.10): ids and scopes only — never a name, a SNILS,
// a token or a password. Redis keeps job data in clear text.
import * as z from 'zod';
import { LocalDate } from '../model/dates.js';
import { JOB_BACKOFF_TYPE } from './job-backoff.js';

export const JOB_KINDS = ['roster-sync', 'journal-sync', 'grade-push', 'nightly-backup', 'yearly-archive'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/** The kinds that read or write a platform (processors.ts runJob); the archive kinds run src/backup. */
export type ArchiveJobKind = 'nightly-backup' | 'yearly-archive';
export type SyncJobKind = Exclude<JobKind, ArchiveJobKind>;
export const isArchiveJob = (kind: JobKind): kind is ArchiveJobKind => kind === 'nightly-backup' || kind === 'yearly-archive';

export const JobData = z.strictObject({
  /** Operator's school id from the config. */
  schoolId: z.string().min(1),
  /** Platform instance to read from / push to; default: the school's system of record (sync) or every push target (push). */
  instance: z.string().min(1).optional(),
  window: z.strictObject({ from: LocalDate, to: LocalDate }).optional(),
  dryRun: z.boolean().optional(),
  /** Roster sync: the operator accepts this many missing records above the delete threshold (a count, no ids). */
  acceptDeletes: z.number().int().nonnegative().optional(),
});
export type JobData = z.infer<typeof JobData>;

/** Job ids must not contain ':' nor be all digits (BullMQ, engineering.md §2.5). */
export function jobIdFor(kind: JobKind, data: JobData, stamp: string): string {
  return [kind, data.schoolId, data.instance ?? 'all', stamp].join('__').replace(/:/g, '-');
}

export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  // Exponential, but never shorter than a platform's Retry-After (job-backoff.ts).
  backoff: { type: JOB_BACKOFF_TYPE, delay: 30_000, jitter: 0.3 },
  removeOnComplete: { age: 86_400, count: 1_000 },
  removeOnFail: { age: 14 * 86_400 },
};
