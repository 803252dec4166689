import { describe, expect, it } from 'vitest';
import { attendanceId, type CanonicalRecord, lessonId, markId, naturalId, workId } from '../../src/model/index.js';
import { validateRecords } from '../../src/model/rules/index.js';
import { SchoolFixture } from '../support/fixtures.js';

/** Clones the fixture's template records into a large school without re-validating each copy. */
function bigSchool(sections: number, lessons: number, pupils: number): CanonicalRecord[] {
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

describe('rules at scale', () => {
  it('validateRecords over ~500k records runs in seconds (Map lookups, no O(n²))', () => {
    const records = bigSchool(50, 300, 30);
    expect(records.length).toBeGreaterThan(480_000);
    const t0 = performance.now();
    const violations = validateRecords(records, { now: '2025-12-30T12:00:00Z' });
    const seconds = (performance.now() - t0) / 1000;
    // lessons fall in Q1 only: every pupil of every section lacks marks in Q2 and nothing else is wrong
    expect(new Set(violations.map((v) => v.ruleId))).toEqual(new Set(['R-11']));
    // … plus the template pupil of the template section, with no marks in Q1 or Q2
    expect(violations).toHaveLength(50 * 30 + 2);
    console.info(`validateRecords: ${records.length} records in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(20);
  });
});
