import { describe, expect, it } from 'vitest';
import { ruleContext, validateRecords, weightedAverageFor, type RuleId, type RuleOptions } from '../../src/model/rules/index.js';
import { FIXTURE_NOW, SchoolFixture } from '../support/fixtures.js';

const check = (fx: SchoolFixture, rule: RuleId, opts: Partial<RuleOptions> = {}) =>
  validateRecords(fx.records, { now: FIXTURE_NOW, only: [rule], ...opts });
const ids = (vs: { id: string }[]) => vs.map((v) => v.id);

describe('B.2 marks', () => {
  it('R-07 puts every mark on a work of a held lesson, in the column of the lesson date', () => {
    const fx = new SchoolFixture();
    const held = fx.lesson({ date: '2025-09-08' });
    fx.mark(held, '5');
    expect(check(fx, 'R-07')).toEqual([]);
    const cancelled = fx.lesson({ date: '2025-09-09', lessonStatus: 'cancelled' });
    const onCancelled = fx.mark(cancelled, '4');
    const wrongDate = fx.mark(held, '3', { markDate: '2025-09-10', slot: 2, workTypeCode: 'test' });
    const orphan = fx.mark(held, '4', { workId: fx.nextId('work'), studentId: fx.pupil().id });
    const out = check(fx, 'R-07');
    expect(ids(out)).toEqual([onCancelled.id, wrongDate.id, orphan.id]);
    expect(out[0].message).toMatch(/непроведённом уроке/);
  });

  it('R-08 parses the raw mark under ru5 (^[1-5][+-]?$) and checks base and modifier', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    fx.mark(l, '5-');
    fx.mark(l, '', { slot: 2, workTypeCode: 'homework', state: 'owed', base: null, numeric: null, weightApplied: 0 });
    expect(check(fx, 'R-08')).toEqual([]);
    const p2 = fx.pupil('Тестов', 'Второй');
    const six = fx.mark(l, '6', { studentId: p2.id });
    const p3 = fx.pupil('Тестов', 'Третий');
    const wrongBase = fx.mark(l, '4+', { studentId: p3.id, base: 5 });
    const p4 = fx.pupil('Тестов', 'Четвёртый');
    const spaced = fx.mark(l, ' 5', { studentId: p4.id, base: 5, modifier: 'none', numeric: 5 });
    expect(ids(check(fx, 'R-08'))).toEqual([six.id, wrongBase.id, spaced.id]);
  });

  it('R-08 warns on a current «осв»: kept as the platform sent it, but the regulations forbid the record (seed 001 §5.3)', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    const osv = fx.mark(l, 'осв', { state: 'exempt', base: null, numeric: null, weightApplied: 0 });
    const out = check(fx, 'R-08');
    expect(out.map((v) => [v.id, v.severity])).toEqual([[osv.id, 'warn']]);
    expect(out[0].message).toContain('не допускается');
  });

  it('R-09 allows a second mark only for a different work type or a retake', () => {
    const fx = new SchoolFixture();
    const earlier = fx.lesson({ date: '2025-09-08' });
    const two = fx.mark(earlier, '2', { workTypeCode: 'test' });
    const l = fx.lesson({ date: '2025-09-15' });
    fx.mark(l, '5', { workTypeCode: 'oral_answer' });
    fx.mark(l, '4', { workTypeCode: 'homework', slot: 2 });
    const p2 = fx.pupil('Тестов', 'Пересдача');
    fx.mark(l, '3', { studentId: p2.id });
    fx.mark(l, '4', { studentId: p2.id, slot: 2, retakeOfMarkId: fx.mark(earlier, '2', { studentId: p2.id }).id });
    expect(check(fx, 'R-09')).toEqual([]);
    expect(two.base).toBe(2);

    const p3 = fx.pupil('Тестов', 'Дубль');
    fx.mark(l, '5', { studentId: p3.id });
    const sameType = fx.mark(l, '4', { studentId: p3.id, slot: 2 });
    const p4 = fx.pupil('Тестов', 'Тройка');
    const good = fx.mark(earlier, '4', { studentId: p4.id });
    fx.mark(l, '5', { studentId: p4.id });
    const notRetake = fx.mark(l, '5', { studentId: p4.id, slot: 2, retakeOfMarkId: good.id });
    // A third mark can only sit in a slot already taken (slots are 1 and 2).
    const third = fx.mark(l, '3', { studentId: p4.id, slot: 2, workTypeCode: 'test', recordedAt: '2025-09-15T11:00:00Z' }, { id: fx.nextId('third') });
    const out = check(fx, 'R-09');
    expect(out.map((v) => [v.ruleId, v.id])).toEqual([['R-09', sameType.id], ['R-09', third.id], ['R-09', notRetake.id]]);
  });

  it('R-09 refuses two marks in one slot of a cell: they share the natural key, so the store would keep only one', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson({ date: '2025-09-15' });
    const first = fx.mark(l, '5', { workTypeCode: 'oral_answer' });
    const second = fx.mark(l, '3', { workTypeCode: 'test', recordedAt: '2025-09-15T11:00:00Z' }, { id: fx.nextId('same-slot') });
    const out = check(fx, 'R-09');
    expect(out.map((v) => [v.id, v.severity])).toEqual([[second.id, 'block']]);
    expect(out[0].message).toContain(`уже занятое отметкой ${first.id}`);
  });

  it('R-10 refuses marks and final marks in the 1st grade', () => {
    const fx = new SchoolFixture({ gradeLevel: 1 });
    const l = fx.lesson();
    fx.attendance(l);
    expect(check(fx, 'R-10')).toEqual([]);
    const m = fx.mark(l, '5');
    const f = fx.finalMark({ raw: '5' });
    const out = check(fx, 'R-10');
    expect(out.map((v) => [v.entity, v.id])).toEqual([['mark', m.id], ['final_mark', f.id]]);
    expect(out[0].message).toMatch(/в 1 классе отметки не выставляются/);
    expect(out[0].message).toContain(fx.student.id);
    expect(check(new SchoolFixture({ gradeLevel: 2 }), 'R-10')).toEqual([]);
  });

  it('R-11 wants minMarks(weeklyHours) graded marks per pupil, section and ended quarter (minMarks(2) = 3)', () => {
    const fx = new SchoolFixture({ weeklyHours: 2 });
    const lazy = fx.pupil('Тестов', 'Мало');
    for (const d of ['2025-09-08', '2025-09-15', '2025-09-22']) {
      const l = fx.lesson({ date: d });
      fx.mark(l, '4');
      if (d !== '2025-09-22') fx.mark(l, '5', { studentId: lazy.id });
    }
    fx.mark(fx.lesson({ date: '2025-09-29' }), '', { studentId: lazy.id, state: 'owed', base: null, numeric: null, weightApplied: 0 });
    expect(check(fx, 'R-11')).toEqual([]); // the quarter is not over yet
    const after = '2025-10-27T09:00:00Z';
    const out = check(fx, 'R-11', { now: after });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ruleId: 'R-11', severity: 'warn', entity: 'section', id: fx.section.id, refs: { studentId: lazy.id, periodId: fx.q1.id } });
    expect(check(fx, 'R-11', { now: after, minMarks: [{ maxWeeklyHours: 10, minMarks: 2 }] })).toEqual([]);
    const heavy = new SchoolFixture({ weeklyHours: 5 });
    for (const d of ['2025-09-08', '2025-09-15', '2025-09-22']) heavy.mark(heavy.lesson({ date: d }), '5');
    expect(ids(check(heavy, 'R-11', { now: after }))).toEqual([heavy.section.id]); // 3 < 4 for a 5-hour load
  });

  it('R-12 applies the work type weight in force, or the override', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    fx.mark(l, '5', { workTypeCode: 'test', weightApplied: 80 });
    fx.add('work_type', { code: 'homework', nameRu: 'Домашнее задание', weight: 30, organizationId: fx.org.id });
    fx.mark(l, '4', { workTypeCode: 'homework', slot: 2, weightApplied: 30 });
    expect(check(fx, 'R-12')).toEqual([]);
    const p2 = fx.pupil('Тестов', 'Вес');
    const bad = fx.mark(l, '4', { studentId: p2.id, workTypeCode: 'homework', weightApplied: 40 });
    const out = check(fx, 'R-12');
    expect(ids(out)).toEqual([bad.id]);
    expect(out[0].message).toMatch(/действует вес 30/);
  });

  it('R-13 records numeric by the scale policy and keeps owed marks out of the weighted average', () => {
    const fx = new SchoolFixture();
    const l1 = fx.lesson({ date: '2025-09-08' });
    const l2 = fx.lesson({ date: '2025-09-10' });
    fx.mark(l1, '5-', { workTypeCode: 'test', weightApplied: 80 });
    fx.mark(l2, '3', { weightApplied: 60 });
    fx.mark(l2, '', { workTypeCode: 'homework', slot: 2, state: 'owed', base: null, numeric: null, weightApplied: 0 });
    expect(check(fx, 'R-13')).toEqual([]);
    const ctx = ruleContext(fx.records, { now: FIXTURE_NOW });
    expect(weightedAverageFor(ctx, fx.student.id, fx.section.id, fx.q1.startDate, fx.q1.endDate)).toBe(4);
    const p2 = fx.pupil('Тестов', 'Среднее');
    const bad = fx.mark(l1, '5-', { studentId: p2.id, workTypeCode: 'test', weightApplied: 80, numeric: 5 });
    expect(ids(check(fx, 'R-13'))).toEqual([bad.id]);
  });

  it('R-14 keeps absence and mark apart: an absence never blocks a mark, and an attendance code is not a mark', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    fx.mark(l, '5', { workTypeCode: 'test' });
    fx.attendance(l, { kind: 'absent', reason: 'unexcused', rawCode: 'Н' });
    expect(validateRecords(fx.records, { now: FIXTURE_NOW })).toEqual([]);
    const p2 = fx.pupil('Тестов', 'Энка');
    const code = fx.mark(l, 'Н', { studentId: p2.id, base: null, numeric: null });
    const all = validateRecords(fx.records, { now: FIXTURE_NOW });
    expect(all.filter((v) => v.ruleId === 'R-14').map((v) => v.id)).toEqual([code.id]);
    expect(all.filter((v) => v.ruleId === 'R-08')).toEqual([]);
  });
});
