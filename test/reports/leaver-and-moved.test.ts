// Pupils who left or moved class, as staff and parents see them.
// - A pupil who left (roster sync tombstoned their enrollments): their marks still count, but the progress, summary
//   sheet and attendance reports printed their row under a UUID — on a sheet kept for 25 years.
// - A pupil moved from one class to another mid-year: the parents' diary named the class they had left; the
//   half-year progress report held them to both quarters' R-11 minimums on both classes' pages, so every line of
//   theirs read «Меньше минимума». The diary's "today" was the UTC date: on the day of the move, east of Greenwich,
//   the old class until the small hours.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord, EnrollmentRecord } from '../../src/model/index.js';
import { minMarksFor } from '../../src/model/rules/types.js';
import { reportFromStore } from '../../src/reports/index.js';
import { openStore } from '../../src/store/index.js';
import { childSummary } from '../../src/web/diary.js';

describe('pupils who left or moved class', () => {
  afterEach(() => { vi.useRealTimers(); });
  it('a pupil who left is named in the reports their marks still count in', async () => {
    const school = generateSchool({ seed: 7, pupils: 40, weeks: 10 });
    const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await store.upsertMany(school.records, { runId: 't' });
      const schoolId = school.schools()[0].id;
      const leaver = school.all('mark').find((m) => m.state === 'graded')!.studentId;
      const person = school.get('person', leaver)!;
      await store.deleteMany('enrollment', school.all('enrollment').filter((e) => e.personId === leaver).map((e) => e.id), { reason: 'snapshot_absent', evidence: 'left', runId: 'roster' });
      // Gone from the roster altogether: still the name on their marks.
      await store.deleteMany('person', [leaver], { reason: 'snapshot_absent', evidence: 'left', runId: 'roster' });
      const name = `${person.familyName} ${person.givenName}`;
      for (const kind of ['progress', 'summary-sheet', 'attendance']) {
        const rows = (await reportFromStore(store, kind, schoolId, '1 четверть')).tables.flatMap((t) => t.rows.map((r) => String(r.pupil)));
        expect(rows, kind).not.toContain(leaver);
        expect(rows.some((r) => r.startsWith(name)), kind).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it('the parents\' diary names the class a moved pupil is in now, not the one they left', async () => {
    const school = generateSchool({ seed: 7, pupils: 40, weeks: 10 });
    const records = school.records as CanonicalRecord[];
    const classes = school.all('homeroom_class');
    const from = classes.find((c) => c.gradeLevel === 6)!;
    const to = classes.find((c) => c.gradeLevel === 7)!;
    const classOfSection = new Map(school.all('section').map((s) => [s.id, s.homeroomClassId]));
    const inClass = (e: EnrollmentRecord, c: string) => e.role === 'student' && (e.sectionId === c || classOfSection.get(e.sectionId) === c);
    const pupil = school.all('enrollment').find((e) => inClass(e, from.id))!.personId;
    for (const r of records) if (r.entity === 'enrollment' && r.personId === pupil && inClass(r, from.id)) r.endDate = '2025-09-30';
    // Enrolled in the other class from 1 October, in its class and groups, as a classmate there is.
    const classmate = school.all('enrollment').find((e) => inClass(e, to.id))!.personId;
    let n = 0;
    for (const e of school.all('enrollment').filter((x) => x.personId === classmate && inClass(x, to.id))) {
      records.push({ ...e, id: `0199ffff-0000-7000-8000-${String(++n).padStart(12, '0')}`, personId: pupil, beginDate: '2025-10-01', endDate: undefined } as CanonicalRecord);
    }
    const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await store.upsertMany(records, { runId: 't' });
      expect((await childSummary(store, pupil, '2025-11-10'))?.className).toBe(to.title);
      expect((await childSummary(store, pupil, '2025-09-15'))?.className).toBe(from.title);
      // In the summer after the year: the class they were in last.
      expect((await childSummary(store, pupil, '2026-07-15'))?.className).toBe(to.title);
      // "Today" is the school's day (Europe/Samara, UTC+4): at 01:30 on 1 October there, still 30 September in UTC.
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-09-30T21:30:00Z') });
      expect((await childSummary(store, pupil))?.className).toBe(to.title);
      vi.setSystemTime(new Date('2025-09-30T19:30:00Z')); // 23:30 on 30 September there
      expect((await childSummary(store, pupil))?.className).toBe(from.title);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('R-11 in the half-year progress report judges a moved pupil only for the quarters they were on each page', async () => {
    // Moved from 6А to 7А between the 1st quarter (to 24 October) and the 2nd (from 3 November), with the 1st
    // quarter's marks and finals in 6А and the 2nd quarter's marks in 7А, as a classmate there has them.
    const school = generateSchool({ seed: 7, pupils: 40, weeks: 17 });
    const classes = school.all('homeroom_class');
    const from = classes.find((c) => c.gradeLevel === 6)!;
    const to = classes.find((c) => c.gradeLevel === 7)!;
    const sections = new Map(school.all('section').map((s) => [s.id, s]));
    const lessons = new Map(school.all('lesson').map((l) => [l.id, l]));
    const classOfSection = (id: string) => sections.get(id)?.homeroomClassId;
    const inClass = (e: EnrollmentRecord, c: string) => e.role === 'student' && (e.sectionId === c || classOfSection(e.sectionId) === c);
    const pupil = school.all('enrollment').find((e) => inClass(e, from.id))!.personId;
    const classmate = school.all('enrollment').find((e) => inClass(e, to.id))!.personId;
    const firstQuarter = school.all('academic_session').find((s) => s.kind === 'quarter' && s.title === '1 четверть')!;
    const onOldPage = (studentId: string, sectionId: string) => studentId === pupil && classOfSection(sectionId) === from.id;
    const records: CanonicalRecord[] = [];
    for (const r of school.records as CanonicalRecord[]) {
      if (r.entity === 'enrollment' && r.personId === pupil && inClass(r, from.id)) records.push({ ...r, endDate: '2025-10-31' });
      else if ((r.entity === 'mark' || r.entity === 'attendance_record') && onOldPage(r.studentId, lessons.get(r.lessonId)!.sectionId)
        && lessons.get(r.lessonId)!.date >= '2025-11-01') continue;
      else if (r.entity === 'final_mark' && onOldPage(r.studentId, r.sectionId) && r.periodId !== firstQuarter.id) continue;
      else records.push(r);
    }
    let n = 0;
    const newId = () => `0199ffff-0000-7000-8000-${String(++n).padStart(12, '0')}`;
    for (const e of school.all('enrollment').filter((x) => x.personId === classmate && inClass(x, to.id))) {
      records.push({ ...e, id: newId(), personId: pupil, beginDate: '2025-11-01', endDate: undefined } as CanonicalRecord);
    }
    for (const m of school.all('mark').filter((x) => x.studentId === classmate && lessons.get(x.lessonId)!.date >= '2025-11-01')) {
      records.push({ ...m, id: newId(), studentId: pupil } as CanonicalRecord);
    }
    const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await store.upsertMany(records, { runId: 't' });
      const person = school.get('person', pupil)!;
      const report = await reportFromStore(store, 'progress', school.schools()[0].id, '1 полугодие');
      const lines = report.tables[0].rows.filter((r) => r.pupil === `${person.familyName} ${person.givenName}`);
      // Weekly hours of the pupil's pages, by the class and subject a line names.
      const subjects = new Map(school.all('subject').map((s) => [s.id, s.title]));
      const hoursOf = new Map(records.filter((r): r is EnrollmentRecord => r.entity === 'enrollment' && r.personId === pupil)
        .map((e) => sections.get(e.sectionId)).filter((s) => s !== undefined && s.weeklyHours > 0)
        .map((s) => [`${classes.find((c) => c.id === s!.homeroomClassId)!.title}|${subjects.get(s!.subjectId)}`, s!.weeklyHours]));
      expect(lines.length).toBe(hoursOf.size);
      expect(new Set(lines.map((r) => r.class))).toEqual(new Set([from.title, to.title]));
      for (const line of lines) {
        // One quarter on each page: the need is that quarter's minimum, and the seeded marks meet it.
        const where = `${line.class}|${line.subject}`;
        expect(line.minMarks, where).toBe(minMarksFor(hoursOf.get(where)!));
        expect(line.belowMinimum, where).toBe(0);
      }
    } finally {
      await store.close();
    }
  }, 120_000);
});
