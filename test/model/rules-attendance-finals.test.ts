import { describe, expect, it } from 'vitest';
import { checkAttendanceUpdate, validateRecords, type RuleId, type RuleOptions } from '../../src/model/rules/index.js';
import { FIXTURE_NOW, SchoolFixture } from '../support/fixtures.js';

const check = (fx: SchoolFixture, rule: RuleId, opts: Partial<RuleOptions> = {}) =>
  validateRecords(fx.records, { now: FIXTURE_NOW, only: [rule], ...opts });
const ids = (vs: { id: string }[]) => vs.map((v) => v.id);

describe('B.3 attendance', () => {
  it('R-15 keeps at most one attendance record per pupil and lesson', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    fx.attendance(l);
    fx.attendance(l, { studentId: fx.pupil('Тестов', 'Другой').id });
    expect(check(fx, 'R-15')).toEqual([]);
    const dup = fx.attendance(l, { kind: 'late', reason: 'unknown', rawCode: 'ОП' }, { id: fx.nextId('att') });
    const out = check(fx, 'R-15');
    expect(out.map((v) => [v.ruleId, v.id])).toEqual([['R-15', dup.id]]);
  });

  it('R-16 takes the reason from the closed list and keeps the platform code verbatim', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    fx.attendance(l, { reason: 'excused', rawCode: 'УП' });
    expect(check(fx, 'R-16')).toEqual([]);
    const p2 = fx.pupil('Тестов', 'Код');
    const noCode = fx.attendance(l, { studentId: p2.id, rawCode: ' ' });
    const p3 = fx.pupil('Тестов', 'Причина');
    const odd = { ...fx.attendance(l, { studentId: p3.id }), reason: 'family' } as unknown as typeof noCode;
    fx.records[fx.records.length - 1] = odd;
    expect(ids(check(fx, 'R-16'))).toEqual([noCode.id, odd.id]);
  });

  it('R-16 changes a reason by updating the same record; a category flip is an EF key change', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson();
    const prev = fx.attendance(l, { reason: 'unknown', rawCode: 'Н' });
    const next = { ...prev, reason: 'illness' as const, rawCode: 'Б' };
    expect(checkAttendanceUpdate(prev, next)).toEqual({ violations: [], efKeyChange: true });
    expect(checkAttendanceUpdate(prev, { ...prev, reason: 'unexcused' }).efKeyChange).toBe(false);
    const recreated = { ...next, id: fx.nextId('att') };
    const { violations } = checkAttendanceUpdate(prev, recreated);
    expect(violations.map((v) => [v.ruleId, v.id])).toEqual([['R-16', recreated.id]]);
  });

  it('R-17 requires the pupil to be enrolled in the section on the lesson date (dates, not record status)', () => {
    const fx = new SchoolFixture();
    const l = fx.lesson({ date: '2025-09-08' });
    fx.attendance(l);
    const leaver = fx.person('Тестов', 'Выбывший', 5);
    fx.add('enrollment', { personId: leaver.id, sectionId: fx.section.id, role: 'student', isPrimary: true, beginDate: '2025-09-01', endDate: '2025-09-30' }, { status: 'inactive' });
    fx.attendance(l, { studentId: leaver.id });
    expect(check(fx, 'R-17')).toEqual([]);
    const late = fx.lesson({ date: '2025-10-01' });
    const afterLeaving = fx.attendance(late, { studentId: leaver.id });
    const stranger = fx.person('Тестов', 'Чужой', 5);
    const notEnrolled = fx.attendance(l, { studentId: stranger.id });
    expect(ids(check(fx, 'R-17'))).toEqual([afterLeaving.id, notEnrolled.id]);
  });

  it('R-17 holds for marks as for absences: a mark of a pupil not on the page that day is refused (seed 000 §5.7)', () => {
    const fx = new SchoolFixture();
    const leaver = fx.person('Тестов', 'Выбывший', 5);
    fx.enroll(leaver.id, fx.section.id, 'student', '2025-09-10', '2025-09-20');
    const before = fx.mark(fx.lesson({ date: '2025-09-09' }), '4', { studentId: leaver.id });
    fx.mark(fx.lesson({ date: '2025-09-10' }), '5', { studentId: leaver.id });
    fx.mark(fx.lesson({ date: '2025-09-20' }), '3', { studentId: leaver.id });
    const later = fx.lesson({ date: '2025-09-21' });
    const after = fx.mark(later, '4', { studentId: leaver.id });
    fx.mark(later, '5');
    const out = check(fx, 'R-17');
    expect(ids(out)).toEqual([before.id, after.id]);
    expect(out[0].message).toContain(`отметка ${before.id}`);
  });
});

describe('B.4 final marks', () => {
  it('R-18 accepts only the final-mark whitelist: «н/а» and «осв» are refused naming the rule', () => {
    const fx = new SchoolFixture();
    fx.finalMark({ raw: '4' });
    expect(check(fx, 'R-18')).toEqual([]);
    const na = fx.finalMark({ raw: 'н/а', kind: 'half_year', periodId: fx.half1.id });
    const osv = fx.finalMark({ raw: 'осв', kind: 'quarter', periodId: fx.q2.id });
    const plus = fx.finalMark({ raw: '5-', kind: 'year', periodId: fx.year.id });
    const out = check(fx, 'R-18');
    expect(ids(out)).toEqual([na.id, osv.id, plus.id]);
    expect(out[0].message).toMatch(/^R-18: итоговая отметка «н\/а»/);
    expect(ids(check(fx, 'R-18', { finalWhitelist: ['1', '2', '3', '4', '5', 'осв', 'н/а', '5-'] }))).toEqual([]);
  });

  it('R-18 refuses a final mark whose score is not its record: «5» counted as 2 would show «5» and count a fail', () => {
    const fx = new SchoolFixture();
    fx.finalMark({ raw: '4' });
    const wrong = fx.finalMark({ raw: '5', base: 2, kind: 'half_year', periodId: fx.half1.id });
    const none = fx.finalMark({ raw: '3', base: null, kind: 'year', periodId: fx.year.id });
    const out = check(fx, 'R-18');
    expect(ids(out)).toEqual([wrong.id, none.id]);
    expect(out[0].message).toContain('не соответствует записи «5»');
  });

  it('R-19 keeps one final mark per pupil, section, kind and period', () => {
    const fx = new SchoolFixture();
    fx.finalMark({ kind: 'quarter', periodId: fx.q1.id });
    fx.finalMark({ kind: 'quarter', periodId: fx.q2.id });
    expect(check(fx, 'R-19')).toEqual([]);
    const dup = fx.finalMark({ kind: 'quarter', periodId: fx.q1.id, raw: '4' }, { id: fx.nextId('fm') });
    expect(check(fx, 'R-19').map((v) => [v.ruleId, v.id])).toEqual([['R-19', dup.id]]);
  });

  it('R-20 matches the final mark kind with the period kind', () => {
    const fx = new SchoolFixture();
    fx.finalMark({ kind: 'quarter', periodId: fx.q1.id });
    fx.finalMark({ kind: 'half_year', periodId: fx.half1.id });
    fx.finalMark({ kind: 'year', periodId: fx.year.id });
    expect(check(fx, 'R-20')).toEqual([]);
    const wrong = fx.finalMark({ kind: 'quarter', periodId: fx.half1.id });
    const yearOnQuarter = fx.finalMark({ kind: 'year', periodId: fx.q2.id });
    expect(ids(check(fx, 'R-20'))).toEqual([wrong.id, yearOnQuarter.id]);
  });

  it('R-20: a trimester\'s or a module\'s mark is a grading-period mark (kind quarter); a half-year or year mark on a trimester is not', () => {
    const fx = new SchoolFixture();
    const t1 = fx.session('trimester', '2025-09-01', '2025-11-30', '1 триместр', fx.year.id);
    const m1 = fx.session('module', '2025-09-01', '2025-10-12', '1 модуль', fx.year.id);
    fx.finalMark({ kind: 'quarter', periodId: t1.id });
    fx.finalMark({ kind: 'quarter', periodId: m1.id });
    expect(check(fx, 'R-20')).toEqual([]);
    const halfOnTrimester = fx.finalMark({ kind: 'half_year', periodId: t1.id });
    const yearOnModule = fx.finalMark({ kind: 'year', periodId: m1.id });
    expect(ids(check(fx, 'R-20'))).toEqual([halfOnTrimester.id, yearOnModule.id]);
  });

  it('R-21 warns when a quarter mark is set without enough marks in that quarter', () => {
    const fx = new SchoolFixture();
    for (const d of ['2025-09-08', '2025-09-15', '2025-09-22']) fx.mark(fx.lesson({ date: d }), '4');
    fx.finalMark({ kind: 'quarter', periodId: fx.q1.id, raw: '4' });
    expect(check(fx, 'R-21')).toEqual([]);
    const q2 = fx.finalMark({ kind: 'quarter', periodId: fx.q2.id, raw: '4' });
    const out = check(fx, 'R-21');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ruleId: 'R-21', severity: 'warn', id: q2.id, refs: { periodId: fx.q2.id } });
  });
});
