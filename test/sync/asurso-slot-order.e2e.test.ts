// АСУ РСО has no slot field: it numbers a pupil's two marks on a lesson in its column order. When the system of record
// holds two pupils' marks on the same two works in opposite orders (one entered the oral answer first, the other the
// homework), no column order holds both: АСУ РСО read one pupil's pair with the canonical ids swapped — both marks
// "different" (a 300-pupil demo counted 202), a conflict opened for each by every read of the target. Nothing is lost
// there, each work holds its own mark, so a read of АСУ РСО that is not the system of record's keeps the store's
// order (src/sync/slot-order.ts). Дневник.ру (which numbers marks) → АСУ РСО.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { NMark, NWork } from '../../src/emulators/dnevnik/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { connectorFor, schoolById, schoolSourceId, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { compareRecords } from '../../src/model/index.js';
import { readBack } from '../../src/sync/read-back.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Dn = RunningEmulator & { world: { marks: Map<bigint, NMark>; works: Map<bigint, NWork> } };

describe('АСУ РСО as a push target: two pupils\' marks on the same two works in opposite orders', () => {
  let school: SorAndTarget<Dn, RunningEmulator>;
  let ctx: JobContext;
  let flipped: NMark[] = [];
  beforeAll(async () => {
    school = await sorAndTarget<Dn, RunningEmulator>({ sor: 'dnevnik', target: 'asurso', school: generateSchool({ seed: 61, pupils: 20, weeks: 1 }), window });
    ctx = school.ctx;
    // АСУ РСО lists no birth dates: the operator accepts the exact-name proposals (as the demo does).
    for (const p of (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && r.rule === 'name_exact_no_birthdate')) await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review');
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    // Two pupils of one lesson with a mark on each of the same two works (of two types); the second pupil's marks are
    // renumbered the other way round, as if entered in the other order.
    const { marks, works } = school.sor.world;
    const cells = new Map<string, NMark[]>();
    for (const m of marks.values()) { const k = `${m.person}:${m.lesson}`; (cells.get(k) ?? cells.set(k, []).get(k)!).push(m); }
    const pairs = [...cells.values()].filter((c) => c.length === 2 && works.get(c[0].work)!.workType !== works.get(c[1].work)!.workType);
    const byLessonWorks = new Map<string, NMark[][]>();
    for (const c of pairs) { const k = `${c[0].lesson}:${[c[0].work, c[1].work].sort().join(',')}`; (byLessonWorks.get(k) ?? byLessonWorks.set(k, []).get(k)!).push(c); }
    const twoPupils = [...byLessonWorks.values()].find((l) => l.length >= 2)!;
    expect(twoPupils).toBeDefined();
    const [first, second] = twoPupils;
    // The first pupil's order as Дневник.ру gives it (its numbers, then the earlier work); the second gets the other.
    const [w1] = [...first].sort((a, b) => a.number - b.number || (a.work < b.work ? -1 : 1)).map((m) => m.work);
    for (const m of second) m.number = m.work === w1 ? 2 : 1;
    flipped = second;
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('every mark of the source reads back from АСУ РСО under its own id, equal in content; nothing is opened for review', async () => {
    const summaries = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, ctx);
    expect(summaries.flatMap((s) => Object.keys(s.quarantineReasons)).filter((r) => r.startsWith('crosswalk conflict'))).toEqual([]);
    expect((await pendingReview(ctx.store)).filter((r) => r.kind === 'conflict')).toEqual([]);
    // The flipped pupil's two marks, read back from АСУ РСО, against the store.
    const { connector, run } = connectorFor(ctx.config, 't', ctx.logger, ctx.store);
    const mapper = getPlatform('asurso').mapper;
    await connector.open();
    const read = await readBack(ctx.store, { connector, mapper, run: { ...run, runId: 'check' }, schoolSourceId: schoolSourceId(schoolById(ctx.config, 's1'), 't') }, window, ['journal.read'])
      .finally(() => connector.close());
    const platform = getPlatform('asurso');
    const marks = read.filter((r) => r.entity === 'mark');
    const stored = [];
    for await (const r of ctx.store.iterate('mark', { status: 'active' })) if (r.provenance.instance === 'sor') stored.push(r);
    expect(stored.length).toBeGreaterThan(0);
    expect(flipped).toHaveLength(2);
    const { differences } = compareRecords(stored, marks, { entities: ['mark'], ignoreFields: { mark: [...platform.declaration.uncarried?.mark ?? [], ...platform.declaration.unwritable?.mark ?? []] } });
    const folds = platform.declaration.folds ?? [];
    expect(folds.length).toBeGreaterThan(0);
    // Only АСУ РСО's own spelling (5- as 5, «точка» as «.») may differ: never the work or the pupil of a mark.
    expect(differences.filter((d) => d.kind !== 'different' || d.fields?.some((f) => ['workId', 'studentId', 'lessonId', 'slot', 'weightApplied'].includes(f)))).toEqual([]);
  }, 180_000);
});
