// АСУ РСО's answer to `quickedit` naming the columns it made is the gateway's assumption (docs/platforms/asurso.md:
// "answer … is U-gw"). A server answering without them still made the column: the writer finds it in the lesson's
// journal and links the mark to its cell, so a later read of the platform finds the mark under the id the gateway
// holds. Before, the mark was reported written with the platform id "null:<pupil>" — an id no read ever gives, so the
// mark looked deleted on the target at the next read and was written again, night after night.
import { expect, it } from 'vitest';
import type { MarkWriteOp } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { RecordOf } from '../../src/model/records.js';
import { withOpenConnector } from '../support/open-connector.js';
import { startProxy, type Action, type SeenRequest } from '../support/fault-proxy.js';
import { connectorFor } from './harness.js';

type Mark = RecordOf<'mark'>;
const school = generateSchool({ seed: 7, pupils: 33, weeks: 1 });
const marks = school.all('mark') as Mark[];
const lessonOf = new Map(school.all('lesson').map((l) => [l.id, l]));
const workOf = new Map(school.all('work').map((w) => [w.id, w]));

function op(emu: AsursoEmulator, m: Mark): MarkWriteOp {
  const src = (id: string) => String(emu.world.sourceOf.get(id));
  return {
    operationId: `${m.id}:upsert`, action: 'upsert', record: { ...m, state: 'graded', base: 4, raw: '4', numeric: 4, modifier: 'none' },
    targetIds: { sgId: src(lessonOf.get(m.lessonId)!.sectionId), cmId: src(m.lessonId), studentId: src(m.studentId), workTypeCode: workOf.get(m.workId)!.workTypeCode },
  };
}

it('a quickedit answer without the columns made: the mark is linked to the cell the platform holds it in', async () => {
  const emu = await startAsursoEmulator({ dataset: school, emptyJournal: true });
  const proxy = await startProxy(emu.baseUrl, (r: SeenRequest): Action => (r.path.includes('grade/journal/quickedit')
    ? { kind: 'rewrite', fn: (status) => ({ status, body: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } }) }
    : { kind: 'pass' }));
  try {
    const m = marks.find((x) => x.slot === 1)!;
    const [r] = await withOpenConnector(connectorFor({ ...emu, baseUrl: proxy.baseUrl } as AsursoEmulator, { role: 'teacher' }), (c) => c.writeMarks!([op(emu, m)]));
    const meeting = emu.world.meetings.get(emu.world.sourceOf.get(m.lessonId)!)!;
    const sid = emu.world.sourceOf.get(m.studentId)!;
    const held = meeting.columns.filter((c) => c.results.has(sid));
    expect(held.map((c) => c.results.get(sid)!.mark)).toEqual([4]);
    expect(r).toMatchObject({ status: 'applied', sourceId: `${held[0].id}:${sid}` });
  } finally {
    await proxy.close();
    await emu.close();
  }
});
