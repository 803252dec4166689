// Who was on a journal page (a section or a homeroom class) during a span of days: one reading for the rules
// (R-11 judges a pupil per quarter only while they were on the page) and for the reports that count the same
// thing (R-37 «Нужно отметок»), so the signed report and the check never disagree about a pupil who moved.
import type { EnrollmentRecord } from './records.js';

/** Whether an enrollment covers any day of [from, to] (inclusive calendar dates; no end date = still enrolled). */
export function enrolledDuring(e: Pick<EnrollmentRecord, 'beginDate' | 'endDate'>, from: string, to: string): boolean {
  return e.beginDate <= to && (!e.endDate || e.endDate >= from);
}

/** Pupils (student enrollments) among the enrollments of one page who were on it on any day of [from, to]. */
export function studentsEnrolledDuring(enrollments: Iterable<EnrollmentRecord>, from: string, to: string): string[] {
  const ids = new Set<string>();
  for (const e of enrollments) if (e.role === 'student' && enrolledDuring(e, from, to)) ids.add(e.personId);
  return [...ids];
}
