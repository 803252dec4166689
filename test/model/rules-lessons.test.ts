import { describe, expect, it } from 'vitest';
import { RULES, isBlocking, renderHomework, validateRecords, type RuleId, type RuleOptions } from '../../src/model/rules/index.js';
import { FIXTURE_NOW, SchoolFixture } from '../support/fixtures.js';

const NOW = FIXTURE_NOW;
const check = (fx: SchoolFixture, rule: RuleId, opts: Partial<RuleOptions> = {}) =>
  validateRecords(fx.records, { now: NOW, only: [rule], ...opts });

describe('rule declarations', () => {
  it('declare R-01…R-24 once each, with Russian titles', () => {
    expect(RULES.map((r) => r.id)).toEqual(Array.from({ length: 24 }, (_, i) => `R-${String(i + 1).padStart(2, '0')}`));
    for (const r of RULES) expect(r.title).toMatch(/[а-яё]/i);
  });

  it('a consistent journal page breaks no rule, and messages never carry names', () => {
    const fx = new SchoolFixture();
    const l1 = fx.lesson({ date: '2025-09-08' });
    const l2 = fx.lesson({ date: '2025-09-10' });
    const l3 = fx.lesson({ date: '2025-09-12' });
    fx.mark(l1, '5');
    fx.mark(l2, '4-');
    fx.mark(l3, '3+', { workTypeCode: 'test' });
    fx.attendance(l3, { kind: 'late', reason: 'unknown', rawCode: 'ОП', minutesLate: 5 });
    fx.finalMark({ raw: '4' });
    expect(validateRecords(fx.records, { now: NOW })).toEqual([]);

    fx.lesson({ date: '2025-09-15', topic: '' });
    const [v] = validateRecords(fx.records, { now: NOW });
    expect(v.message).not.toMatch(/Тестов|Учителев|Директоров/);
  });
});

describe('B.1 lesson columns', () => {
  it('R-01 requires a topic on a held lesson (block push, quarantine inbound)', () => {
    const fx = new SchoolFixture();
    fx.lesson({ date: '2025-09-08', topic: 'Десятичные дроби' });
    fx.lesson({ date: '2025-09-09', topic: undefined, lessonStatus: 'cancelled' });
    expect(check(fx, 'R-01')).toEqual([]);
    const bad = fx.lesson({ date: '2025-09-10', topic: '   ' });
    const out = check(fx, 'R-01');
    expect(out.map((v) => [v.ruleId, v.id, v.severity])).toEqual([['R-01', bad.id, 'block']]);
    expect(out[0].message).toMatch(/^R-01: .*не записана тема/);
    expect(check(fx, 'R-01', { direction: 'inbound' })[0].severity).toBe('quarantine');
  });

  it('R-02 wants the topic in Russian: Cyrillic letters and at most 20% Latin', () => {
    const fx = new SchoolFixture();
    fx.lesson({ date: '2025-09-08', topic: 'Функция y = kx + b и её график' });
    expect(check(fx, 'R-02')).toEqual([]);
    const latin = fx.lesson({ date: '2025-09-09', topic: 'Present Simple' });
    const mixed = fx.lesson({ date: '2025-09-10', topic: 'Тема: Past Simple tense' });
    const out = check(fx, 'R-02');
    expect(out.map((v) => v.id)).toEqual([latin.id, mixed.id]);
    expect(out.every((v) => v.severity === 'warn')).toBe(true);
    expect(check(fx, 'R-02', { maxLatinShare: 0.9 }).map((v) => v.id)).toEqual([latin.id]);
  });

  it('R-03 wants exactly one of homework text or «Не задано» on a held lesson', () => {
    const fx = new SchoolFixture();
    fx.lesson({ date: '2025-09-08', homework: { notAssigned: true, attachments: [] } });
    fx.lesson({ date: '2025-09-09', homework: undefined, lessonStatus: 'cancelled' });
    expect(check(fx, 'R-03')).toEqual([]);
    const none = fx.lesson({ date: '2025-09-10', homework: undefined });
    const both = fx.lesson({ date: '2025-09-11', homework: { text: '§ 5', notAssigned: true, attachments: [] } });
    const blank = fx.lesson({ date: '2025-09-12', homework: { text: '  ', notAssigned: false, attachments: [] } });
    expect(check(fx, 'R-03').map((v) => v.id)).toEqual([none.id, both.id, blank.id]);
    expect(renderHomework({ notAssigned: true, attachments: [] })).toBe('Не задано');
    expect(renderHomework({ text: ' § 5 ', notAssigned: false, attachments: [] })).toBe('§ 5');
  });

  it('R-03 asks nothing of a 1st-grade lesson: no homework is set in the 1st grade (seed 001 §3.7)', () => {
    const fx = new SchoolFixture({ gradeLevel: 1 });
    fx.lesson({ date: '2025-09-10', homework: undefined });
    expect(check(fx, 'R-03')).toEqual([]);
    const fifth = new SchoolFixture();
    const none = fifth.lesson({ date: '2025-09-10', homework: undefined });
    expect(check(fifth, 'R-03').map((v) => v.id)).toEqual([none.id]);
  });

  it('R-04 accepts a substitute only if it is another active teacher of the school on that date', () => {
    const fx = new SchoolFixture();
    const sub = fx.person('Заменов', 'Замен');
    fx.roleAssignment(sub.id, 'subject_teacher', '2025-09-01', '2025-09-30');
    fx.lesson({ date: '2025-09-08', substituteTeacherId: sub.id });
    expect(check(fx, 'R-04')).toEqual([]);
    const self = fx.lesson({ date: '2025-09-09', substituteTeacherId: fx.teacher.id });
    const expired = fx.lesson({ date: '2025-10-06', substituteTeacherId: sub.id });
    const secretary = fx.person('Секретарёва', 'Секретарь');
    fx.roleAssignment(secretary.id, 'secretary');
    const notTeacher = fx.lesson({ date: '2025-09-10', substituteTeacherId: secretary.id });
    const out = check(fx, 'R-04');
    expect(out.map((v) => v.id)).toEqual([self.id, expired.id, notTeacher.id]);
    expect(out.every(isBlocking)).toBe(true);
  });

  it('R-05 puts a subgroup lesson on that subgroup page or on a whole-class page with pupils of that subgroup', () => {
    const fx = new SchoolFixture();
    const group1 = fx.add('section', { ...pick(fx.section), subgroup: '1', title: '5А Английский язык (1 гр.)' });
    fx.lesson({ sectionId: group1.id, date: '2025-09-08', subgroup: '1' });
    fx.enroll(fx.pupil('Тестова', 'Проба').id, fx.section.id, 'student', '2025-09-01', undefined, '2');
    fx.lesson({ date: '2025-09-08', subgroup: '2' });
    expect(check(fx, 'R-05')).toEqual([]);
    const wrongGroup = fx.lesson({ sectionId: group1.id, date: '2025-09-09', subgroup: '2' });
    const noPupils = fx.lesson({ date: '2025-09-09', subgroup: '3' });
    expect(check(fx, 'R-05').map((v) => v.id)).toEqual([wrongGroup.id, noPupils.id]);
  });

  it('R-06 keeps (section, date, lesson number) unique among non-deleted lessons', () => {
    const fx = new SchoolFixture();
    const a = fx.lesson({ date: '2025-09-08', lessonNumber: 2 });
    const gone = fx.lesson({ date: '2025-09-08', lessonNumber: 2 }, { id: fx.nextId('dup') });
    fx.tombstone(gone);
    fx.lesson({ date: '2025-09-08', lessonNumber: 3 });
    expect(check(fx, 'R-06')).toEqual([]);
    const dup = fx.lesson({ date: '2025-09-08', lessonNumber: 2 }, { id: fx.nextId('dup') });
    const out = check(fx, 'R-06');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ruleId: 'R-06', id: dup.id, entity: 'lesson', refs: { lessonId: a.id } });
  });
});

function pick(s: SchoolFixture['section']) {
  return { homeroomClassId: s.homeroomClassId, subjectId: s.subjectId, weeklyHours: s.weeklyHours, academicYearId: s.academicYearId, title: s.title };
}
