// The totals of a job's run summaries that the status page shows in a school's row: counts, the instances whose
// deletes wait for `--accept-deletes`, and subject titles (not personal data). Apart from status.ts so the worker can
// record them (jobs/school-last-runs.ts) without the status page's store and queue reading.
import type { RunSummary } from '../sync/run-summary.js';

export interface RunTotals {
  created: number; updated: number; deleted: number; quarantined: number; forReview: number; pushFailed: number;
  /** Push: marks and absences the target cannot place yet (pupil or lesson not linked there). */
  pushWaiting: number;
  /** Roster: deletes the threshold refused — what `sync roster --accept-deletes N` takes, per platform instance. */
  deletesToAccept: { instance: string; count: number }[];
  /** Roster: subjects another platform names differently from the system of record (titles, not personal data). */
  unmatchedSubjects: string[];
}

export function totalsOf(value: unknown): RunTotals {
  const t: RunTotals = { created: 0, updated: 0, deleted: 0, quarantined: 0, forReview: 0, pushFailed: 0, pushWaiting: 0, deletesToAccept: [], unmatchedSubjects: [] };
  for (const s of Array.isArray(value) ? (value as RunSummary[]) : []) {
    t.pushWaiting += s.pushed?.skipped ?? 0;
    if (typeof s.deletesToAccept === 'number') t.deletesToAccept.push({ instance: s.instance, count: s.deletesToAccept });
    for (const title of s.unmatchedSubjects ?? []) if (!t.unmatchedSubjects.includes(title)) t.unmatchedSubjects.push(title);
    t.created += s.created ?? 0;
    t.updated += s.updated ?? 0;
    t.deleted += s.deleted ?? 0;
    t.quarantined += s.quarantined ?? 0;
    t.forReview += s.forReview ?? 0;
    t.pushFailed += s.pushed?.failed ?? 0;
  }
  return t;
}
