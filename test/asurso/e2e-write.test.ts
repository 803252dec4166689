import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { withOpenConnector } from '../support/open-connector.js';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { compareRecords } from '../../src/model/compare.js';
import type { AttendanceWriteOp, MarkWriteOp } from '../../src/connectors/contract.js';
import type { RecordOf } from '../../src/model/records.js';
import { ASURSO_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startAsursoEmulator({ dataset, emptyJournal: true }); // roster and timetable only: a migration target
const s = useEmulatedSchool(start, { seed: 7, pupils: 33, weeks: 1 });

/** quickedit carries neither the mark's comment nor its date: read back, the mark has the lesson's date. */
const WRITE_IGNORE = { ...ASURSO_IGNORE_FIELDS, mark: [...ASURSO_IGNORE_FIELDS.mark!, 'comment', 'markDate'] };

/** Grade-push operations for every mark and attendance record of the dataset, platform ids from the crosswalk. */
function operations() {
  const src = (id: string) => String(s.emu.world.sourceOf.get(id));
  const works = new Map(s.school.all('work').map((x) => [x.id, x]));
  const lessons = new Map(s.school.all('lesson').map((x) => [x.id, x]));
  const marks: MarkWriteOp[] = s.school.all('mark').map((m) => ({
    operationId: `mark:${m.id}`, action: 'upsert', record: m as RecordOf<'mark'>,
    targetIds: { sgId: src(lessons.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode: works.get(m.workId)!.workTypeCode },
  }));
  const attendance: AttendanceWriteOp[] = s.school.all('attendance_record').map((a) => ({
    operationId: `att:${a.id}`, action: 'upsert', record: a as RecordOf<'attendance_record'>,
    targetIds: { sgId: src(lessons.get(a.lessonId)!.sectionId), cmId: src(a.lessonId), studentId: src(a.studentId) },
  }));
  return { marks, attendance };
}

const cells = () => {
  let columns = 0; let results = 0; let attendance = 0;
  for (const m of s.emu.world.meetings.values()) {
    columns += m.columns.length;
    attendance += m.attendance.size;
    for (const c of m.columns) results += c.results.size;
  }
  return { columns, results, attendance };
};

describe('АСУ РСО end to end: push into an empty journal through grade/journal/quickedit, read back, push again', () => {
  it('marks (incl. «точка» as dutyMark) and attendance letters read back equal; a second push adds no column and no cell', async () => {
    const { marks, attendance } = operations();
    expect(marks.length).toBeGreaterThan(50);
    expect(marks.some((m) => m.record.state === 'owed')).toBe(true);
    const push = () => withOpenConnector(connectorFor(s.emu, { role: 'teacher' }), async (c) => [...await c.writeMarks!(marks), ...await c.writeAttendance!(attendance)]);
    const first = await push();
    expect(first.filter((r) => r.status !== 'applied')).toEqual([]);
    const after1 = cells();
    expect(after1.results).toBe(marks.length);
    expect(after1.attendance).toBe(attendance.length);

    const res = await readAndMap(s.emu, s.from, s.to);
    const expected = expectedRecords(s.school.records, s.from, s.to, ['mark', 'attendance_record']);
    const report = compareRecords(expected, res.records, { entities: ['mark', 'attendance_record'], ignoreFields: WRITE_IGNORE });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.mark.equal).toBe(marks.length);
    expect(report.compared.attendance_record.equal).toBe(attendance.length);

    const second = await push();
    expect(second.every((r) => r.status === 'applied')).toBe(true);
    expect(cells()).toEqual(after1); // no duplicate column, mark or attendance cell
    expect(s.emu.liveSessions()).toBe(0);
  });

  it('clearing a mark (mark: null without dutyMark) and an attendance letter (reason: null) removes the cell', async () => {
    const { marks, attendance } = operations();
    const c = connectorFor(s.emu, { role: 'teacher' });
    await c.open();
    const before = cells();
    const [m] = await c.writeMarks!([{ ...marks[0], action: 'delete' }]);
    const [a] = await c.writeAttendance!([{ ...attendance[0], action: 'delete' }]);
    await c.close();
    expect([m.status, a.status]).toEqual(['applied', 'applied']);
    expect(cells()).toEqual({ columns: before.columns, results: before.results - 1, attendance: before.attendance - 1 });
  });

  it('a pupil account cannot write: the write fails and stays due — the next push, once the operator has fixed the account, sends it', async () => {
    const c = connectorFor(s.emu, { role: 'student' });
    await c.open();
    const [r] = await c.writeAttendance!([operations().attendance[0]]);
    await c.close();
    // Not "refused" (never sent again): the mark is the school's, only the account is wrong (src/connectors/write-results.ts).
    expect(r).toMatchObject({ status: 'failed', retryable: true });
  });
});
