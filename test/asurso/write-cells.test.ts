// Writing АСУ РСО's journal cells. A retake (the pupil's second mark of one type on a lesson) pushed on a later night
// than the first mark: it gets a column of its own; the first mark stays. Deleting a retake that never reached АСУ РСО
// clears nothing. A mark a cell cannot hold (exempt, «осв») is refused and never clears the cell.
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

function op(emu: AsursoEmulator, m: Mark, action: 'upsert' | 'delete', workTypeCode: string, existingSourceId?: string): MarkWriteOp {
  const src = (id: string) => String(emu.world.sourceOf.get(id));
  return {
    operationId: `${m.id}:${action}`, action, record: m, ...(existingSourceId ? { existingSourceId } : {}),
    targetIds: { sgId: src(lessonOf.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode },
  };
}
/** The pupil's marks on the mark's lesson, column by column. */
function cells(emu: AsursoEmulator, m: Mark): string[] {
  const meeting = emu.world.meetings.get(emu.world.sourceOf.get(m.lessonId)!)!;
  const sid = emu.world.sourceOf.get(m.studentId)!;
  return meeting.columns.filter((c) => c.results.has(sid)).map((c) => String(c.results.get(sid)!.mark));
}
/** A first mark (2) and its retake (5) of one pupil, lesson and work type. */
const pair = (k: number) => {
  const m2 = marks.filter((m) => m.slot === 2)[k];
  const m1 = marks.find((m) => m.slot === 1 && m.lessonId === m2.lessonId && m.studentId === m2.studentId)!;
  return { m1: { ...m1, state: 'graded', base: 2, raw: '2', numeric: 2 } as Mark, m2: { ...m2, state: 'graded', base: 5, raw: '5', numeric: 5 } as Mark, type: workOf.get(m1.workId)!.workTypeCode };
};

it('a retake pushed the night after the first mark gets its own column; the first mark stays; a re-push rewrites the same cells', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const { m1, m2, type } = pair(0);
    const write = (o: MarkWriteOp) => withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!([o]));
    const [first] = await write(op(emu, m1, 'upsert', type));
    expect(cells(emu, m1)).toEqual(['2']);
    const [retake] = await write(op(emu, m2, 'upsert', type));
    expect(retake.status).toBe('applied');
    expect(cells(emu, m1)).toEqual(['2', '5']);
    expect(retake.sourceId).not.toBe(first.sourceId);
    // The first mark corrected later goes to its own cell (the ledger's target id), not the retake's.
    await write(op(emu, { ...m1, raw: '3', base: 3, numeric: 3 } as Mark, 'upsert', type, first.sourceId));
    expect(cells(emu, m1)).toEqual(['3', '5']);
  } finally {
    await emu.close();
  }
});

it('deleting a retake that never reached АСУ РСО leaves the first mark alone', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const { m1, m2, type } = pair(1);
    const write = (o: MarkWriteOp) => withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!([o]));
    await write(op(emu, m1, 'upsert', type));
    const [r] = await write(op(emu, m2, 'delete', type));
    expect(r.status).toBe('unchanged');
    expect(cells(emu, m1)).toEqual(['2']);
  } finally {
    await emu.close();
  }
});

it('an exempt mark («осв») is refused with the reason and leaves the cell as it was (it used to clear it, reported as applied)', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    const m = marks.find((x) => x.slot === 1)!;
    const type = workOf.get(m.workId)!.workTypeCode;
    const write = (o: MarkWriteOp) => withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!([o]));
    const [first] = await write(op(emu, { ...m, state: 'graded', base: 4, raw: '4', numeric: 4 } as Mark, 'upsert', type));
    expect(cells(emu, m)).toEqual(['4']);
    const exempt = { ...m, state: 'exempt', raw: 'осв', base: null, numeric: null } as Mark;
    const [r] = await write(op(emu, exempt, 'upsert', type, first.sourceId));
    expect(r).toMatchObject({ status: 'refused', retryable: false, reason: expect.stringMatching(/^asurso: an exempt mark \(«осв»\) has no form in an АСУ РСО journal cell/) });
    expect(cells(emu, m)).toEqual(['4']);
    // On a lesson the pupil has no mark on yet, nothing is written either.
    const other = marks.find((x) => x.slot === 1 && x.lessonId !== m.lessonId)!;
    const [fresh] = await write(op(emu, { ...other, state: 'exempt', raw: 'осв', base: null, numeric: null } as Mark, 'upsert', workOf.get(other.workId)!.workTypeCode));
    expect(fresh.status).toBe('refused');
    expect(cells(emu, other)).toEqual([]);
  } finally {
    await emu.close();
  }
});
