import { describe, expect, it } from 'vitest';
import { checkLockAdvance, isBlocking, validateRecords, type RuleId, type RuleOptions } from '../../src/model/rules/index.js';
import { FIXTURE_NOW, SchoolFixture } from '../support/fixtures.js';

const check = (fx: SchoolFixture, rule: RuleId, opts: Partial<RuleOptions> = {}) =>
  validateRecords(fx.records, { now: FIXTURE_NOW, only: [rule], ...opts });
const ids = (vs: { id: string }[]) => vs.map((v) => v.id);

describe('B.5 period lock and reopening', () => {
  it('R-22 refuses a write into a locked period unless a valid order covers section, pupil and date', () => {
    const fx = new SchoolFixture();
    fx.lock('2025-09-19');
    const locked = fx.lesson({ date: '2025-09-15' });
    const open = fx.lesson({ date: '2025-09-22' });
    const m = fx.mark(locked, '5');
    const a = fx.attendance(locked);
    const fresh = fx.mark(open, '4');
    const writes = new Set([m.id, a.id, fresh.id]);
    const refused = check(fx, 'R-22', { writes });
    expect(refused.map((v) => [v.entity, v.id])).toEqual([['mark', m.id], ['attendance_record', a.id]]);
    expect(refused.every(isBlocking)).toBe(true);

    const order = fx.unlockOrder();
    expect(check(fx, 'R-22', { writes, now: '2025-09-28T10:00:00Z' }).map((v) => v.id)).toEqual([]);
    // the order expired
    expect(ids(check(fx, 'R-22', { writes, now: '2025-10-02T10:00:00Z' }))).toEqual([m.id, a.id]);
    // another pupil is not covered
    const other = fx.pupil('Тестов', 'Иной');
    const otherMark = fx.mark(locked, '3', { studentId: other.id });
    expect(ids(check(fx, 'R-22', { writes: new Set([otherMark.id]), now: '2025-09-28T10:00:00Z' }))).toEqual([otherMark.id]);
    expect(order.orderNumber).toBe('15-у');
  });

  it('R-22 mirrors inbound late edits, logged as late_edit with the order or missing_order', () => {
    const fx = new SchoolFixture();
    fx.lock('2025-09-19');
    const l = fx.lesson({ date: '2025-09-15' });
    const m = fx.mark(l, '5');
    const other = fx.pupil('Тестов', 'Без приказа');
    const m2 = fx.mark(l, '4', { studentId: other.id });
    const order = fx.unlockOrder();
    const out = check(fx, 'R-22', { direction: 'inbound', writes: new Set([m.id, m2.id]), now: '2025-09-28T10:00:00Z' });
    expect(out.map((v) => [v.id, v.severity, v.code])).toEqual([[m.id, 'warn', 'late_edit'], [m2.id, 'warn', 'missing_order']]);
    expect(out[0].refs?.orderId).toBe(order.id);
    expect(out[0].message).toContain('№ 15-у');
  });

  it('R-22 on stored state flags only records written after the lock was set', () => {
    const fx = new SchoolFixture();
    fx.lock('2025-09-19', { createdAt: '2025-09-20T00:00:00Z' });
    const l = fx.lesson({ date: '2025-09-15' });
    fx.mark(l, '5'); // recorded on the lesson day, before the lock
    expect(check(fx, 'R-22')).toEqual([]);
    const late = fx.mark(l, '4', { studentId: fx.pupil('Тестов', 'Поздний').id, recordedAt: '2025-09-24T08:00:00Z' });
    expect(ids(check(fx, 'R-22'))).toEqual([late.id]);
  });

  it('R-23 lets lockedThrough only move forward', () => {
    const fx = new SchoolFixture();
    const before = fx.lock('2025-09-19');
    const forward = { ...before, lockedThrough: '2025-10-03' };
    expect(checkLockAdvance(before, forward)).toEqual([]);
    expect(checkLockAdvance(before, before)).toEqual([]);
    const back = { ...before, lockedThrough: '2025-09-05' };
    expect(checkLockAdvance(before, back).map((v) => [v.ruleId, v.id, v.severity])).toEqual([['R-23', before.id, 'block']]);
    fx.records[fx.records.indexOf(before)] = back;
    expect(ids(check(fx, 'R-23', { previousLocks: [before] }))).toEqual([before.id]);
    expect(check(fx, 'R-23')).toEqual([]);
  });

  it('R-24 accepts unlock orders issued only by the director or the deputy for academic affairs', () => {
    const fx = new SchoolFixture();
    fx.unlockOrder();
    const deputy = fx.person('Завучева', 'Завуч');
    fx.roleAssignment(deputy.id, 'deputy_academic');
    fx.unlockOrder({ issuedBy: deputy.id, orderNumber: '16-у' });
    expect(check(fx, 'R-24')).toEqual([]);
    const byTeacher = fx.unlockOrder({ issuedBy: fx.teacher.id, orderNumber: '17-у' });
    const out = check(fx, 'R-24');
    expect(out.map((v) => [v.ruleId, v.id])).toEqual([['R-24', byTeacher.id]]);
    expect(out[0].message).toContain('№ 17-у');
  });

  it('R-24: a director of another school cannot open this school\'s page (seed 000 §5.2, §5.6), neither can the order unlock it (R-22)', () => {
    const fx = new SchoolFixture();
    fx.lock('2025-09-19');
    const m = fx.mark(fx.lesson({ date: '2025-09-15' }), '5');
    const elsewhere = fx.add('organization', { name: 'МБОУ «Другая СОШ № 2»', type: 'school', timeZone: 'Europe/Moscow' });
    // A class teacher here, the director of the other school.
    fx.add('role_assignment', { personId: fx.teacher.id, organizationId: elsewhere.id, role: 'director', isPrimary: false, beginDate: '2025-09-01' });
    const foreign = fx.unlockOrder({ issuedBy: fx.teacher.id, orderNumber: '18-у' });
    expect(ids(check(fx, 'R-24'))).toEqual([foreign.id]);
    expect(ids(check(fx, 'R-22', { writes: new Set([m.id]), now: '2025-09-28T10:00:00Z' }))).toEqual([m.id]);
    // This school's director's order does.
    fx.unlockOrder({ orderNumber: '19-у' });
    expect(ids(check(fx, 'R-22', { writes: new Set([m.id]), now: '2025-09-28T10:00:00Z' }))).toEqual([]);
  });

  it('R-24: an order from someone without the role does not unlock the period (R-22)', () => {
    const fx = new SchoolFixture();
    fx.lock('2025-09-19');
    const m = fx.mark(fx.lesson({ date: '2025-09-15' }), '5');
    fx.unlockOrder({ issuedBy: fx.teacher.id });
    expect(ids(check(fx, 'R-22', { writes: new Set([m.id]), now: '2025-09-28T10:00:00Z' }))).toEqual([m.id]);
  });
});
