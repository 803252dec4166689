// Mapper unit tests on small synthetic payloads: every quirk issue 5 lists (platforms.md §3.5).
import { describe, expect, it } from 'vitest';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { markBody, logEntryBody } from '../../src/mappers/dnevnik/write-bodies.js';
import { schoolYearOfPeriods } from '../../src/mappers/dnevnik/school-year.js';
import type { MapContext } from '../../src/connectors/mapping.js';
import { dnevnikDeclaration } from '../../src/connectors/dnevnik/index.js';

const ref = JSON.stringify({ workTypes: { 7: ['oral_answer', 60], 8: ['test', 80] }, periods: { 100: ['Quarter', 1], 101: ['HalfYear', 1], 102: ['Year', 1] } });
const ctx = (ids: Record<string, string> = {}): MapContext => ({
  system: 'dnevnik_ru', instance: 'unit', timeZone: 'Europe/Samara', fetchedAt: '2026-09-10T00:00:00Z', runId: 'u', mapperVersion: 'dnevnik-1',
  ids: { ref, lessonTeachers: JSON.stringify({ 555: '77', 556: '78' }), subjectTeachers: JSON.stringify({ 20: '77' }), ...ids }, resolve: (e, id) => (e === 'lesson' && id === '555' ? '00000000-0000-4000-8000-000000000555' : undefined),
});
const mark = (over: Record<string, unknown>) => ({ id_str: '900', type: 'mark5', value: '4', textValue: '4', person_str: '1', work_str: '2', lesson_str: '555', number: 1, date: '2026-09-07T00:00:00', workType: 7, mood: 'Good', ...over });
const marks = (...items: unknown[]) => dnevnikMapper('edu-groups/{g}/marks/{from}/{to}', items, ctx());

describe('Дневник.ру mapper: marks', () => {
  it('a mark is recorded by its lesson\'s teacher (the substitute when there is one), never by the pupil', () => {
    const [m] = marks(mark({})).records as unknown as { recordedBy: string; studentId: string }[];
    const teacher = dnevnikMapper('schools/{id}/teachers', [{ IdStr: '77', FirstName: 'Т', LastName: 'Т' }], ctx({ school: '1' })).records[0];
    expect(m.recordedBy).toBe(teacher.id);
    expect(m.recordedBy).not.toBe(m.studentId);
    const lost = dnevnikMapper('edu-groups/{g}/marks/{from}/{to}', [mark({ lesson_str: '999' })], ctx());
    expect(lost.records).toEqual([]);
    expect(lost.quarantine[0]).toMatchObject({ sourceId: '900', field: 'lesson_str' });
  });
  it('value and textValue are strings under a mark system: "5-" keeps its raw form beside base and modifier', () => {
    const { records, quarantine } = marks(mark({ value: '5', textValue: '5-' }));
    expect(quarantine).toEqual([]);
    expect(records[0]).toMatchObject({ raw: '5-', base: 5, modifier: 'minus', numeric: 4.75, state: 'graded', weightApplied: 60, markDate: '2026-09-07', slot: 1 });
    expect(records[0]).toMatchObject({ lessonId: '00000000-0000-4000-8000-000000000555' }); // lesson from the crosswalk
  });
  it('mood is the platform\'s classification only: it never changes the mark', () => {
    expect(marks(mark({ mood: 'Bad' })).records[0]).toMatchObject({ base: 4 });
  });
  it('an owed mark («точка», type point) is state owed with no base and no number (R-13)', () => {
    expect(marks(mark({ type: 'point', value: '.', textValue: '.' })).records[0]).toMatchObject({ raw: '.', base: null, numeric: null, state: 'owed' });
  });
  it('an unknown mark system goes to quarantine with R-08, never dropped', () => {
    const r = marks(mark({ type: 'mark10', value: '9' }));
    expect(r.records).toEqual([]);
    expect(r.quarantine[0]).toMatchObject({ sourceId: '900', field: 'type', ruleId: 'R-08' });
  });
  it('value and textValue that disagree are quarantined', () => {
    expect(marks(mark({ value: '3', textValue: '5' })).quarantine[0]).toMatchObject({ field: 'textValue', ruleId: 'R-08' });
  });
  it('a second mark of the same pupil on the same work is a retake pointing at the first (R-09 b)', () => {
    const { records } = marks(mark({}), mark({ id_str: '901', number: 2, value: '3', textValue: '3' }));
    const [first, second] = records as unknown as { id: string; retakeOfMarkId?: string }[];
    expect(second.retakeOfMarkId).toBe(first.id);
    expect(first.retakeOfMarkId).toBeUndefined();
  });
  it('marks of one pupil in two columns of one lesson (an oral answer and a test) are two marks, slots 1 and 2; a third is quarantined', () => {
    // Mark.number counts within a column: both are "first". They once shared one canonical id, and one was lost.
    const oral = mark({ id_str: '910', work_str: '30', workType: 7, value: '5', textValue: '5' });
    const test = mark({ id_str: '911', work_str: '31', workType: 8, value: '3', textValue: '3' });
    const { records, quarantine } = marks(test, oral);
    expect(quarantine).toEqual([]);
    const bySlot = Object.fromEntries((records as unknown as { slot: number; raw: string; id: string; retakeOfMarkId?: string }[]).map((r) => [r.slot, r]));
    expect([bySlot[1].raw, bySlot[2].raw]).toEqual(['5', '3']); // the earlier column first
    expect(bySlot[1].id).not.toBe(bySlot[2].id);
    expect(bySlot[2].retakeOfMarkId).toBeUndefined(); // two work types (R-09 a), not a retake
    const third = marks(oral, test, mark({ id_str: '912', work_str: '32', workType: 7, value: '4', textValue: '4' }));
    expect(third.records).toHaveLength(2);
    expect(third.quarantine).toEqual([expect.objectContaining({ sourceId: '912', field: 'work_str', ruleId: 'R-09' })]);
  });
  it('a record without its int64 twin goes to quarantine with the field named', () => {
    const r = marks({ ...mark({}), person_str: undefined, person: 1234567890123456800 });
    expect(r.quarantine[0].field).toBe('0.person_str');
  });
});

describe('Дневник.ру mapper: the cell a line that could not be mapped may hide (journal deletes leave it alone)', () => {
  it('a mark failing its check names its pupil and lesson, as the mark would have been mapped; one without a lesson, its pupil', () => {
    const m = marks(mark({})).records.find((r) => r.entity === 'mark') as unknown as { studentId: string; lessonId: string };
    const cell = { studentId: m.studentId, lessonId: m.lessonId };
    for (const bad of [mark({ type: 'mark10' }), mark({ textValue: '11', value: '11' }), mark({ workType: 99 })]) {
      expect(marks(bad).quarantine).toEqual([expect.objectContaining({ holds: cell })]);
    }
    expect(marks(mark({ lesson_str: null })).quarantine).toEqual([expect.objectContaining({ holds: { studentId: cell.studentId } })]);
    expect(marks(mark({ date: 'вчера' })).quarantine).toEqual([expect.objectContaining({ holds: cell })]);
  });
  it('a work column that does not read hides no mark (a mark carries its own work type); a lesson that does not read, its lesson', () => {
    const lesson = (over: Record<string, unknown>) => ({ id_str: '555', date: '2026-09-07T00:00:00', number: 2, subject: { id_str: '20' }, group: { id_str: '10' }, teachersStr: ['77'], status: 'Held', ...over });
    const work = { id_str: '2', workType: 99, markType: 'Mark5', lesson_str: '555', eduGroup_str: '10', subjectId_str: '20', periodType: 'Quarter', periodNumber: 1 };
    const route = 'edu-groups/{g}/lessons/{from}/{to}';
    expect(dnevnikMapper(route, [lesson({ works: [work, { ...work, id_str: 'два' }] })], ctx()).quarantine.map((q) => q.holds)).toEqual(['none', 'none']);
    expect(dnevnikMapper(route, [lesson({ number: 99 })], ctx()).quarantine.map((q) => q.holds)).toEqual([{ lessonId: '00000000-0000-4000-8000-000000000555' }]);
  });
});

describe('Дневник.ру mapper: other quirks', () => {
  it('log entries: Attend makes no record; Absent, Ill, Pass, Late map; local createdDate is read in School.timeZone', () => {
    const e = (status: string, person: string) => ({ person_str: person, lesson_str: '555', status, createdDate: '2026-09-07T08:15:00' });
    const { records } = dnevnikMapper('lesson-log-entries/group/{g}', [e('Attend', '1'), e('Absent', '2'), e('Ill', '3'), e('Pass', '4'), e('Late', '5')], ctx());
    expect(records.map((r) => [(r as { kind?: string }).kind, (r as { reason?: string }).reason])).toEqual([
      ['absent', 'unknown'], ['absent', 'illness'], ['absent', 'excused'], ['late', 'unknown']]);
    expect(records[0]).toMatchObject({ recordedAt: '2026-09-07T04:15:00.000Z', rawCode: 'Absent' }); // Samara = UTC+4
  });
  it('final marks: hyphenated keys, kind from the reporting period type', () => {
    const payload = [{ person_str: '1', group_str: '10', reportingPeriod_str: '101', 'per-subject-final-marks': [
      { subject_str: '20', 'final-mark': { type: 'mark5', value: '5', date: '2026-12-27T16:00:00' } },
      { subject_str: '21', 'final-mark': { type: 'mark5' } },
    ] }];
    const r = dnevnikMapper('edu-groups/{g}/final-marks', payload, ctx());
    expect(r.records[0]).toMatchObject({ kind: 'half_year', raw: '5', base: 5, recordedAt: '2026-12-27T12:00:00.000Z' });
    expect(r.quarantine[0].field).toBe('per-subject-final-marks.1.final-mark');
    // Set by the subject's teacher; with no lessons read, by the account the gateway read with.
    const other = [{ ...payload[0], 'per-subject-final-marks': [{ subject_str: '22', 'final-mark': { type: 'mark5', value: '4', date: '2026-12-27T16:00:00' } }] }];
    expect(dnevnikMapper('edu-groups/{g}/final-marks', other, ctx()).quarantine[0]).toMatchObject({ field: 'per-subject-final-marks.0.subject_str' });
    const byReader = dnevnikMapper('edu-groups/{g}/final-marks', other, ctx({ reader: '5' })).records[0] as unknown as { recordedBy: string };
    expect(byReader.recordedBy).toBe(dnevnikMapper('schools/{id}/teachers', [{ IdStr: '5', FirstName: 'А', LastName: 'А' }], ctx()).records[0].id);
  });
  it('final marks of a Trimester or a Module period are grading-period marks (kind quarter) of that period, not quarantined', () => {
    const periods = { ...JSON.parse(ref).periods, 103: ['Trimester', 1], 104: ['Module', 2] };
    const withPeriods = ctx({ ref: JSON.stringify({ ...JSON.parse(ref), periods }) });
    for (const id of ['103', '104']) {
      const payload = [{ person_str: '1', group_str: '10', reportingPeriod_str: id, 'per-subject-final-marks': [{ subject_str: '20', 'final-mark': { type: 'mark5', value: '4', date: '2026-11-30T16:00:00' } }] }];
      const r = dnevnikMapper('edu-groups/{g}/final-marks', payload, withPeriods);
      expect(r.quarantine).toEqual([]);
      expect(r.records[0]).toMatchObject({ kind: 'quarter', raw: '4' });
    }
  });
  it('teachers come in PascalCase', () => {
    const r = dnevnikMapper('schools/{id}/teachers', [{ IdStr: '42', FirstName: 'Анна', LastName: 'Учителева', MiddleName: 'Петровна', Sex: 'Female' }], ctx());
    expect(r.records[0]).toMatchObject({ familyName: 'Учителева', givenName: 'Анна', middleName: 'Петровна', sex: 'female' });
  });
  it('edu-groups: a Subgroup becomes a section of its parent class with the subgroup label', () => {
    const g = (id: string, type: string, name: string, parents: string[] = []) => ({ id_str: id, type, name, parentIds_str: parents, parallel: 5, studyyear: 2026, subjects: [{ id_str: '20', name: 'Английский язык' }] });
    const r = dnevnikMapper('schools/{id}/edu-groups', [g('10', 'Group', '5А'), g('11', 'Subgroup', '1 группа', ['10'])], ctx({ yearPeriod: '102' }));
    expect(r.records.map((s) => (s as { title?: string }).title)).toEqual(['5А Английский язык', '5А Английский язык (1 группа)']);
    expect((r.records[1] as { subgroup?: string }).subgroup).toBe('1 группа');
    expect((r.records[0] as { homeroomClassId: string }).homeroomClassId).toBe((r.records[1] as { homeroomClassId: string }).homeroomClassId);
  });
  it('a school whose periods have no Year (quarters only, as platforms.md lists them): the year is their span, and classes and sections hang off it', () => {
    const quarters = [1, 2, 3, 4].map((n) => ({ id_str: `30${n}`, start: `${['2025-09-01', '2025-11-05', '2026-01-12', '2026-04-01'][n - 1]}T00:00:00`, finish: `${['2025-10-26', '2025-12-28', '2026-03-22', '2026-05-26'][n - 1]}T00:00:00`, number: n, type: 'Quarter', name: `${n} четверть`, year: 2026 }));
    const periods = dnevnikMapper('edu-groups/{id}/reporting-periods', quarters, ctx({ school: '1' }));
    expect(periods.quarantine).toEqual([]);
    const year = periods.records.find((r) => (r as { kind?: string }).kind === 'school_year') as { id: string; startDate: string; endDate: string; schoolYear: number } | undefined;
    expect(year).toMatchObject({ startDate: '2025-09-01', endDate: '2026-05-26', schoolYear: 2026 });
    expect(schoolYearOfPeriods(quarters, 'Europe/Samara')?.sourceId).toBe('year:2026');
    // Before, every class and section was quarantined: "no Year reporting period".
    const g = { id_str: '10', type: 'Group', name: '5А', parentIds_str: [], parallel: 5, studyyear: 2026, subjects: [{ id_str: '20', name: 'Математика' }] };
    const groups = dnevnikMapper('schools/{id}/edu-groups', [g], ctx({ id: '1', yearPeriod: 'year:2026' }));
    expect(groups.quarantine).toEqual([]);
    expect(groups.records.map((r) => [r.entity, (r as { academicYearId?: string }).academicYearId])).toEqual([['homeroom_class', year!.id], ['section', year!.id]]);
  });
  it('the year of periods sent as instants opens on the school\'s day, not on the UTC day their first ten characters name', () => {
    // 00:00 on 1 September in Samara is 20:00 on 31 August in UTC; the connector reads the raw pages (yearStart).
    const quarter = (n: number, start: string, finish: string) => ({ id_str: `40${n}`, start, finish, number: n, type: 'Quarter', name: `${n} четверть`, year: 2026 });
    const periods = [quarter(1, '2025-08-31T20:00:00Z', '2025-10-25T20:00:00Z'), quarter(4, '2026-03-31T20:00:00.000Z', '2026-05-25T20:00:00Z')];
    expect(schoolYearOfPeriods(periods, 'Europe/Samara')).toMatchObject({ start: '2025-09-01', end: '2026-05-26', year: 2026, fromPlatform: false });
    const year = { id_str: '402', start: '2025-08-31T21:00:00Z', finish: '2026-05-30T21:00:00Z', number: 1, type: 'Year', name: 'Год', year: 2026 };
    expect(schoolYearOfPeriods([year], 'Europe/Moscow')).toMatchObject({ start: '2025-09-01', end: '2026-05-31', fromPlatform: true });
    // A wall time without an offset is its own day, as before.
    expect(schoolYearOfPeriods([{ ...year, start: '2025-09-01T00:00:00', finish: '2026-05-31T00:00:00' }], 'Asia/Yekaterinburg')).toMatchObject({ start: '2025-09-01', end: '2026-05-31' });
  });
  it('reporting periods sent with Z or a UTC offset are mapped, their days the school\'s, not quarantined', () => {
    // Before, the schema took only the local form: such a period was quarantined as a schema mismatch.
    const period = (id: string, start: string, finish: string, type = 'Quarter', number = 1) => ({ id_str: id, start, finish, number, type, name: `${type} ${number}`, year: 2026 });
    const payload = [
      // Samara (UTC+4): 20:00 UTC on 31 August is 1 September there; 21:00 UTC on 26 October is 27 October there.
      period('501', '2025-08-31T20:00:00Z', '2025-10-26T21:00:00Z'),
      // Moscow midnight is 01:00 in Samara, the same day; a Samara offset is its own day.
      period('502', '2025-11-05T00:00:00+03:00', '2025-12-28T23:59:59+04:00', 'Quarter', 2),
      period('503', '2025-09-01T00:00:00+0300', '2026-05-31T00:00:00', 'Year'),
    ];
    const r = dnevnikMapper('edu-groups/{id}/reporting-periods', payload, ctx({ school: '1' }));
    expect(r.quarantine).toEqual([]);
    const days = Object.fromEntries(r.records.map((x) => { const p = x as unknown as { title: string; startDate: string; endDate: string; schoolYear: number }; return [p.title, [p.startDate, p.endDate, p.schoolYear]]; }));
    expect(days).toEqual({ 'Quarter 1': ['2025-09-01', '2025-10-27', 2026], 'Quarter 2': ['2025-11-05', '2025-12-28', 2026], 'Year 1': ['2025-09-01', '2026-05-31', 2026] });
  });
  it('a reporting period with a malformed stamp is still quarantined, the field named', () => {
    const ok = { id_str: '601', start: '2025-09-01T00:00:00', finish: '2025-10-26T00:00:00', number: 1, type: 'Quarter', name: '1', year: 2026 };
    for (const [field, value] of [['start', '01.09.2025'], ['finish', '2025-10-26 00:00'], ['start', '2025-09-01+04:00'], ['finish', '2025-10-26T00:00:00+4'],
      // Lower-case: localDayOf would read it as a wall time and place 20:00 UTC on 31 August, not on 1 September in Samara.
      ['start', '2025-08-31t20:00:00z']] as const) {
      const r = dnevnikMapper('edu-groups/{id}/reporting-periods', [{ ...ok, [field]: value }], ctx({ school: '1' }));
      expect(r.records, `${field} ${value}`).toEqual([]);
      expect(r.quarantine, `${field} ${value}`).toMatchObject([{ sourceId: '601', field: `0.${field}` }]);
      expect(r.quarantine[0].reason).toContain(`${field}: expected a date-time, local or with Z or a UTC offset`);
    }
  });
  it('the school: timeZone is an hour offset', () => {
    expect(dnevnikMapper('schools/{id}', { id_str: '1', name: 'Школа', timeZone: 4 }, ctx()).records[0]).toMatchObject({ timeZone: 'Europe/Samara' });
  });
  it('an undeclared route is a quarantine line, not a crash', () => {
    expect(dnevnikMapper('users/me/feed', {}, ctx()).quarantine[0].reason).toMatch(/no mapper/);
  });
  it('every declared read route is mapped or declared context-only', () => {
    for (const r of dnevnikDeclaration.routes.filter((x) => x.method === 'GET')) {
      expect(dnevnikMapper(r.name, [], ctx()).quarantine.filter((q) => /no mapper/.test(q.reason)), r.name).toEqual([]);
    }
  });
});

describe('Дневник.ру write bodies (one place, [U] for the mark body)', () => {
  it('a mark body carries the mark system, the digit, the raw text and the slot', () => {
    expect(markBody({ state: 'graded', raw: '4+', base: 4, slot: 2, markDate: '2026-09-07' })).toEqual({ type: 'mark5', value: '4', textValue: '4+', number: 2, date: '2026-09-07T00:00:00' });
  });
  it('an owed or exempt mark is sent with the one value its mark system lists, whatever its raw text (an empty «точка» was sent as "")', () => {
    expect(markBody({ state: 'owed', raw: '', base: null, slot: 1, markDate: '2026-09-07' })).toMatchObject({ type: 'point', value: '.', textValue: '' });
    expect(markBody({ state: 'exempt', raw: 'ОСВ', base: null, slot: 1, markDate: '2026-09-07' })).toMatchObject({ type: 'exempt', value: 'осв', textValue: 'ОСВ' });
  });
  it('a log entry body carries the status of the attendance record', () => {
    expect(logEntryBody({ kind: 'absent', reason: 'unexcused' }, { person: '1', lesson: '2' }, '2026-09-07T08:00:00')).toMatchObject({ status: 'Absent' });
  });
});
