// `--class`: narrows a school's data to one homeroom class (by title «5А» or id) — the regulation prints the
// attendance sheet and the progress results per class (seed 000 §7). Everything downstream (pages, lessons,
// marks, attendance, final marks, pupils, guardians) follows the class, so totals stay those of the class.
import { ReportInputError, type SchoolData } from './school-data.js';
import { ru } from './roster.js';

export function restrictToClass(data: SchoolData, classRef: string, period?: { from: string; to: string }): SchoolData {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  let found = [...data.classes.values()].filter((c) => c.id === classRef || norm(c.title) === norm(classRef));
  // Last year's «5А» may still be in the store: a title names the class of the period's school year.
  if (found.length > 1 && period) {
    const ofPeriod = found.filter((c) => {
      const year = data.sessions.find((s) => s.id === c.academicYearId);
      return !!year && year.startDate <= period.from && period.from <= year.endDate;
    });
    if (ofPeriod.length) found = ofPeriod;
  }
  if (found.length !== 1) {
    const known = [...data.classes.values()].map((c) => c.title).sort(ru.compare).join(', ') || 'none';
    throw new ReportInputError(found.length
      ? `--class "${classRef}" names ${found.length} classes (${found.map((c) => c.id).join(', ')}); give the id`
      : `--class "${classRef}" is not a class of school ${data.school.id}; classes: ${known}`);
  }
  const cls = found[0];
  const sections = new Map([...data.sections].filter(([, s]) => s.homeroomClassId === cls.id));
  const lessons = new Map([...data.lessons].filter(([, l]) => sections.has(l.sectionId)));
  const enrollments = data.enrollments.filter((e) => e.sectionId === cls.id || sections.has(e.sectionId));
  const pupils = new Set(enrollments.filter((e) => e.role === 'student' && e.sectionId === cls.id).map((e) => e.personId));
  return {
    ...data,
    classes: new Map([[cls.id, cls]]),
    sections, lessons, enrollments,
    marks: data.marks.filter((m) => lessons.has(m.lessonId)),
    attendance: data.attendance.filter((a) => lessons.has(a.lessonId)),
    finals: data.finals.filter((f) => sections.has(f.sectionId)),
    guardianLinks: data.guardianLinks.filter((g) => pupils.has(g.studentId)),
  };
}
