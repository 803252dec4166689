// The status page as one staff account may see it: a regional operator sees everything; a school's staff see
// their schools' runs, failures, backups and review items (those their schools' syncs raised), not the region-wide
// queue counts.
import type { StatusData } from '../../ops/status.js';
import { canSeeConfigSchool, type StaffScope } from './accounts.js';

export function scopeStatus(d: StatusData, scope: StaffScope): StatusData {
  if (scope === 'all') return d;
  const mine = <T extends { schoolId: string }>(rows: readonly T[]) => rows.filter((r) => canSeeConfigSchool(scope, r.schoolId));
  const review = mine(d.reviewBySchool ?? []);
  return { ...d, queues: [], lastRuns: mine(d.lastRuns), failures: mine(d.failures), backups: mine(d.backups), reviewQueue: review.reduce((n, r) => n + r.count, 0), reviewBySchool: review };
}
