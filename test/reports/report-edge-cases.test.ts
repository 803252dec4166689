// Report edge cases a school administrator would be misled by: the year's progress judged by the year mark (not an
// exam mark stored on the same session), «н/а» as not attested, absences recorded on a lesson that did not take
// place, an owed «точка» without a value, and R-13's average rounded half up. A small hand-built school.
import { describe, expect, it } from 'vitest';
import { weightedAverage } from '../../src/model/scale.js';
import { buildReport, type SchoolData } from '../../src/reports/index.js';

type AnyRecord = Record<string, unknown>;
const r = <T>(x: AnyRecord) => x as unknown as T;

function school(): SchoolData {
  const d = {
    school: r({ id: 'sch', name: 'Школа', type: 'school', timeZone: 'Asia/Yekaterinburg' }), timeZone: 'Asia/Yekaterinburg',
    sessions: [
      r({ id: 'year', kind: 'school_year', title: '2025/2026 учебный год', startDate: '2025-09-01', endDate: '2026-05-31' }),
      r({ id: 'q1', kind: 'quarter', title: '1 четверть', startDate: '2025-09-01', endDate: '2025-10-24' }),
    ],
    classes: new Map([['c5', r({ id: 'c5', gradeLevel: 5, title: '5А' })]]),
    sections: new Map([
      ['s-math', r({ id: 's-math', homeroomClassId: 'c5', subjectId: 'math', weeklyHours: 5, title: 'Математика 5А' })],
      ['s-rus', r({ id: 's-rus', homeroomClassId: 'c5', subjectId: 'rus', weeklyHours: 5, title: 'Русский язык 5А' })],
    ]),
    subjects: new Map([['math', r({ id: 'math', title: 'Математика' })], ['rus', r({ id: 'rus', title: 'Русский язык' })]]),
    enrollments: [r({ id: 'e-t', personId: 'T', sectionId: 's-math', role: 'teacher', isPrimary: true, beginDate: '2025-09-01' })],
    lessons: new Map(), marks: [], attendance: [], finals: [], guardianLinks: [],
    persons: new Map([['T', r({ id: 'T', familyName: 'Учителева', givenName: 'Анна' })]]),
  } as unknown as SchoolData;
  return d;
}
function pupil(d: SchoolData, id: string, family: string) {
  d.persons.set(id, r({ id, familyName: family, givenName: 'Ученик' }));
  for (const s of ['c5', 's-math', 's-rus']) d.enrollments.push(r({ id: `e-${s}-${id}`, personId: id, sectionId: s, role: 'student', beginDate: '2025-09-01' }));
}
function lesson(d: SchoolData, id: string, date: string, extra: AnyRecord = {}) {
  d.lessons.set(id, r({ id, sectionId: 's-math', date, lessonNumber: 1, scheduledTeacherId: 'T', lessonStatus: 'held', topic: 'Тема', recordedAt: `${date}T10:00:00Z`, recordedBy: 'T', ...extra }));
}
const final = (id: string, student: string, section: string, kind: string, raw: string) =>
  r<SchoolData['finals'][number]>({ id, studentId: student, sectionId: section, kind, periodId: 'year', raw, base: /^[1-5]$/.test(raw) ? Number(raw) : null });

describe('report edge cases', () => {
  it('the year\'s progress reads the year mark, never an exam mark stored on the same session', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    d.finals.push(final('f1', 'P1', 's-math', 'year', '4'), final('f2', 'P1', 's-math', 'exam', '2'), final('f3', 'P1', 's-rus', 'year', '5'));
    const report = buildReport(d, 'progress', 'year');
    expect(report.tables[0].rows.find((x) => x.subject === 'Математика')?.final).toBe('4');
    expect(report.tables[1].rows[0]).toMatchObject({ graded: 1, failing: 0, good: 1 });
  });

  it('a year mark and an «итоговая» of the same subject are one mark, not two «3»s', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    d.finals.push(final('f1', 'P1', 's-math', 'year', '3'), final('f2', 'P1', 's-math', 'final', '3'), final('f3', 'P1', 's-rus', 'year', '5'));
    expect(buildReport(d, 'progress', 'year').tables[1].rows[0]).toMatchObject({ oneThree: 1 });
  });

  it('«н/а» (not attested) makes a pupil failing, not an excellent one; «зач» grades nothing', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    pupil(d, 'P2', 'Второв');
    d.finals.push(final('f1', 'P1', 's-math', 'year', '5'), final('f2', 'P1', 's-rus', 'year', 'н/а'));
    d.finals.push(final('f3', 'P2', 's-math', 'year', '5'), final('f4', 'P2', 's-rus', 'year', 'зач'));
    expect(buildReport(d, 'progress', 'year').tables[1].rows[0]).toMatchObject({ graded: 2, failing: 1, passing: 1, excellent: 1 });
  });

  it('an absence recorded on a cancelled or moved lesson is not a missed lesson', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    lesson(d, 'L1', '2025-10-06', { lessonStatus: 'cancelled' });
    lesson(d, 'L2', '2025-10-07', { lessonStatus: 'moved' });
    lesson(d, 'L3', '2025-10-08');
    for (const [id, lessonId, reason, code] of [['a1', 'L1', 'illness', 'Б'], ['a2', 'L2', 'unexcused', 'НП'], ['a3', 'L3', 'unexcused', 'НП']]) {
      d.attendance.push(r({ id, studentId: 'P1', lessonId, kind: 'absent', reason, rawCode: code, recordedAt: '2025-10-08T05:00:00Z', recordedBy: 'T' }));
    }
    const row = buildReport(d, 'attendance', '2025-10').tables[0].rows[0];
    expect(row).toMatchObject({ unexcused: 1, illness: 0 });
  });

  it('the family printout shows an owed «точка» without a value, as the diary does', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    d.persons.set('G1', r({ id: 'G1', familyName: 'Родителева', givenName: 'Мать' }));
    d.guardianLinks.push(r({ id: 'gl', studentId: 'P1', guardianId: 'G1', digitalAccess: 'refused' }));
    lesson(d, 'L1', '2025-09-10');
    d.marks.push(r({ id: 'm1', studentId: 'P1', lessonId: 'L1', workId: 'w', slot: 1, raw: '', base: null, modifier: 'none', numeric: null, state: 'owed', weightApplied: 60, markDate: '2025-09-10', recordedAt: '2025-09-10T10:00:00Z', recordedBy: 'T' }));
    const rows = buildReport(d, 'family-printout', '2025-09-14').tables[0].rows;
    expect(rows[0]).toMatchObject({ marks: '•', markCount: 0 });
  });

  it('R-13: an exact half rounds up (845 / 200 = 4.225 → 4.23)', () => {
    const m = (numeric: number, weightApplied: number) => ({ numeric, weightApplied, state: 'graded' as const });
    expect(weightedAverage([m(3, 70), m(5, 70), m(4.75, 60)])).toBe(4.23);
  });

  it('the printout is for children in the school during the period, headed with their class of that period', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    // Last year's class 4А, still in the store; this year 5А.
    d.classes.set('c4', r({ id: 'c4', gradeLevel: 4, title: '4А' }));
    d.enrollments.unshift(r({ id: 'e-old', personId: 'P1', sectionId: 'c4', role: 'student', beginDate: '2024-09-01', endDate: '2025-05-31' }));
    // A pupil who left at the end of last year.
    d.persons.set('P2', r({ id: 'P2', familyName: 'Ушедший', givenName: 'Ученик' }));
    d.enrollments.push(r({ id: 'e-p2', personId: 'P2', sectionId: 'c4', role: 'student', beginDate: '2024-09-01', endDate: '2025-05-31' }));
    d.persons.set('G1', r({ id: 'G1', familyName: 'Родителева', givenName: 'Мать' }));
    d.persons.set('G2', r({ id: 'G2', familyName: 'Бывшева', givenName: 'Мать' }));
    d.guardianLinks.push(r({ id: 'gl1', studentId: 'P1', guardianId: 'G1', digitalAccess: 'refused' }), r({ id: 'gl2', studentId: 'P2', guardianId: 'G2', digitalAccess: 'refused' }));
    const titles = buildReport(d, 'family-printout', '2025-10-12').tables.map((t) => t.title);
    expect(titles).toEqual([expect.stringMatching(/^Родителева Мать — ученик Первов Ученик, 5А класс$/)]);
  });

  it('no printout for a guardian the school refused (scope none: a court order) or whose link ended — only for one who chose paper', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    lesson(d, 'L1', '2025-09-10');
    d.marks.push(r({ id: 'm1', studentId: 'P1', lessonId: 'L1', markDate: '2025-09-10', raw: '5', state: 'graded' }));
    for (const [g, name] of [['G1', 'Бумажнова'], ['G2', 'Запретова'], ['G3', 'Бывшева']]) d.persons.set(g, r({ id: g, familyName: name, givenName: 'Мать' }));
    d.guardianLinks.push(
      r({ id: 'gl1', studentId: 'P1', guardianId: 'G1', status: 'active', accessScope: 'full', digitalAccess: 'refused' }),
      // `review refuse` writes scope none with digitalAccess refused: the school withholds the child's data.
      r({ id: 'gl2', studentId: 'P1', guardianId: 'G2', status: 'active', accessScope: 'none', digitalAccess: 'refused' }),
      r({ id: 'gl3', studentId: 'P1', guardianId: 'G3', status: 'inactive', accessScope: 'full', digitalAccess: 'refused' }),
    );
    const titles = buildReport(d, 'family-printout', '2025-09-14').tables.map((t) => t.title);
    expect(titles).toEqual([expect.stringMatching(/^Бумажнова Мать — ученик Первов Ученик/)]);
  });

  it('--class by title names the class of the period\'s school year when last year\'s class of that title is still stored', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    d.sessions.push(r({ id: 'year-prev', kind: 'school_year', title: '2024/2025 учебный год', startDate: '2024-09-01', endDate: '2025-05-31' }));
    d.classes.set('c5', r({ ...(d.classes.get('c5') as unknown as AnyRecord), academicYearId: 'year' }));
    d.classes.set('c5-prev', r({ id: 'c5-prev', gradeLevel: 5, title: '5А', academicYearId: 'year-prev' }));
    lesson(d, 'L1', '2025-10-08');
    d.attendance.push(r({ id: 'a1', studentId: 'P1', lessonId: 'L1', kind: 'absent', reason: 'unexcused', rawCode: 'НП', recordedAt: '2025-10-08T05:00:00Z', recordedBy: 'T' }));
    const report = buildReport(d, 'attendance', '2025-10', { classRef: '5А' });
    expect(report.title).toMatch(/5А класс$/);
    expect(report.tables[0].rows[0]).toMatchObject({ unexcused: 1 });
  });

  it('the summary sheet: an exam period running into June is the year\'s; one mark on two subgroup pages shows once', () => {
    const d = school();
    pupil(d, 'P1', 'Первов');
    d.sessions.push(r({ id: 'exams', kind: 'exam_period', title: 'Экзамены', startDate: '2026-05-25', endDate: '2026-06-20' }));
    d.sections.set('s-math-2', r({ id: 's-math-2', homeroomClassId: 'c5', subjectId: 'math', weeklyHours: 5, title: 'Математика 5А (2)' }));
    d.finals.push(final('f1', 'P1', 's-math', 'year', '5'), final('f2', 'P1', 's-math-2', 'year', '5'));
    d.finals.push(r({ ...(final('f3', 'P1', 's-math', 'exam', '4') as unknown as AnyRecord), periodId: 'exams' }));
    const row = buildReport(d, 'summary-sheet', 'year').tables[0].rows.find((x) => x.subject === 'Математика')!;
    expect(row).toMatchObject({ year: '5', exam: '4' });
  });

  it('R-11 over a half-year: the quarters\' minimums add up, and marks piled into one quarter do not make up another', () => {
    const d = school();
    d.sessions.push(r({ id: 'q2', kind: 'quarter', title: '2 четверть', startDate: '2025-11-05', endDate: '2025-12-28' }));
    d.sessions.push(r({ id: 'h1', kind: 'half_year', title: '1 полугодие', startDate: '2025-09-01', endDate: '2025-12-28' }));
    d.sections.set('s-math', r({ ...(d.sections.get('s-math') as unknown as AnyRecord), weeklyHours: 1 })); // ≤ 2 h: 3 a quarter
    pupil(d, 'P1', 'Первов');
    for (const [i, date] of ['2025-09-10', '2025-09-17', '2025-09-24', '2025-10-01', '2025-10-08', '2025-10-15'].entries()) {
      lesson(d, `L${i}`, date);
      d.marks.push(r({ id: `m${i}`, studentId: 'P1', lessonId: `L${i}`, workId: 'w', slot: 1, raw: '4', base: 4, modifier: 'none', numeric: 4, state: 'graded', weightApplied: 60, markDate: date, recordedAt: `${date}T10:00:00Z`, recordedBy: 'T' }));
    }
    const half = buildReport(d, 'progress', '1 полугодие').tables[0].rows.find((x) => x.subject === 'Математика')!;
    expect(half).toMatchObject({ marks: 6, minMarks: 6, belowMinimum: 1 }); // six marks, all in the first quarter
    const q1 = buildReport(d, 'progress', '1 четверть').tables[0].rows.find((x) => x.subject === 'Математика')!;
    expect(q1).toMatchObject({ marks: 6, minMarks: 3, belowMinimum: 0 });
  });
});

