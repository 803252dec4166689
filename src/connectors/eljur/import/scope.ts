// Which of a school's records an import package covers: the sections of its classes, their lessons in the window,
// and those lessons' marks and absences. One definition for the package (build.ts) and for what it leaves out
// (not-carried.ts), so the two count the same records.
import { liveByEntity, type CanonicalRecord, type RecordOf } from '../../../model/records.js';
import type { EntityName } from '../../../model/enums.js';

export interface PackageScope {
  all: <E extends EntityName>(entity: E) => RecordOf<E>[];
  classes: Map<string, RecordOf<'homeroom_class'>>;
  sections: Map<string, RecordOf<'section'>>;
  /** Lessons of those sections in the window, cancelled ones included (their marks and absences are still the school's). */
  lessons: Map<string, RecordOf<'lesson'>>;
  /** The lessons lessons.csv lists: every one but the cancelled. */
  heldLessons: RecordOf<'lesson'>[];
  marks: RecordOf<'mark'>[];
  attendance: RecordOf<'attendance_record'>[];
}

export function packageScope(records: Iterable<CanonicalRecord>, window?: { from: string; to: string }): PackageScope {
  const all = liveByEntity(records);
  const classes = new Map(all('homeroom_class').map((c) => [c.id, c]));
  const sections = new Map(all('section').filter((s) => classes.has(s.homeroomClassId)).map((s) => [s.id, s]));
  const inWindow = (d: string) => !window || (d >= window.from && d <= window.to);
  const lessons = new Map(all('lesson').filter((l) => sections.has(l.sectionId) && inWindow(l.date)).map((l) => [l.id, l]));
  return {
    all, classes, sections, lessons,
    heldLessons: [...lessons.values()].filter((l) => l.lessonStatus !== 'cancelled'),
    marks: all('mark').filter((m) => lessons.has(m.lessonId)),
    attendance: all('attendance_record').filter((a) => lessons.has(a.lessonId)),
  };
}
