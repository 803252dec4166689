// Mapper unit tests on small synthetic payloads: every quirk the issue lists (platforms.md §1.5, §1.6, §1.8).
import { describe, expect, it } from 'vitest';
import { letterOf } from '../../src/mappers/asurso/codes.js';
import { workTypeByCode } from '../../src/model/work-types.js';
import { asursoMapper } from '../../src/mappers/asurso/index.js';
import { diaryStudents, DiaryInit } from '../../src/connectors/asurso/schemas.js';
import type { MapContext } from '../../src/connectors/mapping.js';
import { lessonId, markId, workId, sourceScopedId } from '../../src/model/ids.js';
import { parseRecord, type CanonicalRecord } from '../../src/model/records.js';

const REF = JSON.stringify({ types: { 3: 'homework', 21: 'oral_answer', 7: 'test' }, maxMark: 5 });
const ctx = (ids: Record<string, string> = {}): MapContext => ({
  system: 'asu_rso', instance: 'asurso.test', timeZone: 'Europe/Samara', fetchedAt: '2026-09-08T10:00:00.000Z', runId: 'unit', mapperVersion: 'asurso-1',
  ids: { sgId: '40001', termId: '5001', ref: REF, ...ids },
});
const sid = (entity: string, id: string | number) => sourceScopedId('asu_rso', 'asurso.test', entity, String(id));
const of = (rs: CanonicalRecord[], e: string) => rs.filter((r) => r.entity === e) as (CanonicalRecord & Record<string, unknown>)[];

const meeting = (over: Record<string, unknown> = {}) => ({
  id: 7001, date: '2026-09-07T00:00:00', scheduleTimeNumber: 2, startTime: '09:00', endTime: '09:45', lessonTheme: 'Дроби', teacherId: 9,
  assignments: [], attendance: [], ...over,
});
const journal = (meetings: unknown[], maxMark = 5) => ({ journals: [{ subjectGroupId: 40001, students: [501, 502], classMeeting: meetings }], markSettings: { minMark: 1, maxMark } });

describe('АСУ РСО mapper: grade/journal', () => {
  it('integer marks, dutyMark «точка» (owed, base null), a cleared cell skipped, per-assignment weight; every record valid', () => {
    const res = asursoMapper('grade/journal', journal([meeting({
      assignments: [
        { id: 9001, typeId: 7, assignmentName: 'Контрольная работа', weight: 90, results: [{ studentId: 501, mark: 5 }, { studentId: 502, mark: null, dutyMark: true }] },
        { id: 9002, typeId: 21, assignmentName: 'Ответ на уроке', weight: 60, results: [{ studentId: 501, mark: 4 }, { studentId: 502, mark: null }] },
      ],
    })]), ctx());
    expect(res.quarantine).toEqual([]);
    const marks = of(res.records, 'mark');
    expect(marks.map((m) => [m.raw, m.base, m.numeric, m.state, m.slot, m.weightApplied])).toEqual([
      ['5', 5, 5, 'graded', 1, 90], ['.', null, null, 'owed', 1, 90], ['4', 4, 4, 'graded', 2, 60],
    ]);
    const lid = lessonId(sid('section', 40001), '2026-09-07', 2);
    expect(marks[2].workId).toBe(workId(lid, 'oral_answer'));
    expect(marks[2].retakeOfMarkId).toBeUndefined(); // slot 2 on another work is no retake
    for (const r of res.records) parseRecord(r);
  });

  it('grade/journal/edit names «точка» `duty` (§1.6): it is an owed mark, not dropped', () => {
    const { assignments, attendance, ...lesson } = meeting({
      assignments: [{ id: 9001, typeId: 7, assignmentName: 'КР', weight: 90, results: [{ studentId: 501, mark: null, duty: true }, { studentId: 502, mark: 4 }] }],
    }) as ReturnType<typeof meeting> & { assignments: unknown[]; attendance: unknown[] };
    const res = asursoMapper('grade/journal/edit', { attendance, assignments, lesson, moduleQA: null }, ctx());
    expect(res.quarantine).toEqual([]);
    expect(of(res.records, 'mark').map((m) => [m.raw, m.state])).toEqual([['.', 'owed'], ['4', 'graded']]);
  });

  it('a pupil\'s first mark set aside (R-12 weight) keeps its slot: the second mark is slot 2, never the first one\'s id', () => {
    const res = asursoMapper('grade/journal', journal([meeting({
      assignments: [
        { id: 9001, typeId: 7, assignmentName: 'КР', weight: 150, results: [{ studentId: 501, mark: 3 }] },
        { id: 9002, typeId: 21, assignmentName: 'Ответ', weight: 60, results: [{ studentId: 501, mark: 5 }] },
      ],
    })]), ctx());
    expect(res.quarantine).toEqual([expect.objectContaining({ sourceId: '9001', ruleId: 'R-12' })]);
    const lid = lessonId(sid('section', 40001), '2026-09-07', 2);
    expect(of(res.records, 'mark').map((m) => [m.raw, m.slot, m.id])).toEqual([['5', 2, markId(sid('person', 501), lid, 2)]]);
  });

  it('a second column of the same type holding a pupil\'s second mark is a retake of the first (R-09 b)', () => {
    const res = asursoMapper('grade/journal', journal([meeting({
      assignments: [
        { id: 9001, typeId: 7, assignmentName: 'Контрольная работа', weight: 90, results: [{ studentId: 501, mark: 2 }] },
        { id: 9003, typeId: 7, assignmentName: 'Контрольная работа', weight: 90, results: [{ studentId: 501, mark: 4, date: '2026-09-10T00:00:00' }] },
      ],
    })]), ctx());
    const [first, retake] = of(res.records, 'mark');
    expect(retake.retakeOfMarkId).toBe(first.id);
    // The column is the meeting's; the result's own date is when the retake was set.
    expect(retake.markDate).toBe('2026-09-07');
    expect(retake.recordedAt).toBe('2026-09-09T20:00:00.000Z');
    expect(of(res.records, 'work')).toHaveLength(2); // the same canonical work, emitted from both columns
    expect(new Set(of(res.records, 'work').map((w) => w.id)).size).toBe(1);
  });

  it('ОТ is an unexcused absence (canonical-model.md §A.3.2) and is written back as ОТ; an absence with no reason yet is written as ОТ', () => {
    expect(letterOf({ kind: 'absent', reason: 'unexcused', rawCode: 'ОТ' })).toBe('ОТ');
    expect(letterOf({ kind: 'absent', reason: 'unexcused' })).toBe('НП');
    expect(letterOf({ kind: 'absent', reason: 'unknown', rawCode: 'н' })).toBe('ОТ');
    expect(letterOf({ kind: 'absent', reason: 'excused', rawCode: 'ОТ' })).toBe('УП'); // the reason changed since: not ОТ
  });
  it('attendance letters УП, Б, НП, ОТ, ОП, ОСВ; an unknown letter goes to quarantine with its reason', () => {
    const letters = ['УП', 'Б', 'НП', 'ОТ', 'ОП', 'ОСВ', 'Ж'];
    const res = asursoMapper('grade/journal', journal([meeting({ attendance: letters.map((reason, i) => ({ studentId: 500 + i, reason })) })]), ctx());
    expect(of(res.records, 'attendance_record').map((a) => [a.rawCode, a.kind, a.reason])).toEqual([
      ['УП', 'absent', 'excused'], ['Б', 'absent', 'illness'], ['НП', 'absent', 'unexcused'], ['ОТ', 'absent', 'unexcused'],
      ['ОП', 'late', 'unknown'], ['ОСВ', 'absent', 'excused'],
    ]);
    expect(res.quarantine).toEqual([expect.objectContaining({ field: 'reason', rawValue: 'Ж', reason: expect.stringMatching(/unknown attendance letter/) })]);
  });

  it('dates without offset are the school\'s wall time (Europe/Samara, UTC+4): the calendar date is never shifted', () => {
    const res = asursoMapper('grade/journal', journal([meeting({ date: '2026-09-07T00:00:00', endTime: '09:45' })]), ctx());
    const [lesson] = of(res.records, 'lesson');
    expect(lesson.date).toBe('2026-09-07');
    expect(lesson.recordedAt).toBe('2026-09-07T05:45:00.000Z');
    const moscow = asursoMapper('grade/journal', journal([meeting()]), { ...ctx(), timeZone: 'Europe/Moscow' });
    expect(of(moscow.records, 'lesson')[0].recordedAt).toBe('2026-09-07T06:45:00.000Z');
  });

  it('marks outside 1…maxMark and weights outside 0…100 go to quarantine with the rule; a malformed cell never sinks the page', () => {
    const res = asursoMapper('grade/journal', journal([meeting({
      assignments: [
        { id: 9001, typeId: 7, assignmentName: 'КР', weight: 90, results: [{ studentId: 501, mark: 7 }, { studentId: 502, mark: 'пять' }, { studentId: 503, mark: 3 }] },
        { id: 9002, typeId: 21, assignmentName: 'Ответ', weight: 250, results: [{ studentId: 501, mark: 4 }] },
        { id: 9004, typeId: 999, assignmentName: '?', weight: 10, results: [] },
      ],
    })]), ctx());
    expect(of(res.records, 'mark')).toHaveLength(1);
    expect(res.quarantine.map((q) => q.ruleId ?? q.field).sort()).toEqual(['9001.results.1.mark', 'R-08', 'R-12', 'typeId']);
    // Each line names what it may hide (journal deletes leave it alone): a mark's line its pupil's cell, a column's the lesson.
    const lessonId = of(res.records, 'lesson')[0].id;
    const cell = (pupil: number) => [{ studentId: sid('person', pupil), lessonId }];
    const holds = Object.fromEntries(res.quarantine.map((q) => [q.ruleId ?? q.field, q.holds]));
    expect(holds).toEqual({ 'R-08': cell(501), '9001.results.1.mark': cell(502), 'R-12': [{ lessonId }], typeId: [{ lessonId }] });
  });

  it('a line of a meeting the platform moved holds its cell in the lesson it is linked to as well: its stored marks are there', () => {
    const before = '00000000-0000-4000-8000-0000000000b1'; // the lesson the meeting was read as before it moved
    const moved = { ...ctx(), resolve: (entity: string, id: string) => (entity === 'lesson' && id === '7001' ? before : undefined) };
    const res = asursoMapper('grade/journal', journal([meeting({
      assignments: [{ id: 9001, typeId: 7, assignmentName: 'КР', weight: 90, results: [{ studentId: 501, mark: 7 }] }],
    })]), moved);
    const lessonId = of(res.records, 'lesson')[0].id;
    expect(res.quarantine.map((q) => q.holds)).toEqual([[{ studentId: sid('person', 501), lessonId }, { studentId: sid('person', 501), lessonId: before }]]);
    // A meeting failing its schema: the lesson its day and number name, and the one its id is linked to.
    const failed = asursoMapper('grade/journal', journal([meeting({ teacherId: 'кто-то' })]), moved);
    expect(failed.quarantine[0].holds).toEqual([{ lessonId }, { lessonId: before }]);
  });

  it('a class meeting failing its schema names its lesson when its day and number still read; without them, nothing', () => {
    const good = asursoMapper('grade/journal', journal([meeting()]), ctx());
    const lessonId = of(good.records, 'lesson')[0].id;
    expect(asursoMapper('grade/journal', journal([meeting({ teacherId: 'кто-то' })]), ctx()).quarantine).toEqual([expect.objectContaining({ holds: [{ lessonId }] })]);
    expect(asursoMapper('grade/journal', journal([meeting({ date: 'вчера' })]), ctx()).quarantine[0].holds).toBeUndefined();
  });

  it('a journal page limited to ids.from…ids.to leaves out lessons outside the window; a broken envelope is one quarantine line', () => {
    const res = asursoMapper('grade/journal', journal([meeting(), meeting({ id: 7002, date: '2026-09-14T00:00:00' })]), ctx({ from: '2026-09-01', to: '2026-09-10' }));
    expect(of(res.records, 'lesson')).toHaveLength(1);
    const bad = asursoMapper('grade/journal', { journals: 'нет' }, ctx());
    expect(bad.records).toEqual([]);
    expect(bad.quarantine).toHaveLength(1);
    expect(bad.quarantine[0].reason).toMatch(/asurso grade\/journal: payload does not match/);
  });
});

describe('АСУ РСО mapper: roster routes', () => {
  it('subjectgroups → sections (title from `5ж/Русский язык`, subgroup) and teachers; studentList → pupils with the grade', () => {
    const groups = [
      { id: 40001, name: '10Б/Алгебра', classId: 2001, className: '10Б', subjectId: 3001, subjectName: 'Алгебра', subgroupName: null, teachers: [{ id: 9, lastName: 'Петрова', firstName: 'Анна', middleName: 'Сергеевна' }] },
      { id: 40002, name: '10Б/Английский язык (1 группа)', classId: 2001, className: '10Б', subjectId: 3002, subjectName: 'Английский язык', subgroupName: '1 группа', teachers: [] },
    ];
    const res = asursoMapper('subjectgroups', groups, ctx({ yearId: '84301' }));
    expect(of(res.records, 'section').map((s) => [s.title, s.subgroup, s.academicYearId])).toEqual([
      ['10Б Алгебра', undefined, sid('academic_session', 84301)], ['10Б Английский язык (1 группа)', '1 группа', sid('academic_session', 84301)],
    ]);
    expect(of(res.records, 'person')[0]).toMatchObject({ familyName: 'Петрова', givenName: 'Анна', middleName: 'Сергеевна' });
    const pupils = asursoMapper('grade/studentList', [{ id: 501, lastName: 'Иванов', firstName: 'Иван', middleName: null }], ctx({ grade: '10' }));
    expect(of(pupils.records, 'person')[0]).toMatchObject({ gradeLevel: 10, familyName: 'Иванов' });
    expect(of(pupils.records, 'person')[0].middleName).toBeUndefined();
  });
});

describe('АСУ РСО diary (parent/student routes, §1.5)', () => {
  const init = (students: unknown, currentStudentId: number | null) => DiaryInit.parse({ students, currentStudentId });
  const kids = [{ studentId: 501, nickName: 'Иванов Иван' }, { studentId: 777, nickName: 'Иванова Мария' }];

  it('students as a list or as an object keyed by index; currentStudentId as an id or as an index', () => {
    expect(diaryStudents(init(kids, 777)).current?.studentId).toBe(777);
    expect(diaryStudents(init(kids, 1)).current?.studentId).toBe(777);
    expect(diaryStudents(init({ 0: kids[0], 1: kids[1] }, 0)).current?.studentId).toBe(501);
    expect(diaryStudents(init({ 1: kids[1], 0: kids[0] }, 777)).students.map((s) => s.studentId)).toEqual([501, 777]);
    expect(asursoMapper('student/diary/init', { students: kids, currentStudentId: 0 }, ctx())).toEqual({ records: [], quarantine: [] });
  });

  it('holidays: a week without `weekDays` maps to nothing, without error', () => {
    expect(asursoMapper('student/diary', { weekStart: '2026-11-02T00:00:00', weekEnd: '2026-11-08T00:00:00', termName: null }, ctx({ studentId: '501' }))).toEqual({ records: [], quarantine: [] });
  });

  it('a diary week → the child\'s marks (integer, dutyMark, per-assignment weight), placed in the section through ids.sg', () => {
    const diary = {
      weekStart: '2026-09-07T00:00:00', weekEnd: '2026-09-13T00:00:00',
      weekDays: [{ date: '2026-09-07T00:00:00', lessons: [{
        classmeetingId: 7001, day: '2026-09-07T00:00:00', number: 2, startTime: '09:00', endTime: '09:45', subjectName: 'Алгебра',
        assignments: [
          { id: 9001, typeId: 7, assignmentName: 'КР', weight: 90, mark: { assignmentId: 9001, studentId: 501, mark: null, dutyMark: true } },
          { id: 9002, typeId: 3, assignmentName: 'ДЗ', weight: 40, mark: { assignmentId: 9002, studentId: 501, mark: 5, dutyMark: false } },
          { id: 9005, typeId: 21, assignmentName: 'Ответ', weight: 60 },
        ],
      }] }],
    };
    const res = asursoMapper('student/diary', diary, ctx({ studentId: '501', sg: JSON.stringify({ Алгебра: '40001' }) }));
    expect(res.quarantine).toEqual([]);
    const lid = lessonId(sid('section', 40001), '2026-09-07', 2);
    expect(of(res.records, 'mark').map((m) => [m.id, m.raw, m.state, m.weightApplied])).toEqual([
      [markId(sid('person', 501), lid, 1), '.', 'owed', 90], [markId(sid('person', 501), lid, 2), '5', 'graded', 40],
    ]);
  });
});

describe('АСУ РСО mapper: the diary where the server hides weights and sets a mark aside', () => {
  it('a mark without `weight` (diary/init.weight false, §1.8) takes its work type\'s weight, not 0; a mark set aside keeps its slot', () => {
    const diary = {
      weekStart: '2026-09-07T00:00:00', weekEnd: '2026-09-13T00:00:00',
      weekDays: [{ date: '2026-09-07T00:00:00', lessons: [{
        classmeetingId: 7001, day: '2026-09-07T00:00:00', number: 2, startTime: '09:00', endTime: '09:45', subjectName: 'Алгебра',
        assignments: [
          { id: 9001, typeId: 7, assignmentName: 'КР', mark: { assignmentId: 9001, studentId: 501, mark: 9, dutyMark: false } },
          { id: 9002, typeId: 21, assignmentName: 'Ответ', mark: { assignmentId: 9002, studentId: 501, mark: 5, dutyMark: false } },
        ],
      }] }],
    };
    const res = asursoMapper('student/diary', diary, ctx({ studentId: '501', sg: JSON.stringify({ Алгебра: '40001' }) }));
    expect(res.quarantine).toEqual([expect.objectContaining({ field: 'mark.mark', ruleId: 'R-08' })]);
    const lid = lessonId(sid('section', 40001), '2026-09-07', 2);
    expect(of(res.records, 'mark').map((m) => [m.id, m.slot, m.weightApplied])).toEqual([[markId(sid('person', 501), lid, 2), 2, workTypeByCode('oral_answer')!.weight]]);
  });
});

describe('АСУ РСО mapper: routes', () => {
  it('a route without a mapper is a quarantine line naming it; context-only routes map to nothing', () => {
    expect(asursoMapper('mail/messages/send', {}, ctx()).quarantine[0].reason).toMatch(/has no mapper/);
    expect(asursoMapper('grade/journal/assignments/types/weights', [{ typeId: 3, weight: 40 }], ctx())).toEqual({ records: [], quarantine: [] });
  });
});
