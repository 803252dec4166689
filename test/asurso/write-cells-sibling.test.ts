// АСУ РСО: a pupil's first mark written again on its own while the cell's second mark stays (a teacher deleted the first
// on the platform by hand; the next read found it gone and the push writes it there again, target-deletes.ts). The
// push names the second mark's cell (`otherSlotMark`): the first never goes into it. Before, the first mark was
// written over the second — the pupil's retake gone from АСУ РСО, both records linked to one cell — and the next read
// found the second missing, wrote it back over the first, and so on night after night.
import { expect, it } from 'vitest';
import type { MarkWriteOp } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { RecordOf } from '../../src/model/records.js';
import { withOpenConnector } from '../support/open-connector.js';
import { connectorFor } from './harness.js';

type Mark = RecordOf<'mark'>;
const school = generateSchool({ seed: 7, pupils: 33, weeks: 1 });
const marks = school.all('mark') as Mark[];
const lessonOf = new Map(school.all('lesson').map((l) => [l.id, l]));
const workOf = new Map(school.all('work').map((w) => [w.id, w]));

function op(emu: AsursoEmulator, m: Mark, type: string, extra: Record<string, string> = {}): MarkWriteOp {
  const src = (id: string) => String(emu.world.sourceOf.get(id));
  return {
    operationId: `${m.id}:${m.raw}:${Object.keys(extra).join()}`, action: 'upsert', record: m,
    targetIds: { sgId: src(lessonOf.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode: type, ...extra },
  };
}

it('a first mark written again alone never goes into the cell of the second mark the push names', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const m2raw = marks.filter((m) => m.slot === 2)[2];
    const m1raw = marks.find((m) => m.slot === 1 && m.lessonId === m2raw.lessonId && m.studentId === m2raw.studentId)!;
    const type = workOf.get(m1raw.workId)!.workTypeCode;
    const m1 = { ...m1raw, state: 'graded', base: 2, raw: '2', numeric: 2, modifier: 'none' } as Mark;
    const m2 = { ...m2raw, state: 'graded', base: 5, raw: '5', numeric: 5, modifier: 'none', retakeOfMarkId: m1raw.id } as Mark;
    const write = (ops: MarkWriteOp[]) => withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!(ops));
    const [first, second] = await write([op(emu, m1, type), op(emu, m2, type)]);
    const meeting = emu.world.meetings.get(emu.world.sourceOf.get(m1.lessonId)!)!;
    const sid = emu.world.sourceOf.get(m1.studentId)!;
    const marksThere = () => meeting.columns.filter((c) => c.results.has(sid)).map((c) => c.results.get(sid)!.mark);
    expect(marksThere()).toEqual([2, 5]);
    // A teacher deletes the first mark on АСУ РСО by hand; the push writes it again (its link closed, the second's named).
    meeting.columns.find((c) => c.id === Number(first.sourceId!.split(':')[0]))!.results.delete(sid);
    const [again] = await write([op(emu, m1, type, { otherSlotMark: second.sourceId! })]);
    expect(again.status).toBe('applied');
    expect(again.sourceId).not.toBe(second.sourceId);
    expect(marksThere().sort()).toEqual([2, 5]);
  } finally {
    await emu.close();
  }
});
