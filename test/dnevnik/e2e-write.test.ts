import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { withOpenConnector } from '../support/open-connector.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { workTypeIdOf } from '../../src/emulators/dnevnik/world.js';
import { compareRecords } from '../../src/model/compare.js';
import type { AttendanceWriteOp, MarkWriteOp } from '../../src/connectors/contract.js';
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
