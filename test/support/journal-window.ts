// Which journal records a read over [from, to] brings back — the part of every platform harness's
// `expectedRecords` that does not depend on the platform: lessons dated in the window, and the works, marks
// and absences of those lessons.
import type { CanonicalRecord } from '../../src/model/records.js';

/**
 * `true`/`false` for a lesson, work, mark or attendance record (in the window or not); `undefined` for any
 * other record, which the platform's harness decides on.
 */
export function journalWindow(all: readonly CanonicalRecord[], from: string, to: string): (r: CanonicalRecord) => boolean | undefined {
  const lessonDate = new Map<string, string>();
  for (const r of all) if (r.entity === 'lesson') lessonDate.set(r.id, r.date);
  const inWindow = (date: string | undefined) => date !== undefined && date >= from && date <= to;
  return (r) => {
    if (r.entity === 'lesson') return inWindow(r.date);
    if (r.entity === 'work' || r.entity === 'mark' || r.entity === 'attendance_record') return inWindow(lessonDate.get(r.lessonId));
    return undefined;
  };
}
