// A large school made by cloning the fixture's template records (no re-validation per copy): the rules'
// scale test and bench/rules.ts share it.
import { attendanceId, type CanonicalRecord, lessonId, markId, naturalId, workId } from '../../src/model/index.js';
import { SchoolFixture } from './fixtures.js';

/** Clones the fixture's template records into a large school without re-validating each copy. */
export function bigSchool(sections: number, lessons: number, pupils: number): CanonicalRecord[] {
  const fx = new SchoolFixture();
  const l0 = fx.lesson();
  const m0 = fx.mark(l0, '4');
  const a0 = fx.attendance(l0);
  const w0 = fx.records.find((r) => r.entity === 'work')!;
  const e0 = fx.records.find((r) => r.entity === 'enrollment' && r.personId === fx.student.id)!;
  const out: CanonicalRecord[] = fx.records.filter((r) => !['lesson', 'mark', 'attendance_record', 'work'].includes(r.entity));
  for (let s = 0; s < sections; s++) {
    const sectionId = naturalId('perf-section', s);
    out.push({ ...fx.section, id: sectionId });
    const students = Array.from({ length: pupils }, (_, p) => naturalId('perf-pupil', s, p));
    for (const personId of students) out.push({ ...e0, id: naturalId('perf-enr', personId), personId, sectionId } as CanonicalRecord);
    for (let i = 0; i < lessons; i++) {
      const date = new Date(Date.UTC(2025, 8, 1 + (i % 50))).toISOString().slice(0, 10);
      const lessonNumber = Math.floor(i / 50) + 1;
      const lid = lessonId(sectionId, date, lessonNumber);
      out.push({ ...l0, id: lid, sectionId, date, lessonNumber });
      const wid = workId(lid, 'oral_answer');
      out.push({ ...w0, id: wid, sectionId, lessonId: lid } as CanonicalRecord);
      students.forEach((studentId, p) => {
        if ((p + i) % 3 === 0) out.push({ ...a0, id: attendanceId(studentId, lid), studentId, lessonId: lid });
        else out.push({ ...m0, id: markId(studentId, lid, 1), studentId, workId: wid, lessonId: lid, markDate: date });
      });
    }
  }
  return out;
}
