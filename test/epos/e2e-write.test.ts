import { eposDeclaration } from '../../src/connectors/epos/declaration.js';
import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { withOpenConnector } from '../support/open-connector.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import { compareRecords } from '../../src/model/compare.js';
import type { AttendanceWriteOp, MarkWriteOp } from '../../src/connectors/contract.js';
import type { RecordOf } from '../../src/model/records.js';
import { EPOS_IGNORE_FIELDS, connectorFor, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startEposEmulator({ dataset, emptyJournal: true }); // roster and timetable only: a migration target
const s = useEmulatedSchool(start, { seed: 7, pupils: 33, weeks: 1, timeZone: 'Asia/Yekaterinburg' });

/** Grade-push operations for every mark and attendance record of the dataset, platform ids from the crosswalk. */
function operations() {
  const w = s.emu.world;
  const works = new Map(s.school.all('work').map((x) => [x.id, x]));
  const marks: MarkWriteOp[] = s.school.all('mark').map((m) => ({
    operationId: `mark:${m.id}`, action: 'upsert', record: m as RecordOf<'mark'>,
    targetIds: { student: w.sourceOf.get(m.studentId)!, lesson: w.sourceOf.get(m.lessonId)!, controlForm: String(w.controlForms.get(works.get(m.workId)!.workTypeCode)!.id) },
  }));
  const lessons = new Map(s.school.all('lesson').map((l) => [l.id, l as RecordOf<'lesson'>]));
  // As the push gives them (push-ops.ts): the lesson's group and day, which an absence already there is read back by.
  const attendance: AttendanceWriteOp[] = s.school.all('attendance_record').map((a) => ({
    operationId: `att:${a.id}`, action: 'upsert', record: a as RecordOf<'attendance_record'>,
    targetIds: { student: w.sourceOf.get(a.studentId)!, lesson: w.sourceOf.get(a.lessonId)!, section: w.sourceOf.get(lessons.get(a.lessonId)!.sectionId)!, lessonDate: lessons.get(a.lessonId)!.date },
  }));
  return { marks, attendance };
}

/** The platform stamps who wrote and when (declaration `unwritable`): a pushed record reads back with the writer and the push time. */
const WRITE_IGNORE = {
  ...EPOS_IGNORE_FIELDS,
  mark: [...(EPOS_IGNORE_FIELDS.mark ?? []), ...(eposDeclaration.unwritable?.mark ?? [])],
  attendance_record: [...(EPOS_IGNORE_FIELDS.attendance_record ?? []), ...(eposDeclaration.unwritable?.attendance_record ?? [])],
};

describe('ЭПОС end to end: grade push into an empty journal', () => {
  it('pushes every mark (incl. «точки» and retakes) and absence, reads them back with zero differences; a second push duplicates nothing', async () => {
    const teacher = s.emu.info.accounts.find((a) => a.role === 'teacher')!;
    const auth = { kind: 'password', login: teacher.login, password: teacher.password };
    const { marks, attendance } = operations();
    expect(marks.length).toBeGreaterThan(50);
    expect(marks.some((m) => m.record.state === 'owed') && marks.some((m) => m.record.retakeOfMarkId)).toBe(true);
    const push = () => withOpenConnector(connectorFor(s.emu, { auth }), async (c) => ({ marks: await c.writeMarks!(marks), attendance: await c.writeAttendance!(attendance) }));
    const first = await push();
    expect([...first.marks, ...first.attendance].filter((r) => r.status !== 'applied')).toEqual([]);
    const counts = () => ({ marks: s.emu.world.marks.size, attendance: s.emu.world.attendances.size });
    const after1 = counts();
    expect(after1).toEqual({ marks: marks.length, attendance: attendance.length });

    const res = await readAndMap(s.emu, s.from, s.to);
    expect(res.quarantine).toEqual([]);
    const expected = expectedRecords(s.school.records, s.from, s.to);
    const report = compareRecords(expected, res.records, { entities: ['mark', 'attendance_record'], ignoreFields: WRITE_IGNORE });
    expect(report.differences.slice(0, 10)).toEqual([]);
    expect(report.compared.mark.equal).toBe(marks.length);
    expect(report.compared.attendance_record.equal).toBe(attendance.length);

    const second = await push();
    expect(second.marks.every((r) => r.status === 'applied')).toBe(true); // found and updated in place (PUT)
    expect(second.attendance.filter((r) => r.status !== 'unchanged')).toEqual([]); // «Пропуск … уже существует», read back: the same reason
    expect(counts()).toEqual(after1); // no duplicate mark or absence
  });

  it('a deleted mark is removed with DELETE core/api/marks/{id}', async () => {
    const teacher = s.emu.info.accounts.find((a) => a.role === 'teacher')!;
    const c = connectorFor(s.emu, { auth: { kind: 'password', login: teacher.login, password: teacher.password } });
    await c.open();
    const op = { ...operations().marks[0], action: 'delete' as const };
    const before = s.emu.world.marks.size;
    const [r] = await c.writeMarks!([op]);
    const [again] = await c.writeMarks!([op]);
    await c.close();
    expect(r.status).toBe('applied');
    expect(again.status).toBe('unchanged');
    expect(s.emu.world.marks.size).toBe(before - 1);
  });

  it('a pupil account cannot write: the write fails and stays due — the next push, once the operator has fixed the account, sends it', async () => {
    const pupil = s.emu.info.accounts.find((a) => a.role === 'student')!;
    const c = connectorFor(s.emu, { auth: { kind: 'password', login: pupil.login, password: pupil.password } });
    await c.open();
    const [r] = await c.writeAttendance!([operations().attendance[0]]);
    await c.close();
    // Not "refused" (never sent again): the mark is the school's, only the account is wrong (src/connectors/write-results.ts).
    expect(r).toMatchObject({ status: 'failed', retryable: true });
  });
});
