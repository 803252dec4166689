// A lesson's homework from its homework-type columns (src/mappers/asurso/homework.ts): the text and due day come in as
// the lesson's homework; a column's marks stay its work's marks, never lost, never doubled; a column for marks only
// (no name, or a work type's own name) is no homework text.
import { describe, expect, it } from 'vitest';
import { asursoMapper } from '../../src/mappers/asurso/index.js';
import type { MapContext } from '../../src/connectors/mapping.js';
import { lessonId, workId, sourceScopedId } from '../../src/model/ids.js';
import { parseRecord, type CanonicalRecord } from '../../src/model/records.js';

const REF = JSON.stringify({ types: { 3: 'homework', 21: 'oral_answer' }, maxMark: 5 });
const ctx = (ids: Record<string, string> = {}): MapContext => ({
  system: 'asu_rso', instance: 'asurso.test', timeZone: 'Europe/Samara', fetchedAt: '2026-09-08T10:00:00.000Z', runId: 'unit', mapperVersion: 'asurso-2',
  ids: { sgId: '40001', termId: '5001', ref: REF, ...ids },
});
const sid = (entity: string, id: string | number) => sourceScopedId('asu_rso', 'asurso.test', entity, String(id));
const of = (rs: CanonicalRecord[], e: string) => rs.filter((r) => r.entity === e) as (CanonicalRecord & Record<string, unknown>)[];
const LID = lessonId(sid('section', 40001), '2026-09-07', 2);

/** One class meeting of `grade/journal` with the given columns. */
const page = (assignments: unknown[]) => ({
  journals: [{ subjectGroupId: 40001, students: [501, 502], classMeeting: [{
    id: 7001, date: '2026-09-07T00:00:00', scheduleTimeNumber: 2, startTime: '09:00', endTime: '09:45', lessonTheme: 'Дроби', teacherId: 9,
    assignments, attendance: [],
  }] }],
  markSettings: { minMark: 1, maxMark: 5 },
});
const hw = (id: number, assignmentName: string, dueDate: string | null, results: unknown[] = []) =>
  ({ id, typeId: 3, assignmentName, weight: 40, dueDate, results });
const read = (assignments: unknown[]) => {
  const res = asursoMapper('grade/journal', page(assignments), ctx());
  expect(res.quarantine).toEqual([]);
  for (const r of res.records) parseRecord(r);
  return { lesson: of(res.records, 'lesson')[0], works: of(res.records, 'work'), marks: of(res.records, 'mark') };
};

describe('АСУ РСО mapper: a lesson\'s homework is its homework-type column', () => {
  it('a column nobody has a mark in: the lesson\'s homework (text, due day), and no work', () => {
    const { lesson, works } = read([hw(9101, ' № 12, 14 (с. 45) ', '2026-09-09T00:00:00')]);
    expect(lesson.homework).toEqual({ text: '№ 12, 14 (с. 45)', notAssigned: false, dueDate: '2026-09-09', attachments: [] });
    expect(works).toEqual([]);
  });

  it('a homework with marks is both: the lesson\'s homework, and a work holding each mark once', () => {
    const { lesson, works, marks } = read([hw(9101, '§ 5, вопросы 1–3', '2026-09-09T00:00:00', [{ studentId: 501, mark: 5 }, { studentId: 502, mark: null, dutyMark: true }])]);
    expect(lesson.homework).toMatchObject({ text: '§ 5, вопросы 1–3', dueDate: '2026-09-09' });
    expect(works.map((w) => [w.id, w.workTypeCode, w.title])).toEqual([[workId(LID, 'homework'), 'homework', '§ 5, вопросы 1–3']]);
    expect(marks.map((m) => [m.raw, m.slot, m.workId])).toEqual([['5', 1, workId(LID, 'homework')], ['.', 1, workId(LID, 'homework')]]);
  });

  it('a column named by its type, or by nothing, carries marks and no text: a work as before, and no homework', () => {
    for (const name of ['Домашнее задание', ' домашнее  задание ', '', '   ']) {
      const { lesson, works, marks } = read([hw(9102, name, '2026-09-07T00:00:00', [{ studentId: 501, mark: 4 }])]);
      expect(lesson.homework, JSON.stringify(name)).toBeUndefined();
      expect(works.map((w) => w.id)).toEqual([workId(LID, 'homework')]);
      expect(marks.map((m) => m.raw)).toEqual(['4']);
    }
    // Without marks such a column is still a (markless) work, as every column was: nothing is taken for a text.
    expect(read([hw(9102, 'Домашнее задание', null)]).works).toHaveLength(1);
  });

  it('the homework checked today (a marked column) and the homework set today (a text column) side by side: one work, its marks, the new text', () => {
    const { lesson, works, marks } = read([
      hw(9102, 'Домашнее задание', '2026-09-07T00:00:00', [{ studentId: 501, mark: 3 }]),
      { id: 9103, typeId: 21, assignmentName: 'Ответ на уроке', weight: 60, results: [{ studentId: 502, mark: 5 }] },
      hw(9104, 'Упр. 7, с. 20', '2026-09-09T00:00:00'),
    ]);
    expect(lesson.homework).toEqual({ text: 'Упр. 7, с. 20', notAssigned: false, dueDate: '2026-09-09', attachments: [] });
    expect(works.map((w) => w.workTypeCode)).toEqual(['homework', 'oral_answer']);
    expect(marks.map((m) => [m.raw, m.slot])).toEqual([['3', 1], ['5', 1]]);
  });

  it('two texts on one lesson: one a line, due on the first due day given; no due day → none', () => {
    expect(read([hw(9101, 'Выучить правило', null), hw(9102, '№ 3', '2026-09-10T00:00:00')]).lesson.homework)
      .toEqual({ text: 'Выучить правило\n№ 3', notAssigned: false, dueDate: '2026-09-10', attachments: [] });
    expect(read([hw(9101, 'Выучить правило', null)]).lesson.homework).toEqual({ text: 'Выучить правило', notAssigned: false, attachments: [] });
  });

  it('«Не задано» has no form in NetSchool: a lesson without a homework column has no homework', () => {
    expect(read([]).lesson.homework).toBeUndefined();
  });

  it('grade/journal/edit reads the same homework', () => {
    const { classMeeting } = page([]).journals[0];
    const { assignments: _a, attendance: _b, ...lesson } = classMeeting[0];
    const res = asursoMapper('grade/journal/edit', { lesson, attendance: [], assignments: [hw(9101, '№ 1', '2026-09-09T00:00:00')], moduleQA: null }, ctx());
    expect(of(res.records, 'lesson')[0].homework).toMatchObject({ text: '№ 1', dueDate: '2026-09-09' });
    expect(of(res.records, 'work')).toEqual([]);
  });

  it('the diary: a homework the child has no mark in is no work; one with the child\'s mark is, with the mark', () => {
    const diary = {
      weekStart: '2026-09-07T00:00:00', weekEnd: '2026-09-13T00:00:00',
      weekDays: [{ date: '2026-09-07T00:00:00', lessons: [{
        classmeetingId: 7001, day: '2026-09-07T00:00:00', number: 2, startTime: '09:00', endTime: '09:45', subjectName: 'Алгебра',
        assignments: [
          { id: 9102, typeId: 3, assignmentName: 'Домашнее задание', weight: 40, dueDate: '2026-09-07T00:00:00', mark: { assignmentId: 9102, studentId: 501, mark: 4, dutyMark: false } },
          { id: 9104, typeId: 3, assignmentName: 'Упр. 7, с. 20', weight: 40, dueDate: '2026-09-09T00:00:00' },
        ],
      }] }],
    };
    const res = asursoMapper('student/diary', diary, ctx({ studentId: '501', sg: JSON.stringify({ Алгебра: '40001' }) }));
    expect(res.quarantine).toEqual([]);
    expect(of(res.records, 'work').map((w) => w.title)).toEqual(['Домашнее задание']);
    expect(of(res.records, 'mark').map((m) => m.raw)).toEqual(['4']);
  });
});
