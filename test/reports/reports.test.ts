// Reports on a synthetic school with known answers: every total is checked against counts taken straight from
// the dataset's records, and every totals row against the sum of its rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, loadSchoolData, type Report, reportFromStore, type ReportTable, type SchoolData } from '../../src/reports/index.js';
import { buildFixture, Q1, type ReportFixture } from './school-fixture.js';

let fx: ReportFixture;
let data: SchoolData;

beforeAll(async () => {
  fx = await buildFixture();
  data = await loadSchoolData(fx.store, fx.schoolId);
}, 240_000);
afterAll(async () => { await fx?.store.close(); });

const name = (id: string) => { const p = fx.school.get('person', id)!; return `${p.familyName} ${p.givenName}`; };
const countBy = <T>(list: T[], key: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of list) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};

/** Every count column of a table: totals = Σ rows. */
function expectTotalsAddUp(t: ReportTable) {
  for (const c of t.columns.filter((x) => x.type === 'count')) {
    expect(t.totals[c.key], c.key).toBe(t.rows.reduce((s, r) => s + Number(r[c.key]), 0));
  }
  for (const c of t.columns.filter((x) => x.type === 'share' && x.share)) {
    const den = Number(t.totals[c.share!.denominator]);
    expect(t.totals[c.key], c.key).toBe(den === 0 ? null : Number(t.totals[c.share!.numerator]) / den);
  }
}
const lessonOf = (id: string) => fx.school.get('lesson', id)!;
const gradeOfSection = (sectionId: string) => fx.school.get('homeroom_class', fx.school.get('section', sectionId)!.homeroomClassId)!.gradeLevel;

describe('R-36 monthly attendance per class', () => {
  it('absences by reason (УП, НП, Б, not given) and lateness match the October records; the total is the sum of the reasons', () => {
    const r = buildReport(data, 'attendance', '2025-10');
    const [t] = r.tables;
    expectTotalsAddUp(t);
    const october = fx.school.all('attendance_record').filter((a) => lessonOf(a.lessonId).date.startsWith('2025-10'));
    const absent = october.filter((a) => a.kind === 'absent');
    expect(absent.length).toBeGreaterThan(0);
    expect(t.totals.absent).toBe(absent.length);
    expect(t.totals.excused).toBe(absent.filter((a) => a.reason === 'excused').length);
    expect(t.totals.unexcused).toBe(absent.filter((a) => a.reason === 'unexcused').length);
    expect(t.totals.illness).toBe(absent.filter((a) => a.reason === 'illness').length);
    expect(t.totals.unknown).toBe(absent.filter((a) => a.reason === 'unknown').length);
    expect(t.totals.late).toBe(october.filter((a) => a.kind === 'late').length);
    for (const row of t.rows) {
      expect(row.absent).toBe(Number(row.excused) + Number(row.unexcused) + Number(row.illness) + Number(row.unknown));
    }
    // One line per pupil enrolled in a class during the month, absences or not (the 6th-grade joiner comes in January).
    const enrolled = fx.school.all('enrollment').filter((e) => e.role === 'student' && fx.school.get('homeroom_class', e.sectionId)
      && e.beginDate <= '2025-10-31' && (!e.endDate || e.endDate >= '2025-10-01'));
    expect(enrolled.length).toBe(32);
    expect(t.rows.length).toBe(enrolled.length);
    const busiest = [...countBy(absent, (a) => a.studentId)].sort((a, b) => b[1] - a[1])[0];
    expect(t.rows.find((x) => x.pupil === name(busiest[0]))!.absent).toBe(busiest[1]);
  });

  it('a quarter gives a line per pupil and month, and its totals equal the sum of its months', () => {
    const quarter = buildReport(data, 'attendance', Q1.title).tables[0];
    expect(new Set(quarter.rows.map((x) => x.month))).toEqual(new Set(['сентябрь 2025', 'октябрь 2025']));
    const sept = buildReport(data, 'attendance', '2025-09').tables[0];
    const oct = buildReport(data, 'attendance', '2025-10').tables[0];
    // October runs past the quarter's end (24 Oct): the quarter's October line counts up to that day only.
    const octInQ1 = fx.school.all('attendance_record').filter((a) => { const d = lessonOf(a.lessonId).date; return d >= '2025-10-01' && d <= Q1.to; });
    expect(quarter.totals.absent).toBe(Number(sept.totals.absent) + octInQ1.filter((a) => a.kind === 'absent').length);
    expect(Number(oct.totals.absent)).toBeGreaterThanOrEqual(octInQ1.filter((a) => a.kind === 'absent').length);
    expectTotalsAddUp(quarter);
  });
});

describe('R-39 journal filling per teacher', () => {
  it('held lessons, topics, homework (text or «Не задано») and substitutions per teacher match the quarter lessons', () => {
    const [t] = buildReport(data, 'journal-filling', Q1.title).tables;
    expectTotalsAddUp(t);
    const held = fx.school.all('lesson').filter((l) => l.lessonStatus === 'held' && l.date >= Q1.from && l.date <= Q1.to);
    expect(t.totals.held).toBe(held.length);
    expect(t.totals.withTopic).toBe(held.filter((l) => l.topic).length);
    // The 1st grade is given no homework (seed 001 §3.7): its lessons are out of the homework share.
    const homeworkDue = held.filter((l) => gradeOfSection(l.sectionId) > 1);
    expect(homeworkDue.length).toBeLessThan(held.length);
    expect(t.totals.homeworkDue).toBe(homeworkDue.length);
    expect(t.totals.withHomework).toBe(homeworkDue.filter((l) => l.homework?.text || l.homework?.notAssigned).length);
    const substituted = held.filter((l) => l.substituteTeacherId);
    expect(substituted.length).toBeGreaterThan(0);
    expect(t.totals.substituted).toBe(substituted.length);
    for (const [teacher, n] of countBy(held, (l) => l.scheduledTeacherId)) {
      expect(t.rows.find((x) => x.teacher === name(teacher))!.held, name(teacher)).toBe(n);
    }
    // Cancelled lessons are not «проведено».
    expect(fx.school.all('lesson').some((l) => l.lessonStatus !== 'held' && l.date <= Q1.to)).toBe(true);
  });

  it('pupils with no marks and with exactly one mark: the page whose marks were deleted shows both', () => {
    const [t] = buildReport(data, 'journal-filling', Q1.title).tables;
    // Pupil × page pairs of classes above the 1st grade, and their graded marks of the quarter, from the dataset.
    const pairs = fx.school.all('enrollment').filter((e) => e.role === 'student' && fx.school.get('section', e.sectionId)
      && gradeOfSection(e.sectionId) > 1 && e.beginDate <= Q1.to && (!e.endDate || e.endDate >= Q1.from));
    const graded = countBy(fx.liveMarks().filter((m) => m.state === 'graded' && m.markDate >= Q1.from && m.markDate <= Q1.to),
      (m) => `${m.studentId}|${lessonOf(m.lessonId).sectionId}`);
    const n = (e: { personId: string; sectionId: string }) => graded.get(`${e.personId}|${e.sectionId}`) ?? 0;
    expect(t.totals.pupils).toBe(pairs.length);
    expect(t.totals.noMarks).toBe(pairs.filter((e) => n(e) === 0).length);
    expect(t.totals.oneMark).toBe(pairs.filter((e) => n(e) === 1).length);
    expect(t.totals.noMarks).toBeGreaterThanOrEqual(1);
    expect(t.totals.oneMark).toBeGreaterThanOrEqual(1);
    // Timeliness (seed 000 §5.2): graded marks above the 1st grade, and those entered after the lesson's day.
    const samara = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Samara' });
    const pageMarks = fx.liveMarks().filter((m) => m.state === 'graded' && m.markDate >= Q1.from && m.markDate <= Q1.to
      && gradeOfSection(lessonOf(m.lessonId).sectionId) > 1);
    expect(t.totals.marks).toBe(pageMarks.length);
    expect(t.totals.lateEntries).toBeGreaterThan(0);
    expect(t.totals.lateEntries).toBe(pageMarks.filter((m) => samara.format(new Date(m.recordedAt)) > m.markDate).length);
    const teacher = name(fx.school.teacherOf(fx.page.sectionId)!.id);
    const row = t.rows.find((x) => x.teacher === teacher)!;
    expect(row.noMarks).toBeGreaterThanOrEqual(1);
    expect(row.noMarksShare).toBe(Number(row.noMarks) / Number(row.pupils));
  });
});

describe('R-37 class progress per period', () => {
  it('graded marks, quarter finals and the R-13 weighted average of a page match the dataset', () => {
    const [t] = buildReport(data, 'progress', Q1.title).tables;
    expectTotalsAddUp(t);
    const q1Marks = fx.liveMarks().filter((m) => m.markDate >= Q1.from && m.markDate <= Q1.to);
    expect(t.totals.marks).toBe(q1Marks.filter((m) => m.state === 'graded').length);
    const q1 = fx.school.all('academic_session').find((s) => s.title === Q1.title)!;
    const finals = fx.school.all('final_mark').filter((f) => f.periodId === q1.id);
    expect(finals.length).toBeGreaterThan(0);
    expect(t.totals.final).toBe(finals.length);
    // A page computed by hand: Σ(numeric × weight) / Σ weight over graded marks; «точки» left out.
    const f = finals[0];
    const own = q1Marks.filter((m) => m.studentId === f.studentId && lessonOf(m.lessonId).sectionId === f.sectionId && m.state === 'graded');
    const avg = own.reduce((s, m) => s + m.numeric! * m.weightApplied, 0) / own.reduce((s, m) => s + m.weightApplied, 0);
    const subject = fx.school.get('subject', fx.school.get('section', f.sectionId)!.subjectId)!.title;
    const row = t.rows.find((x) => x.pupil === name(f.studentId) && x.subject === subject)!;
    expect(row.average).toBe(Math.round(avg * 100) / 100);
    expect(row.final).toBe(f.raw);
    expect(row.marks).toBe(own.length);
  });

  it('R-11: the two pupils whose marks were cut are below the minimum for the weekly load', () => {
    const [t] = buildReport(data, 'progress', Q1.title).tables;
    const subject = fx.school.get('subject', fx.school.get('section', fx.page.sectionId)!.subjectId)!.title;
    const cls = fx.school.get('homeroom_class', fx.school.get('section', fx.page.sectionId)!.homeroomClassId)!.title;
    const emptied = t.rows.find((x) => x.pupil === name(fx.page.emptied) && x.subject === subject && x.class === cls)!;
    const single = t.rows.find((x) => x.pupil === name(fx.page.single) && x.subject === subject && x.class === cls)!;
    expect([emptied.marks, emptied.belowMinimum, emptied.average]).toEqual([0, 1, null]);
    expect([single.marks, single.belowMinimum]).toEqual([1, 1]);
    expect(Number(t.totals.belowMinimum)).toBe(t.rows.filter((x) => Number(x.marks) < Number(x.minMarks)).length);
  });

  it('class lines: отличники, хорошисты, one «3», неуспевающие, успеваемость and качество from the quarter finals', () => {
    const r = buildReport(data, 'progress', Q1.title);
    const summary = r.tables[1];
    expect(summary.title).toBe('По классам (по отметкам за период)');
    expectTotalsAddUp(summary);
    const q1 = fx.school.all('academic_session').find((s) => s.title === Q1.title)!;
    const perPupil = new Map<string, number[]>();
    for (const f of fx.school.all('final_mark').filter((x) => x.periodId === q1.id)) perPupil.set(f.studentId, [...(perPupil.get(f.studentId) ?? []), f.base!]);
    const lists = [...perPupil.values()];
    const min = (l: number[]) => Math.min(...l);
    expect(summary.totals.graded).toBe(perPupil.size);
    expect(summary.totals.excellent).toBe(lists.filter((l) => min(l) === 5).length);
    expect(summary.totals.good).toBe(lists.filter((l) => min(l) === 4).length);
    expect(summary.totals.oneThree).toBe(lists.filter((l) => l.filter((m) => m === 3).length === 1 && min(l) === 3).length);
    expect(summary.totals.failing).toBe(lists.filter((l) => min(l) <= 2).length);
    expect(summary.totals.qualityShare).toBe(lists.filter((l) => min(l) >= 4).length / perPupil.size);
    expect(summary.totals.successShare).toBe(lists.filter((l) => min(l) >= 3).length / perPupil.size);
    expect(Number(summary.totals.graded)).toBeGreaterThan(0);
  });

  it('takes only an academic session: a month is refused, naming the report and the forms it takes', () => {
    expect(() => buildReport(data, 'progress', '2025-10')).toThrow(/report progress does not take a month period \("2025-10"\).*academic session/);
  });
});

describe('R-38 summary sheet', () => {
  it('every final mark of the year appears once, in the column of its period', () => {
    const r = buildReport(data, 'summary-sheet', Q1.title);
    const [t] = r.tables;
    expect(r.period.sessionKind).toBe('school_year');
    const finals = fx.school.all('final_mark');
    const markColumns = t.columns.filter((c) => c.type === 'mark');
    expect(markColumns.reduce((s, c) => s + Number(t.totals[c.key]), 0)).toBe(finals.length);
    for (const [periodId, n] of countBy(finals, (f) => f.periodId)) expect(t.totals[periodId]).toBe(n);
    expectTotalsAddUp(t);
    const f = finals.at(-1)!;
    const subject = fx.school.get('subject', fx.school.get('section', f.sectionId)!.subjectId)!.title;
    expect(t.rows.find((x) => x.pupil === name(f.studentId) && x.subject === subject)![f.periodId]).toBe(f.raw);
    expect(t.columns.map((c) => c.title)).toEqual(expect.arrayContaining(['1 четверть', '4 четверть', '1 полугодие', 'Год', 'Экзамен', 'Итоговая']));
  });
});

describe('R-40 teacher activity', () => {
  it('marks, attendance and topics entered per teacher and day in September, credited to whoever wrote them', () => {
    const [t] = buildReport(data, 'teacher-activity', '2025-09').tables;
    expectTotalsAddUp(t);
    const samara = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Samara' });
    const day = (instant: string) => samara.format(new Date(instant));
    const sept = <T extends { recordedAt: string }>(list: T[]) => list.filter((x) => day(x.recordedAt).startsWith('2025-09'));
    const marks = sept(fx.liveMarks());
    const attendance = sept(fx.school.all('attendance_record'));
    const topics = sept(fx.school.all('lesson').filter((l) => l.topic));
    expect(t.totals.marks).toBe(marks.length);
    expect(t.totals.attendance).toBe(attendance.length);
    expect(t.totals.topics).toBe(topics.length);
    const perTeacher = (key: string) => {
      const m = new Map<string, number>();
      for (const r of t.rows) m.set(String(r.teacher), (m.get(String(r.teacher)) ?? 0) + Number(r[key]));
      return m;
    };
    const byTopics = perTeacher('topics');
    for (const [who, n] of countBy(topics, (l) => l.recordedBy)) expect(byTopics.get(name(who)), name(who)).toBe(n);
    // A substituted lesson's topic counts for the substitute, who is not the page's scheduled teacher.
    const sub = topics.find((l) => l.substituteTeacherId && l.recordedBy === l.substituteTeacherId)!;
    expect(sub).toBeDefined();
    expect(t.rows.some((r) => r.teacher === name(sub.substituteTeacherId!) && r.day === day(sub.recordedAt) && Number(r.topics) >= 1)).toBe(true);
  });
});

describe('R-29 / R-30 delivery to families', () => {
  it('R-29 lists the marks published later than a day and only those', () => {
    const r = buildReport(data, 'family-delivery', '2025-09');
    const [days, late] = r.tables;
    expectTotalsAddUp(days);
    expectTotalsAddUp(late);
    expect(days.totals.published).toBe(10);
    expect(days.totals.late).toBe(4);
    expect(late.rows.map((x) => x.publishedAt).sort()).toEqual(fx.published.late.map((m) => m.publishedToFamilyAt).sort());
    for (const row of late.rows) expect(Number(row.delayHours)).toBeGreaterThan(24);
    expect(r.notes.join(' ')).toContain(`без даты публикации (не передавались на семейную платформу): ${
      fx.liveMarks().filter((m) => m.recordedAt < '2025-09-30T20:00:00Z').length - 10}`);
  });

  it('R-30 prints a page per guardian who refused digital access, with the week\'s marks and absences of the child', () => {
    const r = buildReport(data, 'family-printout', '2025-10-10');
    expect(r.period).toMatchObject({ kind: 'week', from: '2025-10-04', to: '2025-10-10' });
    const refused = fx.school.all('guardian_link').filter((g) => g.digitalAccess === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(r.tables.length).toBe(refused.length);
    const inWeek = (d: string) => d >= '2025-10-04' && d <= '2025-10-10';
    for (const g of refused) {
      const word = fx.school.get('person', g.studentId)!.sex === 'female' ? 'ученица' : 'ученик';
      const page = r.tables.find((t) => t.title!.startsWith(`${name(g.guardianId)} — ${word} ${name(g.studentId)}`))!;
      expectTotalsAddUp(page);
      expect(page.totals.markCount).toBe(fx.liveMarks().filter((m) => m.studentId === g.studentId && m.state === 'graded' && inWeek(m.markDate)).length);
      const att = fx.school.all('attendance_record').filter((a) => a.studentId === g.studentId && inWeek(lessonOf(a.lessonId).date));
      expect(page.totals.absent).toBe(att.filter((a) => a.kind === 'absent').length);
      expect(page.totals.late).toBe(att.filter((a) => a.kind === 'late').length);
    }
    expect(r.tables.reduce((s, t) => s + Number(t.totals.markCount), 0)).toBeGreaterThan(0);
  });
});

describe('--class: one homeroom class', () => {
  it('the attendance sheet and progress of a class are that class\'s lines of the school\'s report', () => {
    const title = fx.school.get('homeroom_class', fx.school.get('section', fx.page.sectionId)!.homeroomClassId)!.title;
    for (const [kind, period] of [['attendance', '2025-10'], ['progress', Q1.title]] as const) {
      const whole = buildReport(data, kind, period).tables[0];
      const one = buildReport(data, kind, period, { classRef: title.toLowerCase() });
      const [t] = one.tables;
      expect(one.title).toContain(`${title} класс`);
      expect(t.rows.length).toBeGreaterThan(0);
      expect(t.rows).toEqual(whole.rows.filter((r) => r.class === title));
      expectTotalsAddUp(t);
    }
  });

  it('an unknown class is refused with the list of classes', () => {
    expect(() => buildReport(data, 'attendance', '2025-10', { classRef: '12Я' })).toThrow(/--class "12Я" is not a class of school .*; classes: 1А, 2А, .*11А/);
  });
});

describe('bad input is named', () => {
  it('unknown kind, school and period', async () => {
    await expect(reportFromStore(fx.store, 'attendence', fx.schoolId, '2025-10')).rejects.toThrow(/unknown report kind "attendence"; known: journal-filling, attendance/);
    await expect(reportFromStore(fx.store, 'attendance', '00000000-0000-4000-8000-000000000000', '2025-10')).rejects.toThrow(/no school organization with id 00000000-0000-4000-8000-000000000000/);
    expect(() => buildReport(data, 'attendance', '5 четверть')).toThrow(/--period "5 четверть" is neither .* sessions: «2025\/2026 учебный год»/);
    expect(() => buildReport(data, 'attendance', '2025-13')).toThrow(/not a month YYYY-MM/);
    expect(() => buildReport(data, 'family-printout', '2025-02-30')).toThrow(/not a calendar date/);
  });

  it('a session can be named by id as well as by title', () => {
    const q1 = fx.school.all('academic_session').find((s) => s.title === Q1.title)!;
    const byId: Report = buildReport(data, 'journal-filling', q1.id);
    expect(byId.period).toMatchObject({ sessionId: q1.id, from: Q1.from, to: Q1.to });
    expect(byId.tables[0].totals).toEqual(buildReport(data, 'journal-filling', ' 1 Четверть ').tables[0].totals);
  });
});
