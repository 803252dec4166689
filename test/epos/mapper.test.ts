// Mapper unit tests on small synthetic payloads: every quirk issue 4 lists (platforms.md §2.6).
import { describe, expect, it } from 'vitest';
import { eposMapper } from '../../src/mappers/epos/index.js';
import { attendanceBody, markBody } from '../../src/mappers/epos/write-bodies.js';
import { readIsoDateTime } from '../../src/mappers/epos/dates.js';
import { eposDeclaration } from '../../src/connectors/epos/index.js';
import type { MapContext } from '../../src/connectors/mapping.js';

const LESSON = '00000000-0000-4000-8000-000000000555';
const ref = JSON.stringify({
  controlForms: { 501: 'Ответ на уроке', 502: 'Контрольная работа' }, subgroups: { 32: '1 группа' }, groupClass: { 31: 2001 },
  periods: { 2001: [[41, '2026-09-01', '2026-10-24'], [42, '2026-11-05', '2026-12-28']] },
});
const ctx = (ids: Record<string, string> = {}): MapContext => ({
  system: 'epos', instance: 'unit', timeZone: 'Asia/Yekaterinburg', fetchedAt: '2026-09-10T00:00:00Z', runId: 'u', mapperVersion: 'epos-1',
  ids: { ref, academicYear: '13', ...ids }, resolve: (e, id) => (e === 'lesson' && id === '555' ? LESSON : undefined),
});
const mark = (over: Record<string, unknown> = {}) => ({
  id: 900, name: '4', weight: 80, teacher_id: 7, comment: null, schedule_lesson_id: 555, student_profile_id: 1, is_exam: false, is_point: false,
  point_date: null, group_id: 31, control_form_id: 502, date: '07.09.2026', created_at: '2026-09-07T10:00:00.000+05:00',
  values: [{ grade: { origin: '4', five: 4, hundred: 80 }, nmax: 5 }], ...over,
});
const marksAndWorks = (...items: unknown[]) => eposMapper('core/api/marks', items, ctx());
/** The mark records only (the derived work columns are checked on their own). */
const marks = (...items: unknown[]) => { const r = marksAndWorks(...items); return { ...r, records: r.records.filter((x) => x.entity === 'mark') }; };

describe('ЭПОС mapper: marks', () => {
  it('the work column is derived from the marks once per lesson × control form, in the attestation period covering the date', () => {
    const { records } = marksAndWorks(mark({ id: 1 }), mark({ id: 2, student_profile_id: 2 }), mark({ id: 3, student_profile_id: 3, schedule_lesson_id: 556, date: '07.11.2026' }));
    const works = records.filter((r) => r.entity === 'work') as unknown as { workTypeCode: string; title: string; assignedDate: string; gradingPeriodId: string }[];
    expect(works).toHaveLength(2);
    expect(works[0]).toMatchObject({ workTypeCode: 'test', title: 'Контрольная работа', assignedDate: '2026-09-07' });
    expect(works[0].gradingPeriodId).not.toBe(works[1].gradingPeriodId);
    expect(marks(mark({ date: '01.08.2026' })).quarantine[0]).toMatchObject({ field: 'group_id' });
  });
  it('multi-scale values: the МЭШ shape grade{origin, five, hundred} — "5-" keeps its raw form beside base and modifier', () => {
    const { records, quarantine } = marks(mark({ values: [{ grade: { origin: '5-', five: 4.75, hundred: 95 } }] }));
    expect(quarantine).toEqual([]);
    expect(records[0]).toMatchObject({ raw: '5-', base: 5, modifier: 'minus', numeric: 4.75, state: 'graded', slot: 1, lessonId: LESSON });
  });
  it('multi-scale values: the ЭПОС shape {original, five, hundred, nmax} reads the same', () => {
    expect(marks(mark({ values: [{ original: '3', five: 3, hundred: 60, nmax: 5 }] })).records[0]).toMatchObject({ raw: '3', base: 3 });
  });
  it('a mark on a 10- or 100-point scale is quarantined (R-08), not read as a five-point mark («4» of 10 is a 2)', () => {
    for (const v of [{ original: '4', five: 2, hundred: 40, nmax: 10 }, { grade: { origin: '5', five: 1, hundred: 5 }, nmax: 100 }]) {
      const r = marks(mark({ values: [v] }));
      expect(r.records).toEqual([]);
      expect(r.quarantine).toEqual([expect.objectContaining({ field: 'values.0.nmax', ruleId: 'R-08' })]);
    }
  });
  it('without nmax (the МЭШ shape) the platform\'s own five-point value still tells another scale: quarantined (R-08), never a five-point mark', () => {
    const quarantined = [
      { grade: { origin: '4', five: 2, hundred: 40 } }, // «4» of 10
      { grade: { origin: '8', five: 4, hundred: 80 } }, // «8» of 10: not a five-point mark, whatever `five` says
      { original: '3', five: 1.5, hundred: 30, nmax: null },
    ];
    for (const v of quarantined) {
      const r = marks(mark({ values: [v] }));
      expect(r.records, JSON.stringify(v)).toEqual([]);
      expect(r.quarantine).toEqual([expect.objectContaining({ field: 'values.0.original', ruleId: 'R-08', reason: expect.stringMatching(/another scale/) })]);
    }
    // A modifier is not another scale, however the platform counts it; a word takes the platform's whole five.
    expect(marks(mark({ values: [{ grade: { origin: '5-', five: 4.5, hundred: 90 } }] })).records[0]).toMatchObject({ raw: '5-', base: 5, modifier: 'minus' });
    expect(marks(mark({ values: [{ grade: { origin: 'отл', five: 5, hundred: 100 } }] })).records[0]).toMatchObject({ raw: 'отл', base: 5 });
  });
  it('a «точка»\'s point_date is its column\'s due date (it was dropped, and a push made one up)', () => {
    const works = marksAndWorks(mark({ is_point: true, point_date: '14.09.2026', values: [{ grade: { origin: '', five: null, hundred: null } }] })).records.filter((r) => r.entity === 'work');
    expect(works).toEqual([expect.objectContaining({ dueDate: '2026-09-14' })]);
  });
  it('the weight is the mark\'s own control-form weight; dd.mm.yyyy dates; created_at with an offset is an instant', () => {
    expect(marks(mark()).records[0]).toMatchObject({ weightApplied: 80, markDate: '2026-09-07', recordedAt: '2026-09-07T05:00:00.000Z' });
  });
  it('is_point is a «точка»: owed, no base, never in the average (R-13)', () => {
    const r = marks(mark({ is_point: true, point_date: '14.09.2026', values: [{ grade: { origin: '', five: null, hundred: null } }] })).records[0];
    expect(r).toMatchObject({ state: 'owed', raw: '', base: null, numeric: null });
  });
  it('an entry that does not parse is read from `five` when that is a whole mark, else quarantined with R-08', () => {
    expect(marks(mark({ values: [{ original: 'хор', five: 4, hundred: 80 }] })).records[0]).toMatchObject({ raw: 'хор', base: 4 });
    expect(marks(mark({ values: [{ original: 'зач', five: null }] })).quarantine[0]).toMatchObject({ field: 'values.0.original', ruleId: 'R-08' });
  });
  it('two marks of one pupil in one lesson are slots 1 and 2 by id; the same control form makes the second a retake (R-09 b)', () => {
    const same = marks(mark({ id: 902, values: [{ original: '5' }] }), mark({ id: 901 })).records as unknown as { id: string; slot: number; retakeOfMarkId?: string; raw: string }[];
    const one = same.find((m) => m.slot === 1)!;
    expect(one.raw).toBe('4');
    expect(same.find((m) => m.slot === 2)!.retakeOfMarkId).toBe(one.id);
    const other = marks(mark({ id: 901 }), mark({ id: 902, control_form_id: 501 })).records as unknown as { slot: number; retakeOfMarkId?: string }[];
    expect(other.find((m) => m.slot === 2)!.retakeOfMarkId).toBeUndefined();
  });
  it('one mark listed twice (its paged list shifted between two page requests) is one mark in slot 1, as last read — not a retake of itself', () => {
    const twice = marks(mark({ id: 901 }), mark({ id: 901, values: [{ original: '5' }] }));
    expect(twice.quarantine).toEqual([]);
    expect(twice.records).toHaveLength(1);
    expect(twice.records[0]).toMatchObject({ slot: 1, raw: '5' });
    expect((twice.records[0] as { retakeOfMarkId?: string }).retakeOfMarkId).toBeUndefined();
    // With a real second mark beside it, the repeated one still counts once: slots 1 and 2, no third-mark quarantine.
    const withRetake = marks(mark({ id: 901 }), mark({ id: 902 }), mark({ id: 901 }));
    expect(withRetake.quarantine).toEqual([]);
    expect((withRetake.records as unknown as { slot: number }[]).map((m) => m.slot).sort()).toEqual([1, 2]);
  });
  it('a control form missing from ids.ref and a record without its pupil go to quarantine with the field named', () => {
    expect(marks(mark({ control_form_id: 999 })).quarantine[0]).toMatchObject({ field: 'control_form_id' });
    expect(marks({ ...mark(), student_profile_id: undefined }).quarantine[0].field).toBe('0.student_profile_id');
  });
  it('a mark date in the other format (YYYY-MM-DD) is a schema error naming the field', () => {
    expect(marks(mark({ date: '2026-09-07' })).quarantine[0].field).toBe('0.date');
  });
});

describe('ЭПОС mapper: the cell a line that could not be mapped may hide (journal deletes leave it alone)', () => {
  const cellOf = (r: { records: unknown[] }) => { const m = r.records[0] as { studentId: string; lessonId: string }; return { studentId: m.studentId, lessonId: m.lessonId }; };
  it('a mark failing its check names its pupil and lesson, as the mark would have been mapped', () => {
    const cell = cellOf(marks(mark()));
    expect(cell.lessonId).toBe(LESSON);
    for (const bad of [mark({ values: [{ original: '4', five: 2, hundred: 40, nmax: 10 }] }), mark({ control_form_id: 999 }), mark({ date: '01.08.2026' })]) {
      expect(marks(bad).quarantine).toEqual([expect.objectContaining({ holds: cell })]);
    }
  });
  it('a mark failing its schema names what its raw ids still tell; an id that is not an id is left out, so the hold grows', () => {
    const cell = cellOf(marks(mark()));
    expect(marks(mark({ weight: 500 })).quarantine[0].holds).toEqual(cell);
    expect(marks(mark({ student_profile_id: 'один' })).quarantine[0].holds).toEqual({ lessonId: LESSON });
    // An id of the right form in the field the record failed on is not trusted either: ЭПОС ids are positive.
    expect(marks(mark({ schedule_lesson_id: 0 })).quarantine[0].holds).toEqual({ studentId: cell.studentId });
    expect(marks(mark({ student_profile_id: null, schedule_lesson_id: null })).quarantine[0].holds).toBeUndefined();
  });
  it('a homework entry that cannot be read hides no mark or absence', () => {
    const r = eposMapper('core/api/student_homeworks', [{ id: 3, homework_entry: { id: 4, description: 'упр. 5', homework: { group_id: 31, date_assigned_on: 'вчера', date_prepared_for: '08.09.2026' } } }], ctx());
    expect(r.quarantine).toEqual([expect.objectContaining({ holds: 'none' })]);
  });
  it('a homework page that cannot be read hides no mark or absence; a marks page that cannot be read names no cell', () => {
    expect(eposMapper('core/api/student_homeworks', { not: 'a list' }, ctx()).quarantine).toEqual([expect.objectContaining({ route: 'core/api/student_homeworks', holds: 'none' })]);
    expect(eposMapper('core/api/marks', { not: 'a list' }, ctx()).quarantine[0].holds).toBeUndefined();
  });
  it('an absence with an unknown reason names its cell', () => {
    const r = eposMapper('core/api/attendances', [{ id: 5, schedule_lesson_id: 555, student_profile_id: 1, absence_reason_id: 99, created_at: '2026-09-07T10:00:00.000+05:00', teacher_id: 7 }], ctx());
    expect(r.quarantine).toEqual([expect.objectContaining({ holds: cellOf(marks(mark())) })]);
  });
});

describe('ЭПОС mapper: schedule, absences, roster', () => {
  const item = (over: Record<string, unknown>) => ({ id: 555, date: '2026-09-07', study_ordinal: 2, duration: 40, group_id: 32, subject_id: 102, teacher_id: 7, replaced: false, cancelled: false, lesson_name: 'Тема', ...over });
  it('iso_date_time with Z is UTC, without an offset it is Perm wall time (UTC+5): both give the same lesson', () => {
    const a = eposMapper('jersey/api/schedule_items', [item({ iso_date_time: '2026-09-07T03:50:00.000Z' })], ctx()).records[0];
    const b = eposMapper('jersey/api/schedule_items', [item({ iso_date_time: '2026-09-07T08:50:00.000' })], ctx()).records[0];
    expect(a).toMatchObject({ startTime: '08:50', endTime: '09:30', subgroup: '1 группа', lessonNumber: 2, topic: 'Тема' });
    expect(a.id).toBe(b.id);
    expect(a.contentHash).toBe(b.contentHash);
    expect(readIsoDateTime('2026-09-07T22:30:00Z', 'Asia/Yekaterinburg').date).toBe('2026-09-08');
  });
  it('an instant that falls on another school day than `date` is quarantined, not guessed', () => {
    const r = eposMapper('jersey/api/schedule_items', [item({ iso_date_time: '2026-09-07T22:30:00Z' })], ctx());
    expect(r.quarantine[0]).toMatchObject({ field: 'iso_date_time' });
  });
  it('a substitute and a cancelled lesson', () => {
    const r = eposMapper('jersey/api/schedule_items', [item({ iso_date_time: '2026-09-07T08:50:00', replaced: true, replacement_teacher_id: 8, cancelled: true })], ctx()).records[0];
    expect(r).toMatchObject({ lessonStatus: 'cancelled' });
    expect((r as { substituteTeacherId?: string }).substituteTeacherId).toBeDefined();
  });
  it('absences: every absence_reason_id maps; an unknown one is quarantined', () => {
    const a = (reason: number) => ({ id: reason, schedule_lesson_id: 555, student_profile_id: reason, absence_reason_id: reason, created_at: '2026-09-07T08:10:00Z', teacher_id: 7 });
    const r = eposMapper('core/api/attendances', [1, 2, 3, 4, 5, 9].map(a), ctx());
    expect(r.records.map((x) => [(x as { kind?: string }).kind, (x as { reason?: string }).reason])).toEqual([
      ['absent', 'excused'], ['absent', 'unexcused'], ['absent', 'illness'], ['absent', 'unknown'], ['late', 'unknown']]);
    expect(r.quarantine[0]).toMatchObject({ field: 'absence_reason_id', rawValue: 9 });
  });
  it('groups: a whole-class group with subgroup_ids is a container; each subgroup is a section titled after it', () => {
    const g = (id: number, name: string, subgroups: number[] = []) => ({ id, name, subject_id: 102, class_unit_ids: [2001], student_ids: [], subgroup_ids: subgroups });
    const r = eposMapper('jersey/api/groups', [g(30, '5А Английский язык', [32]), g(32, '1 группа')], ctx());
    expect(r.records.map((s) => [(s as { title?: string }).title, (s as { subgroup?: string }).subgroup])).toEqual([['5А Английский язык (1 группа)', '1 группа']]);
  });
  it('control forms carry the work-type weight; an unknown one is quarantined', () => {
    const cf = (id: number, name: string) => ({ id, name, weight: 75, grade_system_id: 1, grade_system: { name: 'Пятибалльная', type: 'five' } });
    const r = eposMapper('core/api/control_forms', [cf(1, 'Проект'), cf(2, 'Прыжки в длину')], ctx());
    expect(r.records[0]).toMatchObject({ code: 'project', weight: 75 });
    expect(r.quarantine[0]).toMatchObject({ field: 'name' });
  });
  it('an undeclared route is a quarantine line; every declared read route is mapped or context-only', () => {
    expect(eposMapper('core/api/rooms', [], ctx()).quarantine[0].reason).toMatch(/no mapper/);
    for (const r of eposDeclaration.routes.filter((x) => x.method === 'GET')) {
      expect(eposMapper(r.name, [], ctx()).quarantine.filter((q) => /no mapper/.test(q.reason)), r.name).toEqual([]);
    }
  });
});

describe('ЭПОС write bodies (one place, [A] МЭШ teacher script)', () => {
  it('a mark body carries grade_origins, the five-point system and the weight; a «точка» gets a dd.mm.yyyy point_date', () => {
    const t = { student: 1, lesson: 555, controlForm: 502 };
    expect(markBody({ state: 'graded', raw: '4+', weightApplied: 80, markDate: '2026-09-07' }, t)).toMatchObject({
      student_profile_id: 1, schedule_lesson_id: 555, control_form_id: 502, weight: 80, is_point: false, point_date: null,
      grade_origins: [{ grade_origin: '4+', grade_system_id: 1 }], grade_system_type: 'five', valuesByIds: { 1: '4+' },
    });
    expect(markBody({ state: 'owed', raw: '.', weightApplied: 80, markDate: '2026-09-07' }, t)).toMatchObject({ is_point: true, point_date: '14.09.2026' });
  });
  it('an absence body carries the reason id of the canonical kind and reason', () => {
    expect(attendanceBody({ kind: 'absent', reason: 'illness' }, { student: 1, lesson: 2 })).toEqual({ schedule_lesson_id: 2, student_profile_id: 1, absence_reason_id: 3, absence_reason: 'Болезнь' });
    expect(attendanceBody({ kind: 'late', reason: 'unknown', minutesLate: 5 }, { student: 1, lesson: 2 })).toMatchObject({ absence_reason_id: 5, late_minutes: 5 });
  });
});

describe('ЭПОС mapper: pupil profiles', () => {
  const profile = {
    id: 1, last_name: 'Тестов', first_name: 'Тест', class_unit: { id: 2001, name: '5А', class_level_id: 5 },
    parents: [{ id: 3, last_name: 'Тестова', first_name: 'Мама', type: 'Мать' }, { id: 4, last_name: 'Тестов', first_name: 'Дед', type: 'Дедушка' }],
    final_marks: [{ id: 9, group_id: 31, subject_id: 101, value: '5', attestation_period: { id: 40, name: 'Год', type: 'year' }, created_at: '2026-05-29T17:00:00+05:00', teacher_id: 7 }],
  };
  it('pupil, parents with links, final marks; an unknown representative type is quarantined', () => {
    const r = eposMapper('core/api/student_profiles', [profile], ctx());
    expect(r.records.map((x) => x.entity)).toEqual(['person', 'person', 'guardian_link', 'final_mark']);
    expect(r.records[0]).toMatchObject({ gradeLevel: 5 });
    expect(r.records[3]).toMatchObject({ kind: 'year', raw: '5', base: 5, recordedAt: '2026-05-29T12:00:00.000Z' });
    expect(r.quarantine[0]).toMatchObject({ field: '1.parents.type', rawValue: 'Дедушка' });
  });
  it('a year mark belongs to the academic year its read is about, the session `core/api/academic_years` maps', () => {
    // Taken by its attestation period id (40 here), it named a session nobody maps: quarantined as an orphan.
    const ids = { academicYear: '13', school: '1201' };
    const year = eposMapper('core/api/academic_years', [{ id: 13, name: '2025/2026', begin_date: '2025-09-01', end_date: '2026-05-31', calendar_id: 1, current_year: true }], ctx(ids)).records[0];
    const mark = eposMapper('core/api/student_profiles', [profile], ctx({ ...ids, roster: '0' })).records[0];
    expect(year.entity).toBe('academic_session');
    expect(mark).toMatchObject({ kind: 'year', periodId: year.id });
  });
  it('a finals-only read (ids.roster = 0) maps only the final marks', () => {
    expect(eposMapper('core/api/student_profiles', [profile], ctx({ roster: '0' })).records.map((x) => x.entity)).toEqual(['final_mark']);
  });
});

describe('ЭПОС mapper: memberships (no dates in the routes read: from the first day of the year [U])', () => {
  it('groups enroll their pupils, teacher profiles their groups; pupils, parents and teachers get their role', () => {
    const ids = { school: '1201', yearBegin: '2026-09-01' };
    const groups = eposMapper('jersey/api/groups', [{ id: 31, name: '5А Математика', subject_id: 101, class_unit_ids: [2001], student_ids: [1, 2], subgroup_ids: [] }], ctx(ids));
    expect(groups.records.filter((r) => r.entity === 'enrollment').map((r) => (r as { role?: string; beginDate?: string }).role)).toEqual(['student', 'student']);
    const teachers = eposMapper('core/api/teacher_profiles', [{ id: 7, last_name: 'Учителева', first_name: 'Анна', assigned_group_ids: [31] }], ctx(ids));
    expect(teachers.records.map((r) => r.entity)).toEqual(['person', 'role_assignment', 'enrollment']);
    expect(teachers.records[1]).toMatchObject({ role: 'subject_teacher', beginDate: '2026-09-01' });
    expect(teachers.records[2]).toMatchObject({ role: 'teacher', sectionId: groups.records[0].id });
    expect(eposMapper('core/api/teacher_profiles', [{ id: 7, last_name: 'У', first_name: 'А', assigned_group_ids: [31] }], ctx()).records.map((r) => r.entity)).toEqual(['person']);
  });
});
