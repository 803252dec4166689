// АСУ РСО: a pupil's first mark moved at the system of record into the work type of their second (a teacher on ЭПОС
// changes its control form; the second now retakes it). Both marks are pushed in one call, each into its own cell of
// that type, the first before the second — and the first's old column is cleared. Before, the second went back to the
// cell it had (its ledger target id) though the first had just been written there: both were reported applied into
// one cell, and the platform kept the second mark alone.
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
const types = [...new Set(school.all('work').map((w) => w.workTypeCode))];

function op(emu: AsursoEmulator, m: Mark, workTypeCode: string, existingSourceId?: string): MarkWriteOp {
  const src = (id: string) => String(emu.world.sourceOf.get(id));
  return {
    operationId: `${m.id}:${m.raw}:${workTypeCode}`, action: 'upsert', record: m, ...(existingSourceId ? { existingSourceId } : {}),
    targetIds: { sgId: src(lessonOf.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode },
  };
}
/** The pupil's marks on the mark's lesson, column by column. */
function cells(emu: AsursoEmulator, m: Mark): string[] {
  const meeting = emu.world.meetings.get(emu.world.sourceOf.get(m.lessonId)!)!;
  const sid = emu.world.sourceOf.get(m.studentId)!;
  return meeting.columns.filter((c) => c.results.has(sid)).map((c) => String(c.results.get(sid)!.mark));
}

it('a first mark moved into its retake\'s work type: both cells kept, in order, the old column cleared', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const m2 = marks.find((m) => m.slot === 2)!;
    const m1 = marks.find((m) => m.slot === 1 && m.lessonId === m2.lessonId && m.studentId === m2.studentId)!;
    const [a, b] = types;
    const graded = (m: Mark, base: number, extra: Partial<Mark> = {}) => ({ ...m, state: 'graded', base, raw: String(base), numeric: base, modifier: 'none', ...extra }) as Mark;
    const write = (ops: MarkWriteOp[]) => withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!(ops));
    // The first night: the first mark (2) of type a, the second (5) of type b.
    const [first, second] = await write([op(emu, graded(m1, 2), a), op(emu, graded(m2, 5), b)]);
    expect([first.status, second.status]).toEqual(['applied', 'applied']);
    expect(cells(emu, m1).sort()).toEqual(['2', '5']);
    // The first mark's work type is now b (corrected to 3), and the second retakes it.
    const [r1, r2] = await write([
      op(emu, graded(m1, 3), b, first.sourceId),
      op(emu, graded(m2, 5, { retakeOfMarkId: m1.id }), b, second.sourceId),
    ]);
    expect([r1.status, r2.status]).toEqual(['applied', 'applied']);
    expect(r1.sourceId).not.toBe(r2.sourceId);
    expect(cells(emu, m1)).toEqual(['3', '5']);
  } finally {
    await emu.close();
  }
});
