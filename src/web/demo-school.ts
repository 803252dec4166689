// A tiny synthetic school for the diary's tests and `serve --demo`: one family (the fake ESIA's demo
// parent) with two pupils, and a third pupil of another family. Every name and SNILS is invented.
import {
  attendanceId, buildRecord, finalMarkId, lessonId, markId, naturalId, workId, type CanonicalRecord,
} from '../model/index.js';
import type { FakeEsiaAccount } from '../auth/fake-esia/people.js';

const prov = { system: 'synthetic' as const, instance: 'demo', fetchedAt: '2025-10-01T06:00:00Z', payloadHash: 'demo', runId: 'demo', mapperVersion: '1' };
const opts = (id: string, kind: string) => ({ id, sourceRefs: [{ system: 'synthetic' as const, instance: 'demo', sourceId: `${kind}:${id.slice(0, 8)}`, kind }], provenance: prov });

export const DEMO_PARENT: FakeEsiaAccount = {
  oid: '1000299654', trusted: true, firstName: 'Ольга', lastName: 'Синтетова', middleName: 'Петровна', birthDate: '1985-04-12',
  snils: '11223344595',
  kids: [
    { id: '2000000001', firstName: 'Иван', lastName: 'Синтетов', middleName: 'Сергеевич', birthDate: '2012-03-05', snils: '12345678964' },
    { id: '2000000002', firstName: 'Мария', lastName: 'Синтетова', middleName: 'Сергеевна', birthDate: '2015-09-21', snils: '98765432183' },
  ],
};

export const DEMO_IDS = {
  school: naturalId('demo', 'school'),
  year: naturalId('demo', 'year'),
  q1: naturalId('demo', 'q1'),
  teacher: naturalId('demo', 'teacher'),
  ivan: naturalId('demo', 'pupil', 'ivan'),
  maria: naturalId('demo', 'pupil', 'maria'),
  petr: naturalId('demo', 'pupil', 'petr'),
};

interface PupilSpec { id: string; family: string; given: string; middle: string; birth: string; snils: string; grade: number }

const PUPILS: PupilSpec[] = [
  { id: DEMO_IDS.ivan, family: 'Синтетов', given: 'Иван', middle: 'Сергеевич', birth: '2012-03-05', snils: '12345678964', grade: 7 },
  { id: DEMO_IDS.maria, family: 'Синтетова', given: 'Мария', middle: 'Сергеевна', birth: '2015-09-21', snils: '98765432183', grade: 4 },
  { id: DEMO_IDS.petr, family: 'Посторонний', given: 'Пётр', middle: 'Ильич', birth: '2012-06-01', snils: '55566677750', grade: 7 },
];

const SUBJECTS = [
  { code: 'math', title: 'Математика' },
  { code: 'rus', title: 'Русский язык' },
];

/** Marks per pupil per subject: [raw, work type, weight]; weights make the R-13 average differ from the plain one. */
const MARKS: Record<string, Record<string, [string, string, number][]>> = {
  ivan: { math: [['5', 'test', 80], ['3', 'homework', 40], ['4', 'oral_answer', 60]], rus: [['4', 'dictation', 80], ['5', 'homework', 40]] },
  maria: { math: [['5', 'oral_answer', 60], ['5', 'test', 80]], rus: [['3', 'dictation', 80], ['5', 'oral_answer', 60]] },
  petr: { math: [['2', 'test', 80]], rus: [['2', 'dictation', 80]] },
};

export function demoSchoolRecords(): CanonicalRecord[] {
  const out: CanonicalRecord[] = [];
  const { school, year, q1, teacher } = DEMO_IDS;
  out.push(buildRecord('organization', { name: 'МБОУ «Синтетическая школа № 1»', type: 'school', timeZone: 'Europe/Samara', identifiers: [] }, opts(school, 'school')));
  out.push(buildRecord('academic_session', { title: '2025/2026 учебный год', kind: 'school_year', startDate: '2025-09-01', endDate: '2026-05-31', schoolYear: 2025, organizationId: school, isGradingPeriod: true }, opts(year, 'year')));
  out.push(buildRecord('academic_session', { title: '1 четверть', kind: 'quarter', startDate: '2025-09-01', endDate: '2025-10-26', schoolYear: 2025, parentId: year, organizationId: school, sequence: 1, isGradingPeriod: true }, opts(q1, 'quarter')));
  out.push(buildRecord('person', { familyName: 'Учителева', givenName: 'Анна', middleName: 'Ивановна', enabled: true, emails: [], phones: [], identifiers: [] }, opts(teacher, 'teacher')));
  for (const p of PUPILS) {
    out.push(buildRecord('person', {
      familyName: p.family, givenName: p.given, middleName: p.middle, birthDate: p.birth, enabled: true, gradeLevel: p.grade, emails: [], phones: [],
      identifiers: [{ kind: 'snils', value: p.snils, verified: true }],
    }, opts(p.id, 'pupil')));
    out.push(buildRecord('role_assignment', { personId: p.id, organizationId: school, role: 'student', isPrimary: true }, opts(naturalId('demo', 'role', p.id), 'role')));
  }
  for (const grade of [7, 4]) {
    const homeroom = naturalId('demo', 'class', grade);
    out.push(buildRecord('homeroom_class', { gradeLevel: grade, letter: 'А', title: `${grade}А`, academicYearId: year, organizationId: school, classTeacherId: teacher }, opts(homeroom, 'class')));
    for (const s of SUBJECTS) {
      const subject = naturalId('demo', 'subject', s.code);
      if (grade === 7) out.push(buildRecord('subject', { code: s.code, title: s.title, organizationId: school, schoolYear: 2025, gradeLevels: [] }, opts(subject, 'subject')));
      const section = naturalId('demo', 'section', grade, s.code);
      out.push(buildRecord('section', { homeroomClassId: homeroom, subjectId: subject, weeklyHours: 4, academicYearId: year, periods: [q1], title: `${s.title}, ${grade}А`, scaleCode: 'ru5' }, opts(section, 'section')));
      out.push(buildRecord('enrollment', { personId: teacher, sectionId: section, role: 'teacher', isPrimary: true, beginDate: '2025-09-01' }, opts(naturalId('demo', 'enr', teacher, section), 'enrollment')));
      const pupils = PUPILS.filter((p) => p.grade === grade);
      for (const p of pupils) out.push(buildRecord('enrollment', { personId: p.id, sectionId: section, role: 'student', isPrimary: true, beginDate: '2025-09-01' }, opts(naturalId('demo', 'enr', p.id, section), 'enrollment')));
      for (let i = 0; i < 3; i++) {
        const date = `2025-09-${String(8 + i * 7).padStart(2, '0')}`;
        const lesson = lessonId(section, date, 2);
        out.push(buildRecord('lesson', {
          sectionId: section, date, lessonNumber: 2, topic: `${s.title}: тема ${i + 1}`, scheduledTeacherId: teacher, lessonStatus: 'held',
          homework: i === 2 ? { notAssigned: true, attachments: [] } : { text: `${s.title}: упражнения ${i * 10 + 1}–${i * 10 + 5}`, notAssigned: false, attachments: [], dueDate: `2025-09-${String(15 + i * 7).padStart(2, '0')}` },
          recordedAt: `${date}T09:00:00Z`, recordedBy: teacher,
        }, opts(lesson, 'lesson')));
        for (const p of pupils) {
          const key = p.id === DEMO_IDS.ivan ? 'ivan' : p.id === DEMO_IDS.maria ? 'maria' : 'petr';
          const m = MARKS[key][s.code][i];
          if (m) {
            const work = workId(lesson, m[1]);
            if (!out.some((r) => r.id === work)) {
              out.push(buildRecord('work', { sectionId: section, lessonId: lesson, workTypeCode: m[1], title: m[1], assignedDate: date, gradingPeriodId: q1, scaleId: naturalId('demo', 'scale') }, opts(work, 'work')));
            }
            out.push(buildRecord('mark', {
              studentId: p.id, workId: work, lessonId: lesson, slot: 1, raw: m[0], base: Number(m[0]), modifier: 'none', numeric: Number(m[0]), state: 'graded',
              weightApplied: m[2], markDate: date, recordedAt: `${date}T10:00:00Z`, recordedBy: teacher,
            }, opts(markId(p.id, lesson, 1), 'mark')));
          }
          if (i === 1 && key !== 'maria') {
            out.push(buildRecord('attendance_record', { studentId: p.id, lessonId: lesson, kind: 'absent', reason: 'illness', rawCode: 'Б', recordedAt: `${date}T09:05:00Z`, recordedBy: teacher }, opts(attendanceId(p.id, lesson), 'attendance')));
          }
        }
      }
      for (const p of pupils) {
        out.push(buildRecord('final_mark', { studentId: p.id, sectionId: section, kind: 'quarter', periodId: q1, raw: p.id === DEMO_IDS.petr ? '2' : '4', base: p.id === DEMO_IDS.petr ? 2 : 4, recordedAt: '2025-10-27T10:00:00Z', recordedBy: teacher }, opts(finalMarkId(p.id, section, 'quarter', q1), 'final')));
      }
    }
  }
  return out;
}
