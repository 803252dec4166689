// АСУ РСО numbers a pupil's marks on a lesson in column order (R-09 slots). A lesson's first push creates its columns
// in the order the body lists them: when another pupil's only mark, of the second work type, came first, the column
// of a pupil's second mark was made before that of their first, and the read-back swapped the pupil's two marks
// (a 300-pupil demo counted 218 marks "different" on АСУ РСО). Columns are now created in the pupils' slot order.
import { expect, it } from 'vitest';
import type { MarkWriteOp } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { RecordOf } from '../../src/model/records.js';
import { withOpenConnector } from '../support/open-connector.js';
import { connectorFor } from './harness.js';

type Mark = RecordOf<'mark'>;
const school = generateSchool({ seed: 7, pupils: 33, weeks: 1 });
const lessonOf = new Map(school.all('lesson').map((l) => [l.id, l]));
const types = [...new Set(school.all('work').map((w) => w.workTypeCode))];

function op(emu: AsursoEmulator, m: Mark, workTypeCode: string): MarkWriteOp {
  const src = (id: string) => String(emu.world.sourceOf.get(id));
  return {
    operationId: `${m.id}:${m.slot}`, action: 'upsert', record: m,
    targetIds: { sgId: src(lessonOf.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode },
  };
}

it('a pupil\'s first mark lands in an earlier column than their second, whatever order the lesson\'s marks come in', async () => {
  expect(types.length).toBeGreaterThanOrEqual(2);
  const [first, second] = types;
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  try {
    // One lesson, two pupils of its group: Q has one mark, of the second type; P has one of each, the first type first.
    const base = (school.all('mark') as Mark[])[0];
    const lesson = emu.world.meetings.get(emu.world.sourceOf.get(base.lessonId)!)!;
    const group = emu.world.groups.get(lesson.sg)!;
    const pupilIds = [...emu.world.sourceOf].filter(([, sid]) => group.pupils.includes(sid as number)).map(([id]) => id).slice(0, 2);
    expect(pupilIds).toHaveLength(2);
    const [q, p] = pupilIds;
    const mark = (studentId: string, slot: 1 | 2, value: number) => ({ ...base, id: `${studentId}:${slot}`, studentId, slot, raw: String(value), base: value, numeric: value, state: 'graded', retakeOfMarkId: undefined }) as Mark;
    const results = await withOpenConnector(connectorFor(emu, { role: 'teacher' }), (c) => c.writeMarks!([
      op(emu, mark(q, 1, 3), second), op(emu, mark(p, 1, 4), first), op(emu, mark(p, 2, 5), second),
    ]));
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const pid = emu.world.sourceOf.get(p) as number;
    // P's marks in column order: the first mark's, then the second's.
    expect(lesson.columns.filter((c) => c.results.has(pid)).map((c) => c.results.get(pid)!.mark)).toEqual([4, 5]);
  } finally {
    await emu.close();
  }
});
