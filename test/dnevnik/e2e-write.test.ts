import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { withOpenConnector } from '../support/open-connector.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { workTypeIdOf } from '../../src/emulators/dnevnik/world.js';
import { compareRecords } from '../../src/model/compare.js';
import type { AttendanceWriteOp, LessonWriteOp, MarkWriteOp } from '../../src/connectors/contract.js';
import { HOMEWORK_WORK_TYPE } from '../../src/mappers/dnevnik/codes.js';
import type { RecordOf } from '../../src/model/records.js';
import { DNEVNIK_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startDnevnikEmulator({ dataset, emptyJournal: true }); // roster and timetable only: a migration target
const s = useEmulatedSchool(start, { seed: 7, pupils: 33, weeks: 1 });

/** Grade-push operations for every mark and attendance record of the dataset, platform ids from the crosswalk. */
function operations() {
  const w = s.emu.world;
  const works = new Map(s.school.all('work').map((x) => [x.id, x]));
  const periods = new Map(w.periods.map((p) => [String(p.id), p]));
  const marks: MarkWriteOp[] = s.school.all('mark').map((m) => {
    const work = works.get(m.workId)!;
    const target = w.sectionTarget.get(work.sectionId)!;
    const period = periods.get(w.sourceOf.get(work.gradingPeriodId)!)!;
    return {
      operationId: `mark:${m.id}`, action: 'upsert', record: m as RecordOf<'mark'>,
      targetIds: {
        person: w.sourceOf.get(m.studentId)!, lesson: w.sourceOf.get(m.lessonId)!, eduGroup: String(target.group), subject: String(target.subject),
        workType: String(workTypeIdOf(work.workTypeCode)), workTitle: work.title, periodNumber: String(period.number), periodType: period.type,
        ...(work.dueDate ? { dueDate: work.dueDate } : {}),
      },
    };
  });
  const attendance: AttendanceWriteOp[] = s.school.all('attendance_record').map((a) => ({
    operationId: `att:${a.id}`, action: 'upsert', record: a as RecordOf<'attendance_record'>,
    targetIds: { person: w.sourceOf.get(a.studentId)!, lesson: w.sourceOf.get(a.lessonId)! },
  }));
  return { marks, attendance };
}

describe('Дневник.ру end to end: push into an empty journal, read back, push again', () => {
  it('marks (POST works + persons/{p}/works/{w}/mark) and log entries (PUT) read back equal; a second push adds nothing', async () => {
    const teacher = s.emu.info.accounts.find((a) => a.role === 'teacher')!;
    const auth = { kind: 'password', clientId: s.emu.info.clientId, clientSecret: s.emu.info.clientSecret, username: teacher.login, password: teacher.password };
    const { marks, attendance } = operations();
    expect(marks.length).toBeGreaterThan(50);
    const push = () => withOpenConnector(connectorFor(s.emu, { auth }), async (c) => [...await c.writeMarks!(marks), ...await c.writeAttendance!(attendance)]);
    const first = await push();
    expect(first.filter((r) => r.status !== 'applied')).toEqual([]);
    const counts = () => ({ works: s.emu.world.works.size, marks: s.emu.world.marks.size, log: s.emu.world.logEntries.size });
    const after1 = counts();
    expect(after1.marks).toBe(marks.length);

    const res = await readAndMap(s.emu, s.from, s.to);
    const expected = expectedRecords(s.school.records, s.from, s.to);
    const report = compareRecords(expected, res.records, { entities: ['work', 'mark', 'attendance_record'], ignoreFields: DNEVNIK_IGNORE_FIELDS });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.mark.equal).toBe(marks.length);
    expect(report.compared.attendance_record.equal).toBe(attendance.length);

    const second = await push();
    expect(second.every((r) => r.status === 'applied')).toBe(true);
    expect(counts()).toEqual(after1); // no duplicate work column, mark or log entry
  });

  it('a pupil account cannot write: the write fails and stays due — the next push, once the operator has fixed the account, sends it', async () => {
    const pupil = s.emu.info.accounts.find((a) => a.role === 'student')!;
    const c = connectorFor(s.emu, { auth: { kind: 'password', clientId: s.emu.info.clientId, clientSecret: s.emu.info.clientSecret, username: pupil.login, password: pupil.password } });
    await c.open();
    const [r] = await c.writeAttendance!([operations().attendance[0]]);
    await c.close();
    // Not "refused" (never sent again): the mark is the school's, only the account is wrong (src/connectors/write-results.ts).
    expect(r).toMatchObject({ status: 'failed', retryable: true });
  });
});

/** Grade-push operations for every lesson of the dataset holding a homework text, platform ids from the crosswalk. */
function homeworkOperations(): LessonWriteOp[] {
  const w = s.emu.world;
  return s.school.all('lesson').filter((l) => l.homework?.text?.trim()).map((l) => {
    const target = w.sectionTarget.get(l.sectionId)!;
    return {
      operationId: `lesson:${l.id}`, action: 'upsert', record: l as RecordOf<'lesson'>,
      targetIds: { lesson: w.sourceOf.get(l.id)!, section: `${target.group}:${target.subject}`, lessonDate: l.date },
    };
  });
}

describe('Дневник.ру end to end: homework (POST works, type Homework)', () => {
  const teacher = () => s.emu.info.accounts.find((a) => a.role === 'teacher')!;
  const push = (ops: LessonWriteOp[], over: Parameters<typeof connectorFor>[1] = {}) => {
    const t = teacher();
    const auth = { kind: 'password', clientId: s.emu.info.clientId, clientSecret: s.emu.info.clientSecret, username: t.login, password: t.password };
    return withOpenConnector(connectorFor(s.emu, { auth, ...over }), (c) => c.writeLessons!(ops));
  };
  const homeworkWorks = () => [...s.emu.world.works.values()].filter((x) => x.type === HOMEWORK_WORK_TYPE).length;

  it('reaches an empty journal and reads back as the lesson\'s homework; a second push, a retry after a crash, adds no work', async () => {
    const ops = homeworkOperations();
    expect(ops.length).toBeGreaterThan(20);
    expect(homeworkWorks()).toBe(0); // the target holds roster and timetable only
    const first = await push(ops);
    expect(first.filter((r) => r.status !== 'applied')).toEqual([]);
    expect(homeworkWorks()).toBe(ops.length);

    const read = await readAndMap(s.emu, s.from, s.to);
    const back = new Map(read.records.filter((r) => r.entity === 'lesson').map((r) => [r.id, r as RecordOf<'lesson'>]));
    for (const op of ops) {
      const l = op.record as RecordOf<'lesson'>;
      if (l.date < s.from || l.date > s.to) continue;
      expect(back.get(l.id)?.homework, l.id).toMatchObject({ text: l.homework!.text!.trim(), ...(l.homework!.dueDate ? { dueDate: l.homework!.dueDate } : {}) });
    }

    // A new connector (a worker restarted after the POSTs, before the ledger was marked) reads the lessons first.
    const again = await push(ops);
    expect(again.every((r) => r.status === 'unchanged')).toBe(true);
    expect(homeworkWorks()).toBe(ops.length);
  });

  it('a lesson its class\'s window does not list (the target moved it to another day) is looked up by itself: no second homework', async () => {
    const moved = homeworkOperations().slice(0, 3).map((op) => ({ ...op, operationId: `${op.operationId}|moved`, targetIds: { ...op.targetIds, lessonDate: '2026-03-02' } }));
    const before = homeworkWorks();
    const results = await push(moved);
    expect(results.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(homeworkWorks()).toBe(before);
  });

  it('a homework changed after it was written is refused, naming why, and the lesson keeps the one it has', async () => {
    const [op] = homeworkOperations();
    const changed = { ...op, operationId: `${op.operationId}|v2`, record: { ...op.record, homework: { ...op.record.homework!, text: 'Упражнение 999' } } };
    const before = homeworkWorks();
    const [r] = await push([changed]);
    expect(r).toMatchObject({ status: 'refused', retryable: false });
    expect(r.reason).toContain('no route to change a work');
    expect(homeworkWorks()).toBe(before);
  });

  it('lessons are read a class and a calendar window at a time, shared by every call of a push — not one request per lesson', async () => {
    const ops = homeworkOperations();
    const route = (n: string) => Object.entries(s.emu.stats().byRoute).filter(([k]) => k.includes(n)).reduce((a, [, v]) => a + v, 0);
    const before = { lessons: route('lessons/{from}/{to}'), works: route('works') };
    const half = Math.ceil(ops.length / 2);
    const t = teacher();
    const auth = { kind: 'password', clientId: s.emu.info.clientId, clientSecret: s.emu.info.clientSecret, username: t.login, password: t.password };
    await withOpenConnector(connectorFor(s.emu, { auth }), async (c) => {
      await c.writeLessons!(ops.slice(0, half));
      await c.writeLessons!(ops.slice(half));
    });
    const groups = new Set(ops.map((op) => op.targetIds.section.split(':')[0]));
    const lessonReads = route('lessons/{from}/{to}') - before.lessons;
    expect(lessonReads).toBeGreaterThan(0);
    // One week of lessons: at most two 7-day calendar windows per class, whichever call asks.
    expect(lessonReads).toBeLessThanOrEqual(groups.size * 2);
    expect(route('works') - before.works).toBe(0); // everything was there: nothing written, no per-lesson works read
  });
});
