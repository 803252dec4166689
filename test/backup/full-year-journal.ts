// A whole school year of one homeroom class, built by hand for the class journal's documents (they are pure over it):
// two subjects with 5 and 6 lessons a week from 1 September to 26 May (two lessons on one day: two columns of one date),
// a cancelled lesson, 28 pupils — one with a long name —, marks (two in a cell), absences and every final mark of the
// year (quarters, half-years, year, exam), one of them of a pupil who left the group.
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

export const cls = { id: 'class-7b', title: '7Б', gradeLevel: 7, letter: 'Б' } as HomeroomClassRecord;
const section = (id: string, subjectId: string, title: string) => ({ id, homeroomClassId: cls.id, subjectId, title } as SectionRecord);
export const math = section('sec-math', 'subj-math', 'Математика');
export const russian = section('sec-rus', 'subj-rus', 'Русский язык');

const sessions: [string, AcademicSessionRecord['kind'], string, string][] = [
  ['q1', 'quarter', '1 четверть', '2025-09-01'], ['q2', 'quarter', '2 четверть', '2025-11-05'],
  ['q3', 'quarter', '3 четверть', '2026-01-09'], ['q4', 'quarter', '4 четверть', '2026-03-30'],
  ['h1', 'half_year', '1 полугодие', '2025-09-01'], ['h2', 'half_year', '2 полугодие', '2026-01-09'],
  ['year', 'school_year', '2025/2026 учебный год', '2025-09-01'], ['exams', 'exam_period', 'экзамены', '2026-05-25'],
];

export const pupilIds = Array.from({ length: 28 }, (_, i) => `p-${String(i + 1).padStart(2, '0')}`);
const familyName = (i: number) => (i === 0 ? 'Константинопольская' : `Ученикова${'абвгдежзиклмнопрстуфхцчшщэюя'[i]}`);
const givenName = (i: number) => (i === 0 ? 'Александра' : 'Анна');
export const leaver = 'p-left';

/** School days (Monday–Friday) from 1 September 2025 to 26 May 2026, without the winter holidays. */
function schoolDays(): { date: string; weekday: number }[] {
  const out: { date: string; weekday: number }[] = [];
  for (let t = Date.UTC(2025, 8, 1); t <= Date.UTC(2026, 4, 26); t += 86_400_000) {
    const d = new Date(t);
    const date = d.toISOString().slice(0, 10);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || (date >= '2025-12-29' && date <= '2026-01-08')) continue;
    out.push({ date, weekday: d.getUTCDay() });
  }
  return out;
}

export function fullYear(): { y: SchoolYear; data: ClassJournalData } {
  const y: SchoolYear = {
    organizationId: 'org', schoolYear: 2026,
    sessions: new Map(sessions.map(([id, kind, title, startDate]) => [id, { id, kind, title, startDate } as AcademicSessionRecord])),
    classes: [cls],
    subjects: new Map([math, russian].map((s) => [s.subjectId, { id: s.subjectId, title: s.title } as SubjectRecord])),
    sectionsByClass: new Map([[cls.id, [math, russian]]]),
    pupilsBySection: new Map([[math.id, new Set(pupilIds)], [russian.id, new Set(pupilIds)]]),
    pupils: new Map([
      ...pupilIds.map((id, i) => [id, { id, familyName: familyName(i), givenName: givenName(i) } as PersonRecord] as const),
      [leaver, { id: leaver, familyName: 'Ушедшая', givenName: 'Вера' } as PersonRecord] as const,
    ]),
  };
  const data: ClassJournalData = { lessons: [], marks: [], attendance: [], finalMarks: [] };
  for (const [n, { date, weekday }] of schoolDays().entries()) {
    // Русский язык twice on Wednesdays: 6 lessons a week
    const today = [{ s: math, no: 1 }, { s: russian, no: 2 }, ...(weekday === 3 ? [{ s: russian, no: 4 }] : [])];
    for (const { s, no } of today) {
      const id = `${s.id}-${date}-${no}`;
      data.lessons.push({ id, sectionId: s.id, date, lessonNumber: no, lessonStatus: date === '2025-10-15' && s === math ? 'cancelled' : 'held' });
      const p = pupilIds[(n + no) % pupilIds.length];
      data.marks.push({ lessonId: id, studentId: p, slot: 1, raw: ['5', '4+', '3-', '2'][n % 4] }, { lessonId: id, studentId: p, slot: 2, raw: '5' });
      data.attendance.push({ lessonId: id, studentId: pupilIds[(n + 7) % pupilIds.length], kind: n % 3 ? 'absent' : 'late' });
    }
  }
  for (const s of [math, russian]) {
    for (const [i, p] of pupilIds.entries()) {
      for (const [periodId, kind] of [['q1', 'quarter'], ['q2', 'quarter'], ['q3', 'quarter'], ['q4', 'quarter'], ['h1', 'half_year'], ['h2', 'half_year'], ['year', 'year'], ['exams', 'exam']] as const) {
        data.finalMarks.push({ sectionId: s.id, studentId: p, kind, periodId, raw: String(2 + ((i + periodId.length) % 4)) });
      }
    }
  }
  data.finalMarks.push({ sectionId: math.id, studentId: leaver, kind: 'quarter', periodId: 'q1', raw: '4' });
  return { y, data };
}
