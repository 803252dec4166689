// quickedit takes all of a lesson's marks in one body, and АСУ РСО refuses the body whole for one bad item (here a
// pupil who has left the subject group). Only that mark may be refused; the others of the lesson are written.
import { expect, it } from 'vitest';
import type { MarkWriteOp } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { RecordOf } from '../../src/model/records.js';
import { withOpenConnector } from '../support/open-connector.js';
import { connectorFor } from './harness.js';

type Mark = RecordOf<'mark'>;
const school = generateSchool({ seed: 7, pupils: 33, weeks: 1 });

it('one pupil no longer in the subject group: only their mark is refused, the lesson\'s other marks are written', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const lessonOf = new Map(school.all('lesson').map((l) => [l.id, l]));
    const workOf = new Map(school.all('work').map((w) => [w.id, w]));
    const byLesson = new Map<string, Mark[]>();
    for (const m of school.all('mark') as Mark[]) if (m.slot === 1 && m.state === 'graded') (byLesson.get(m.lessonId) ?? byLesson.set(m.lessonId, []).get(m.lessonId)!).push(m);
    const three = [...byLesson.values()].find((l) => new Set(l.map((m) => m.studentId)).size >= 3)!.slice(0, 3);
    const src = (id: string) => String(emu.world.sourceOf.get(id));
    const ops: MarkWriteOp[] = three.map((m) => ({
      operationId: m.id, action: 'upsert', record: m,
      targetIds: { sgId: src(lessonOf.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode: workOf.get(m.workId)!.workTypeCode },
    }));
    const group = emu.world.groups.get(Number(ops[0].targetIds.sgId))!;
    group.pupils = group.pupils.filter((p) => p !== Number(ops[0].targetIds.studentId));
    const res = await withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!(ops));
    expect(res.map((r) => r.status)).toEqual(['refused', 'applied', 'applied']);
    expect(res[0].retryable).toBe(false);
    const meeting = emu.world.meetings.get(Number(ops[0].targetIds.cmId))!;
    for (const op of ops.slice(1)) expect(meeting.columns.some((c) => c.results.has(Number(op.targetIds.studentId)))).toBe(true);
  } finally {
    await emu.close();
  }
});

// A mark or absence whose subject group is not linked on АСУ РСО yet (its roster sync has not run since the group was
// made) went out with `sgId: NaN`: the platform refused it and the push took that for good. It waits for the link.
it('a mark or absence whose subject group is not linked yet is held for the next push, not sent without a group', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const m = (school.all('mark') as Mark[]).find((x) => x.slot === 1 && x.state === 'graded')!;
    const a = school.all('attendance_record')[0] as RecordOf<'attendance_record'>;
    const workOf = new Map(school.all('work').map((w) => [w.id, w]));
    const src = (id: string) => String(emu.world.sourceOf.get(id));
    const res = await withOpenConnector(connectorFor(emu, { role: 'teacher' }), async (c) => ({
      marks: await c.writeMarks!([{ operationId: 'm1', action: 'upsert', record: m, targetIds: { lesson: src(m.lessonId), student: src(m.studentId), workTypeCode: workOf.get(m.workId)!.workTypeCode } }]),
      attendance: await c.writeAttendance!([{ operationId: 'a1', action: 'upsert', record: a, targetIds: { lesson: src(a.lessonId), student: src(a.studentId) } }]),
    }));
    for (const r of [...res.marks, ...res.attendance]) {
      expect(r).toMatchObject({ status: 'failed', retryable: true });
      expect(r.reason).toMatch(/subject group is not linked/);
    }
    // Nothing was sent to the journal (the write route is quickedit; the absences' too).
    expect(Object.entries(emu.stats().byRoute).filter(([route, n]) => /quickedit/.test(route) && n > 0)).toEqual([]);
  } finally {
    await emu.close();
  }
});
