// A teacher on the system of record (АСУ РСО, which numbers a pupil's marks on a lesson in its column order) changes a
// pupil's marks so that they are renumbered, and the push goes to Дневник.ру, whose partner API can neither move nor
// delete a mark:
// (a) one mark, then a mark added in an earlier column: the new one is slot 1, the old one slot 2. The push sent slot 1
//     as an upsert of the old mark with another work: Дневник.ру got a mark in the new column and a second copy of the
//     old one — 3 marks where the system of record has 2, the old one orphaned in the crosswalk.
// (b) two marks in two columns, the first deleted: the second becomes slot 1. The push wrote it once more in its
//     column: 3 marks where the system of record has 1 (the first is not deletable there, the copy was the push's).
// (d), (e) two marks in two columns, the first deleted and the second (a «2») retaken in its column, the same night or
//     the next: the retake was written over the mark it retakes (Дневник.ру's number 2), and slot 1 refused, or the
//     next night both records linked to that one mark.
// And every later read of АСУ РСО quarantined the renumbered mark as a crosswalk conflict, for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { typeIdOf, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { NCol, NMeeting } from '../../src/emulators/asurso/world.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { workTypeIdOf } from '../../src/emulators/dnevnik/world.js';
import { WORK_TYPES } from '../../src/model/work-types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('АСУ РСО → Дневник.ру: a pupil\'s marks on a lesson renumbered at the system of record', () => {
  let school: SorAndTarget<AsursoEmulator, DnevnikEmulator>;
  let ctx: JobContext;
  const taken = new Set<number>();

  /** One night: every platform read (the system of record first), then the push. */
  const night = async () => {
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    return { reads, push };
  };
  const crosswalkConflicts = (reads: { quarantineReasons: Record<string, number> }[]) =>
    reads.flatMap((s) => Object.keys(s.quarantineReasons)).filter((r) => r.startsWith('crosswalk conflict'));

  /** АСУ РСО's code of a column's work type, as Дневник.ру's work-type id. */
  const dnevnikType = (col: NCol) => workTypeIdOf(WORK_TYPES.find((w) => typeIdOf(w.code) === col.typeId)!.code);
  /** The pupil's graded marks on the meeting as АСУ РСО holds them, in column order: [Дневник.ру work type, value]. */
  const onSor = (m: NMeeting, pupil: number) => m.columns.filter((c) => c.results.get(pupil)?.mark != null).map((c) => [dnevnikType(c), String(c.results.get(pupil)!.mark)]);
  /** The same pupil's marks on the same lesson as Дневник.ру holds them: [work type, value], sorted. */
  const onDnevnik = (m: NMeeting, pupil: number) => {
    const { world: a } = school.sor;
    const { world: d } = school.target;
    const canonicalOf = (id: number) => [...a.sourceOf].find(([, s]) => s === id)?.[0];
    const person = d.persons.get(a.persons.get(pupil)!.rec.id)!.id;
    const lesson = BigInt(d.sourceOf.get(canonicalOf(m.id)!)!);
    return [...d.marks.values()].filter((x) => x.person === person && x.lesson === lesson).map((x) => [x.workType, x.value]).sort();
  };
  /** A meeting and pupil whose graded marks there are `n`, in columns of `n` different work types, pushed to Дневник.ру. */
  const cell = (n: number) => {
    for (const m of school.sor.world.meetings.values()) {
      if (m.canceled || taken.has(m.id)) continue;
      for (const pupil of school.sor.world.groups.get(m.sg)!.pupils) {
        const cols = m.columns.filter((c) => c.results.has(pupil));
        if (cols.length !== n || cols.some((c) => c.results.get(pupil)!.mark == null) || new Set(cols.map((c) => c.typeId)).size !== n) continue;
        if (onDnevnik(m, pupil).length !== n) continue;
        taken.add(m.id);
        return { m, pupil, cols };
      }
    }
    throw new Error(`no lesson with a pupil's ${n} marks in ${n} columns`);
  };

  beforeAll(async () => {
    school = await sorAndTarget<AsursoEmulator, DnevnikEmulator>({ sor: 'asurso', target: 'dnevnik', school: generateSchool({ seed: 61, pupils: 20, weeks: 1 }), window });
    ctx = school.ctx;
    // АСУ РСО lists no birth dates: the operator accepts the exact-name proposals.
    for (const p of (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && r.score === 1)) await decidePersonMatch(ctx.store, p.id, 'merge', 'test-review');
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    const { push } = await night();
    expect(push.pushed?.failed).toBe(0);
    expect(push.pushed?.applied).toBeGreaterThan(0);
  }, 240_000);
  afterAll(async () => {
    await school?.close();
  });

  /** A new АСУ РСО column of `type` on the meeting holding the pupil's `mark`. */
  const columnWith = (m: NMeeting, pupil: number, type: number, mark: number): NCol => {
    const { world } = school.sor;
    const col: NCol = { id: world.nextColumnId++, typeId: type, name: world.types.get(type)!.name, weight: world.types.get(type)!.weight, dueDate: null, results: new Map(), comments: new Map() };
    col.results.set(pupil, { mark, duty: false, date: m.date });
    return col;
  };
  /** A teacher gives the pupil a 5 in a new column before the others (of another work type): it is slot 1 now. */
  const addEarlierColumn = (m: NMeeting, pupil: number, besides: NCol) => {
    const { world } = school.sor;
    const col = columnWith(m, pupil, world.types.has(3) && besides.typeId !== 3 ? 3 : [...world.types.keys()].find((t) => t !== besides.typeId)!, 5);
    m.columns.unshift(col);
    return col;
  };
  /** The night after: nothing to push, Дневник.ру unchanged, no crosswalk conflict, nothing to review. */
  const quietNight = async (m: NMeeting, pupil: number, held: (string | number)[][]) => {
    const next = await night();
    expect(next.push.pushed).toMatchObject({ applied: 0, failed: 0, refused: 0 });
    expect(onDnevnik(m, pupil)).toEqual(held);
    expect(crosswalkConflicts(next.reads)).toEqual([]);
    expect(await openConflicts(ctx)).toEqual([]);
  };

  it('(a) a mark added in an earlier column of another work: Дневник.ру holds the same two marks, no copy; the next push sends nothing', async () => {
    const { m, pupil, cols: [old] } = cell(1);
    addEarlierColumn(m, pupil, old);
    expect(onSor(m, pupil)).toHaveLength(2);

    const { reads, push } = await night();
    expect(push.pushed?.failed).toBe(0);
    expect(onDnevnik(m, pupil)).toEqual([...onSor(m, pupil)].sort());
    expect(push.refusedReasons ?? {}).toEqual({});
    expect(crosswalkConflicts(reads)).toEqual([]);

    // Defect 2: the system of record's renumbered marks are linked again, nothing quarantined; nothing to review.
    await quietNight(m, pupil, [...onSor(m, pupil)].sort());
  }, 240_000);

  it('(b) the first of two marks in two columns deleted: Дневник.ру keeps the second once (no copy); the deletion is refused with its reason', async () => {
    const { m, pupil, cols: [first, second] } = cell(2);
    const before = onDnevnik(m, pupil);
    first.results.delete(pupil);
    expect(onSor(m, pupil)).toEqual([[dnevnikType(second), String(second.results.get(pupil)!.mark)]]);

    const { reads, push } = await night();
    expect(push.pushed?.failed).toBe(0);
    // Nothing written anew: the second mark is the one already there; the first stays (no route deletes it).
    expect(onDnevnik(m, pupil)).toEqual(before);
    expect(push.pushed?.refused).toBe(1);
    expect(Object.keys(push.refusedReasons ?? {})).toEqual([expect.stringMatching(/^mark: dnevnik: .*no mark deletion.*by hand/)]);
    expect(crosswalkConflicts(reads)).toEqual([]);

    await quietNight(m, pupil, before);
  }, 240_000);

  it('(c) the first of two deleted and a mark added in a new column after them: the first, left on Дневник.ру, is named in the push summary', async () => {
    const { m, pupil, cols: [first, second] } = cell(2);
    const before = onDnevnik(m, pupil);
    first.results.delete(pupil);
    m.columns.push(columnWith(m, pupil, [...school.sor.world.types.keys()].find((t) => t !== first.typeId && t !== second.typeId)!, 4));
    expect(onSor(m, pupil)).toHaveLength(2);

    const { push } = await night();
    expect(push.pushed).toMatchObject({ failed: 0, refused: 0 });
    // The second mark kept once, the new one written; the first stays (no route deletes it) — and the push says so.
    const after = keptWithTheFirst(m, pupil, before, first);
    expect(Object.entries(push.leftOnTarget ?? {})).toEqual([[expect.stringMatching(/^mark: dnevnik: .*no mark deletion.*by hand/), 1]]);

    await quietNight(m, pupil, after);
  }, 240_000);

  /**
   * The pupil's marks on Дневник.ру after the first of two was deleted at the source: what the source holds now, and the
   * first still there beside it (no route deletes a mark). Returns them for the quiet night that follows.
   */
  const keptWithTheFirst = (m: NMeeting, pupil: number, before: ReturnType<typeof onDnevnik>, first: NCol) => {
    const after = onDnevnik(m, pupil);
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining([...onSor(m, pupil), before.find(([t]) => t === dnevnikType(first))!]));
    return after;
  };
  /** The pupil's marks in the lesson's column of `workType` on Дневник.ру: [number, value], by number. */
  const inColumn = (m: NMeeting, pupil: number, workType: number) => {
    const { world: a } = school.sor;
    const { world: d } = school.target;
    const canonicalOf = (id: number) => [...a.sourceOf].find(([, s]) => s === id)?.[0];
    const person = d.persons.get(a.persons.get(pupil)!.rec.id)!.id;
    const lesson = BigInt(d.sourceOf.get(canonicalOf(m.id)!)!);
    return [...d.marks.values()].filter((x) => x.person === person && x.lesson === lesson && x.workType === workType).map((x) => [x.number, x.value]).sort();
  };
  /** Two marks in two columns, the second a «2» (a retake retakes a «2» or lower, R-09 b), pushed to Дневник.ру. */
  const failedSecond = async () => {
    const c = cell(2);
    c.cols[1].results.get(c.pupil)!.mark = 2;
    const { push } = await night();
    expect(push.pushed).toMatchObject({ applied: 1, failed: 0, refused: 0 });
    return c;
  };
  /** The second mark's retake: a «4» in a new АСУ РСО column of its work type after the others (slot 2, R-09 b). */
  const retakeOf = (m: NMeeting, pupil: number, second: NCol) => {
    m.columns.push(columnWith(m, pupil, second.typeId, 4));
    return '4';
  };

  it('(d) the first of two deleted and the second retaken in its column, the same night: both of the second\'s marks in its column, the retake numbered after it; the first named as left on Дневник.ру', async () => {
    const { m, pupil, cols: [first, second] } = await failedSecond();
    const before = onDnevnik(m, pupil);
    const secondValue = String(second.results.get(pupil)!.mark);
    first.results.delete(pupil);
    const retake = retakeOf(m, pupil, second);
    expect(onSor(m, pupil)).toEqual([[dnevnikType(second), secondValue], [dnevnikType(second), retake]]);

    const { push } = await night();
    expect(push.pushed).toMatchObject({ failed: 0, refused: 0 });
    // Nothing lost, nothing twice: the second's column holds the second mark, then its retake (the platform's retake:
    // two marks of one pupil on one work, numbered 1 and 2); the first stays (no route deletes it) and the push says so.
    expect(inColumn(m, pupil, dnevnikType(second))).toEqual([[1, secondValue], [2, retake]]);
    const after = keptWithTheFirst(m, pupil, before, first);
    expect(Object.entries(push.leftOnTarget ?? {})).toEqual([[expect.stringMatching(/^mark: dnevnik: .*no mark deletion.*by hand/), 1]]);

    await quietNight(m, pupil, after);
  }, 240_000);

  it('(e) the first of two deleted one night, the second retaken in its column the next: the retake is added beside it, never written over it', async () => {
    const { m, pupil, cols: [first, second] } = await failedSecond();
    const before = onDnevnik(m, pupil);
    const secondValue = String(second.results.get(pupil)!.mark);
    first.results.delete(pupil);
    const deleted = await night();
    expect(deleted.push.pushed).toMatchObject({ failed: 0, refused: 1 });
    expect(onDnevnik(m, pupil)).toEqual(before);

    const retake = retakeOf(m, pupil, second);
    const { push } = await night();
    expect(push.pushed).toMatchObject({ applied: 1, failed: 0, refused: 0 });
    // The second mark, now slot 1, kept number 2 (no route renumbers a mark; the slot-1 record is not pushed again), so
    // the retake takes the free number 1 rather than number 2, which would write over it and link both records to it.
    expect(inColumn(m, pupil, dnevnikType(second))).toEqual([[1, retake], [2, secondValue]]);
    const after = keptWithTheFirst(m, pupil, before, first);

    await quietNight(m, pupil, after);
  }, 240_000);

  it('defect 2: the system of record\'s own renumbered marks are linked to the records they stand for now; no read quarantines them', async () => {
    const { m, pupil, cols: [old] } = cell(1);
    const added = addEarlierColumn(m, pupil, old);
    const student = (await ctx.store.resolve('asu_rso', 'sor', 'person', [String(pupil)])).get(String(pupil))!;
    const sync = () => runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
    for (let n = 0; n < 2; n++) expect(crosswalkConflicts(await sync())).toEqual([]);
    // Each АСУ РСО result id stands for the mark of its slot now: the added column's slot 1, the old one's slot 2.
    const ids = [`${added.id}:${pupil}`, `${old.id}:${pupil}`];
    const links = await ctx.store.resolve('asu_rso', 'sor', 'mark', ids);
    const slots = await ctx.store.getMany(ids.map((id) => links.get(id)!));
    expect(ids.map((id) => slots.get(links.get(id)!) as { slot: number; studentId: string } | undefined).map((r) => [r?.slot, r?.studentId])).toEqual([[1, student], [2, student]]);
  }, 240_000);
});
