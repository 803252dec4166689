// The status page as one staff account may see it: a regional operator sees everything; a school's staff see
// their schools' runs, failures and backups, and neither the region-wide queue counts nor the review queue
// (its items are not tied to one school).
import type { StatusData } from '../../ops/status.js';
import { canSeeConfigSchool, type StaffScope } from './accounts.js';

export function scopeStatus(d: StatusData, scope: StaffScope): StatusData {
  if (scope === 'all') return d;
  const mine = <T extends { schoolId: string }>(rows: readonly T[]) => rows.filter((r) => canSeeConfigSchool(scope, r.schoolId));
  return { ...d, queues: [], lastRuns: mine(d.lastRuns), failures: mine(d.failures), backups: mine(d.backups), reviewQueue: 0, reviewHidden: true };
}
