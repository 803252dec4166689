// The synthetic school: determinism, content coverage, validity against the schemas and rules R-01…R-24.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountsFor, buildCalendar, generateRecords, generateSchool, isValidSnils, snilsCheckDigits, type SyntheticSchool,
} from '../../src/emulators/dataset/index.js';
import { ENTITY_ORDER, parseRecord, recomputeHash, WORK_TYPES, type CanonicalRecord } from '../../src/model/index.js';
import { isBlocking, validateRecords } from '../../src/model/rules/index.js';

// A small full year: 11 classes × 6 pupils, all 35 weeks (quarters end, finals are set, the lock is in May).
const OPTIONS = { seed: 42, pupilsPerClass: 6 };
let school: SyntheticSchool;

beforeAll(() => {
  school = generateSchool(OPTIONS);
});

const gradeOfSection = (s: SyntheticSchool, sectionId: string) => s.get('homeroom_class', s.get('section', sectionId)!.homeroomClassId)!.gradeLevel;

describe('determinism', () => {
  it('same seed and options give byte-identical records; another seed differs', () => {
    const a = [...generateRecords({ seed: 5, pupilsPerClass: 3, weeks: 3 })].map((r) => JSON.stringify(r));
    const b = [...generateRecords({ seed: 5, pupilsPerClass: 3, weeks: 3 })].map((r) => JSON.stringify(r));
    const c = [...generateRecords({ seed: 6, pupilsPerClass: 3, weeks: 3 })].map((r) => JSON.stringify(r));
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a.map((x) => JSON.parse(x).id)).size).toBe(a.length);
  });

  it('string seeds work and accounts are deterministic', () => {
    expect(accountsFor({ seed: 'demo', pupilsPerClass: 3 })).toEqual(accountsFor({ seed: 'demo', pupilsPerClass: 3 }));
    expect(accountsFor({ seed: 'demo', pupilsPerClass: 3 })).not.toEqual(accountsFor({ seed: 'demo2', pupilsPerClass: 3 }));
  });
});

describe('shape', () => {
  it('streams in ENTITY_ORDER and has every journal entity', () => {
    const order = ENTITY_ORDER as readonly string[];
    let last = -1;
    for (const r of school.records) {
      const i = order.indexOf(r.entity);
      expect(i).toBeGreaterThanOrEqual(last);
      last = i;
    }
    const expected = ['organization', 'academic_session', 'person', 'role_assignment', 'homeroom_class', 'subject', 'section',
      'enrollment', 'guardian_link', 'work_type', 'mark_scale', 'lesson', 'work', 'mark', 'attendance_record', 'final_mark',
      'journal_lock', 'unlock_order'];
    for (const e of expected) expect(school.all(e as never).length, e).toBeGreaterThan(0);
  });

  it('every record passes parseRecord and its contentHash equals the hash of the parsed business fields', () => {
    for (const r of school.records) {
      const parsed = parseRecord(r);
      expect(recomputeHash(parsed as unknown as Record<string, unknown>)).toBe(r.contentHash);
      expect(r.provenance).toMatchObject({ system: 'synthetic', instance: 'seed-42', runId: 'generate', mapperVersion: 'dataset-1' });
      expect(r.sourceRefs).toEqual([{ system: 'synthetic', instance: 'seed-42', sourceId: r.id, kind: 'id' }]);
    }
  });

  it('has a region, a school with a time zone and synthetic INN/OGRN, a year, two half-years and four grading quarters', () => {
    const orgs = school.all('organization');
    expect(orgs.find((o) => o.type === 'region')).toBeTruthy();
    const s = school.schools()[0];
    expect(s.timeZone).toBe('Europe/Samara');
    expect(s.identifiers.find((i) => i.kind === 'inn')?.value).toMatch(/^\d{10}$/);
    expect(s.identifiers.find((i) => i.kind === 'ogrn')?.value).toMatch(/^\d{13}$/);
    const sessions = school.all('academic_session');
    expect(sessions.filter((x) => x.kind === 'school_year')).toHaveLength(1);
    expect(sessions.filter((x) => x.kind === 'half_year')).toHaveLength(2);
    const quarters = sessions.filter((x) => x.kind === 'quarter');
    expect(quarters.map((q) => [q.startDate, q.endDate])).toEqual([
      ['2025-09-01', '2025-10-24'], ['2025-11-03', '2025-12-26'], ['2026-01-12', '2026-03-20'], ['2026-03-30', '2026-05-26']]);
    expect(quarters.every((q) => q.isGradingPeriod && q.schoolYear === 2026)).toBe(true);
  });

  it('all 25 work types as records and the ru5 scale', () => {
    const wt = school.all('work_type');
    expect(wt.map((w) => w.code).sort()).toEqual(WORK_TYPES.map((w) => w.code).sort());
    expect(school.all('mark_scale')[0].code).toBe('ru5');
    const used = new Set(school.all('work').map((w) => w.workTypeCode));
    for (const code of ['oral_answer', 'homework', 'independent_work', 'test', 'dictation', 'dictation_grammar_task', 'norms',
      'admin_test', 'diagnostic_test', 'lab_work', 'camp_or_hospital_mark']) expect(used.has(code), code).toBe(true);
    expect(used.size).toBeGreaterThanOrEqual(20);
  });
});

describe('people', () => {
  it('every person has a valid, unique, verified SNILS', () => {
    const people = school.all('person');
    const values = people.map((p) => {
      const snils = p.identifiers.find((i) => i.kind === 'snils');
      expect(snils?.verified).toBe(true);
      expect(isValidSnils(snils!.value)).toBe(true);
      return snils!.value;
    });
    expect(new Set(values).size).toBe(values.length);
  });

  it('SNILS check digits follow the ПФР algorithm', () => {
    expect(snilsCheckDigits('112233445')).toBe('95');
    expect(isValidSnils('112-233-445 95')).toBe(true);
    expect(isValidSnils('112-233-445 94')).toBe(false);
    expect(isValidSnils('11223344595')).toBe(true);
    expect(isValidSnils('1122334459')).toBe(false);
  });

  it('pupils have plausible birth dates for their grade and Russian names with patronymics', () => {
    const pupils = school.peopleWithRole('student');
    expect(pupils).toHaveLength(66);
    for (const p of pupils) {
      const age = 2025 - Number(p.birthDate!.slice(0, 4)) - (p.birthDate!.slice(5) > '09-01' ? 1 : 0);
      expect(age - p.gradeLevel!).toBeGreaterThanOrEqual(5);
      expect(age - p.gradeLevel!).toBeLessThanOrEqual(6);
      expect(p.familyName).toMatch(/^[А-ЯЁ][а-яё]+$/);
      expect(p.middleName).toMatch(/(вич|вна|ична|ич)$/);
      if (p.sex === 'female') expect(p.middleName).toMatch(/(вна|ична)$/);
    }
  });

  it('has a director, a deputy (УВР), an administrator, teachers and parents; guardians include a refused one and shared siblings', () => {
    for (const role of ['director', 'deputy_academic', 'administrator', 'subject_teacher', 'class_teacher', 'parent'] as const) {
      expect(school.peopleWithRole(role).length, role).toBeGreaterThan(0);
    }
    const links = school.all('guardian_link');
    expect(links.some((l) => l.digitalAccess === 'refused')).toBe(true);
    const perGuardian = new Map<string, number>();
    for (const l of links) perGuardian.set(l.guardianId, (perGuardian.get(l.guardianId) ?? 0) + 1);
    expect([...perGuardian.values()].some((n) => n >= 2)).toBe(true);
    for (const p of school.peopleWithRole('student')) {
      expect(school.guardiansOf(p.id).length).toBeGreaterThanOrEqual(1);
      expect(school.guardiansOf(p.id).length).toBeLessThanOrEqual(2);
    }
  });

  it('homerooms 1А…11А have class teachers; English is split into two subgroups from grade 2', () => {
    const classes = school.all('homeroom_class');
    expect(classes.map((c) => c.title)).toEqual(['1А', '2А', '3А', '4А', '5А', '6А', '7А', '8А', '9А', '10А', '11А']);
    expect(classes.every((c) => !!c.classTeacherId)).toBe(true);
    const eng = school.all('section').filter((s) => s.title.includes('Английский'));
    expect(new Set(eng.map((s) => s.subgroup))).toEqual(new Set(['1 группа', '2 группа']));
    for (const s of eng) {
      expect(gradeOfSection(school, s.id)).toBeGreaterThanOrEqual(2);
      expect(school.studentsOf(s.id).length).toBe(3);
      for (const l of school.lessonsOfSection(s.id)) expect(l.subgroup).toBe(s.subgroup);
    }
  });
});

describe('journal', () => {
  it('lessons: Russian topics, homework or «Не задано», some cancelled, substitutes who are other teachers', () => {
    const lessons = school.all('lesson');
    const held = lessons.filter((l) => l.lessonStatus === 'held');
    expect(lessons.some((l) => l.lessonStatus === 'cancelled')).toBe(true);
    expect(held.every((l) => /[а-яё]/i.test(l.topic ?? ''))).toBe(true);
    expect(held.some((l) => l.homework?.notAssigned === true && !l.homework.text)).toBe(true);
    expect(held.some((l) => !!l.homework?.text && l.homework.notAssigned === false)).toBe(true);
    const subs = held.filter((l) => l.substituteTeacherId);
    expect(subs.length).toBeGreaterThan(0);
    const teachers = new Set(school.peopleWithRole('subject_teacher').map((p) => p.id));
    for (const l of subs) {
      expect(l.substituteTeacherId).not.toBe(l.scheduledTeacherId);
      expect(teachers.has(l.substituteTeacherId!)).toBe(true);
      expect(l.recordedBy).toBe(l.substituteTeacherId);
    }
  });

  it('every attendance code with its canonical kind and reason', () => {
    const expected: Record<string, [string, string]> = {
      н: ['absent', 'unknown'], ОТ: ['absent', 'unexcused'], ОП: ['late', 'unknown'], УП: ['absent', 'excused'],
      НП: ['absent', 'unexcused'], Б: ['absent', 'illness'],
    };
    const seen = new Set<string>();
    for (const a of school.all('attendance_record')) {
      seen.add(a.rawCode);
      expect([a.kind, a.reason]).toEqual(expected[a.rawCode]);
      if (a.rawCode === 'ОП') expect(a.minutesLate).toBeGreaterThan(0);
    }
    expect([...seen].sort()).toEqual(Object.keys(expected).sort());
  });

  it('marks: mostly 4–5, some 3, few 2, ~10% with +/-, owed «точки», weight = work type weight, date = lesson date', () => {
    const marks = school.all('mark');
    const graded = marks.filter((m) => m.state === 'graded');
    const share = (f: (m: (typeof marks)[number]) => boolean) => graded.filter(f).length / graded.length;
    expect(share((m) => m.base! >= 4)).toBeGreaterThan(0.6);
    expect(share((m) => m.base === 3)).toBeGreaterThan(0.1);
    expect(share((m) => m.base === 2)).toBeGreaterThan(0.005);
    expect(share((m) => m.base === 2)).toBeLessThan(0.08);
    const modified = share((m) => m.modifier !== 'none');
    expect(modified).toBeGreaterThan(0.06);
    expect(modified).toBeLessThan(0.14);
    expect(graded.some((m) => m.raw.endsWith('+'))).toBe(true);
    expect(graded.some((m) => m.raw.endsWith('-'))).toBe(true);
    const owed = marks.filter((m) => m.state === 'owed');
    expect(owed.length).toBeGreaterThan(0);
    for (const m of owed) {
      expect(['', '.']).toContain(m.raw);
      expect(m.base).toBeNull();
      expect(m.numeric).toBeNull();
    }
    const weights = new Map(WORK_TYPES.map((w) => [w.code, w.weight]));
    for (const m of marks.slice(0, 5000)) {
      const work = school.get('work', m.workId)!;
      const lesson = school.get('lesson', m.lessonId)!;
      expect(work.lessonId).toBe(m.lessonId);
      expect(m.weightApplied).toBe(weights.get(work.workTypeCode));
      expect(m.markDate).toBe(lesson.date);
      expect(lesson.lessonStatus).toBe('held');
    }
  });

  it('a second mark in a cell is for a different work type or a retake of a «2»', () => {
    const cells = new Map<string, (typeof school.records)[number][]>();
    for (const m of school.all('mark')) {
      const k = `${m.studentId}|${m.lessonId}`;
      cells.set(k, [...(cells.get(k) ?? []), m]);
    }
    let seconds = 0;
    let retakes = 0;
    for (const cell of cells.values()) {
      expect(cell.length).toBeLessThanOrEqual(2);
      if (cell.length < 2) continue;
      seconds++;
      const [a, b] = cell as ReturnType<typeof school.all<'mark'>>;
      const [s1, s2] = [a, b].sort((x, y) => x.slot - y.slot);
      expect([s1.slot, s2.slot]).toEqual([1, 2]);
      const t1 = school.get('work', s1.workId)!.workTypeCode;
      const t2 = school.get('work', s2.workId)!.workTypeCode;
      if (t1 === t2) {
        retakes++;
        expect(s2.retakeOfMarkId).toBe(s1.id);
        expect(s1.base).toBeLessThanOrEqual(2);
      }
    }
    expect(seconds).toBeGreaterThan(0);
    expect(retakes).toBeGreaterThan(0);
  });

  it('grade 1 has lessons and attendance but no works, marks or final marks (R-10)', () => {
    const grade1 = new Set(school.all('section').filter((s) => gradeOfSection(school, s.id) === 1).map((s) => s.id));
    expect(school.all('lesson').some((l) => grade1.has(l.sectionId))).toBe(true);
    expect(school.all('attendance_record').some((a) => grade1.has(school.get('lesson', a.lessonId)!.sectionId))).toBe(true);
    expect(school.all('work').some((w) => grade1.has(w.sectionId))).toBe(false);
    expect(school.all('mark').some((m) => grade1.has(school.get('work', m.workId)!.sectionId))).toBe(false);
    expect(school.all('final_mark').some((f) => grade1.has(f.sectionId))).toBe(false);
  });

  it('final marks: quarters (grades 2–9), half-years (10–11) and the year, raw 2..5 with the computed average', () => {
    const finals = school.all('final_mark');
    const kinds = new Set(finals.map((f) => f.kind));
    expect(kinds).toEqual(new Set(['quarter', 'half_year', 'year']));
    for (const f of finals) {
      expect(['2', '3', '4', '5']).toContain(f.raw);
      expect(f.base).toBe(Number(f.raw));
      expect(typeof f.computedAverage).toBe('number');
      const grade = gradeOfSection(school, f.sectionId);
      if (f.kind === 'quarter') expect(grade).toBeLessThanOrEqual(9);
      if (f.kind === 'half_year') expect(grade).toBeGreaterThanOrEqual(10);
    }
  });

  it('a locked period and an unlock order issued by the deputy (УВР) that covers a late edit', () => {
    const [lock] = school.all('journal_lock');
    const lastLesson = school.all('lesson').map((l) => l.date).sort().at(-1)!;
    expect(lock.lockedThrough < lastLesson).toBe(true);
    const [order] = school.all('unlock_order');
    const deputy = school.peopleWithRole('deputy_academic')[0];
    expect(order.issuedBy).toBe(deputy.id);
    const late = school.all('mark').filter((m) => m.markDate <= lock.lockedThrough && m.recordedAt > lock.createdAt);
    expect(late.length).toBeGreaterThan(0);
    for (const m of late) {
      expect(order.scope.studentIds).toContain(m.studentId);
      expect(m.markDate >= order.scope.from && m.markDate <= order.scope.to).toBe(true);
      expect(m.recordedAt <= order.validUntil).toBe(true);
    }
  });

  it('passes rules R-01…R-24 with no blocking violation', () => {
    const now = school.records[0].provenance.fetchedAt;
    const violations = validateRecords(school.records as CanonicalRecord[], { now });
    const blocking = violations.filter(isBlocking);
    expect(blocking.map((v) => v.message).slice(0, 5)).toEqual([]);
    // Warnings stay rare: a few pupils short of the quarter minimum after long illnesses.
    expect(violations.filter((v) => v.ruleId === 'R-02')).toEqual([]);
    expect(violations.length).toBeLessThan(school.all('final_mark').length * 0.05);
  });
});

describe('size and access', () => {
  it('scales with the options: exact pupil totals, fewer weeks ⇒ fewer lessons, more schools', () => {
    const count = (o: Parameters<typeof generateRecords>[0]) => {
      const c: Record<string, number> = {};
      for (const r of generateRecords(o)) {
        const key = r.entity === 'role_assignment' && r.role === 'student' ? 'pupil' : r.entity;
        c[key] = (c[key] ?? 0) + 1;
      }
      return c;
    };
    const small = count({ seed: 1, pupils: 60, weeks: 2 });
    const big = count({ seed: 1, pupils: 180, weeks: 2 });
    const longer = count({ seed: 1, pupils: 60, weeks: 4 });
    const two = count({ seed: 1, pupils: 60, weeks: 2, schools: 2 });
    expect(small.pupil).toBe(60);
    expect(big.pupil).toBe(180);
    expect(two.pupil).toBe(60);
    expect(two.organization).toBe(4);
    expect(big.mark / small.mark).toBeGreaterThan(2);
    expect(longer.lesson / small.lesson).toBeGreaterThan(1.8);
    expect(small.final_mark ?? 0).toBe(0); // no quarter has ended after two weeks
    const classes = count({ seed: 1, pupils: 1000, weeks: 1, emptyJournal: true });
    expect(classes.pupil).toBe(1000);
    expect(classes.homeroom_class).toBe(44);
    expect(classes.mark ?? 0).toBe(0);
  });

  it('the calendar has ~34 study weeks and no lessons on holidays or weekends', () => {
    const cal = buildCalendar(2026);
    expect(cal.days.at(-1)!.week + 1).toBeGreaterThanOrEqual(34);
    const dates = new Set(school.all('lesson').map((l) => l.date));
    for (const h of cal.holidays) expect(dates.has(h)).toBe(false);
    expect(dates.has('2025-11-01')).toBe(false);
    expect(dates.has('2025-12-31')).toBe(false);
  });

  it('index helpers give random access and accounts map to real persons with the right roles', () => {
    const section = school.all('section').find((s) => s.title.startsWith('5А Математика'))!;
    const window = school.lessonsOfSection(section.id, '2025-09-01', '2025-09-07');
    expect(window.length).toBe(5);
    expect(window.map((l) => l.date)).toEqual([...window.map((l) => l.date)].sort());
    const withMarks = school.lessonsOfSection(section.id).find((l) => school.marksOfLesson(l.id).length)!;
    expect(school.marksOfLesson(withMarks.id).every((m) => m.lessonId === withMarks.id)).toBe(true);
    expect(school.worksOfLesson(withMarks.id).length).toBeGreaterThan(0);
    const accounts = accountsFor(school);
    const roles = accounts.map((a) => a.role);
    expect(roles).toEqual(expect.arrayContaining(['administrator', 'director', 'deputy_academic', 'teacher', 'parent', 'student']));
    for (const a of accounts) {
      const p = school.get('person', a.personId)!;
      expect(p.username).toBe(a.login);
      expect(a.password.length).toBeGreaterThanOrEqual(12);
    }
    const student = accounts.find((a) => a.role === 'student')!;
    const parent = accounts.find((a) => a.role === 'parent')!;
    expect(school.guardiansOf(student.personId).some((g) => g.guardianId === parent.personId && g.digitalAccess === 'enabled')).toBe(true);
  });

  // The generation rate is measured in bench/run.ts (timed assertions flake on a loaded machine).
  it('generates a whole school-year for 300 pupils as a stream', () => {
    let n = 0;
    for (const r of generateRecords({ seed: 3, pupils: 300 })) if (r) n++;
    expect(n).toBeGreaterThan(150_000);
  }, 120_000);
});
