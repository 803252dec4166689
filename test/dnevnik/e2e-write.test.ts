import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { workTypeIdOf } from '../../src/emulators/dnevnik/world.js';
import { compareRecords } from '../../src/model/compare.js';
import type { AttendanceWriteOp, MarkWriteOp } from '../../src/connectors/contract.js';
import type { RecordOf } from '../../src/model/records.js';
import { DNEVNIK_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

let school: SyntheticSchool;
let emu: DnevnikEmulator;
let from: string;
let to: string;

beforeAll(async () => {
  school = generateSchool({ seed: 7, pupils: 33, weeks: 1 });
  emu = await startDnevnikEmulator({ dataset: school, emptyJournal: true }); // roster and timetable only: a migration target
  const dates = school.all('lesson').map((l) => l.date).sort();
  [from, to] = [dates[0], dates.at(-1)!];
});
afterAll(() => emu?.close());

/** Grade-push operations for every mark and attendance record of the dataset, platform ids from the crosswalk. */
function operations() {
  const w = emu.world;
  const works = new Map(school.all('work').map((x) => [x.id, x]));
  const periods = new Map(w.periods.map((p) => [String(p.id), p]));
  const marks: MarkWriteOp[] = school.all('mark').map((m) => {
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
  const attendance: AttendanceWriteOp[] = school.all('attendance_record').map((a) => ({
    operationId: `att:${a.id}`, action: 'upsert', record: a as RecordOf<'attendance_record'>,
    targetIds: { person: w.sourceOf.get(a.studentId)!, lesson: w.sourceOf.get(a.lessonId)! },
  }));
  return { marks, attendance };
}

describe('Дневник.ру end to end: push into an empty journal, read back, push again', () => {
  it('marks (POST works + persons/{p}/works/{w}/mark) and log entries (PUT) read back equal; a second push adds nothing', async () => {
    const teacher = emu.info.accounts.find((a) => a.role === 'teacher')!;
    const auth = { kind: 'password', clientId: emu.info.clientId, clientSecret: emu.info.clientSecret, username: teacher.login, password: teacher.password };
    const { marks, attendance } = operations();
    expect(marks.length).toBeGreaterThan(50);
    const push = async () => {
      const c = connectorFor(emu, { auth });
      await c.open();
      try {
        return [...await c.writeMarks!(marks), ...await c.writeAttendance!(attendance)];
      } finally {
        await c.close();
      }
    };
    const first = await push();
    expect(first.filter((r) => r.status !== 'applied')).toEqual([]);
    const counts = () => ({ works: emu.world.works.size, marks: emu.world.marks.size, log: emu.world.logEntries.size });
    const after1 = counts();
    expect(after1.marks).toBe(marks.length);

    const res = await readAndMap(emu, from, to);
    const expected = expectedRecords(school.records, from, to);
    const report = compareRecords(expected, res.records, { entities: ['work', 'mark', 'attendance_record'], ignoreFields: DNEVNIK_IGNORE_FIELDS });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.mark.equal).toBe(marks.length);
    expect(report.compared.attendance_record.equal).toBe(attendance.length);

    const second = await push();
    expect(second.every((r) => r.status === 'applied')).toBe(true);
    expect(counts()).toEqual(after1); // no duplicate work column, mark or log entry
  });

  it('a pupil account cannot write: the refusal is reported, not retried', async () => {
    const pupil = emu.info.accounts.find((a) => a.role === 'student')!;
    const c = connectorFor(emu, { auth: { kind: 'password', clientId: emu.info.clientId, clientSecret: emu.info.clientSecret, username: pupil.login, password: pupil.password } });
    await c.open();
    const [r] = await c.writeAttendance!([operations().attendance[0]]);
    await c.close();
    expect(r.status).toBe('refused');
    expect(r.retryable).toBe(false);
  });
});
