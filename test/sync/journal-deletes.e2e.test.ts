// A mark deleted at the system of record (ЭПОС) is deleted in the store and on the push target (ЭПОС), including
// the case where ЭПОС renumbers the cell: the first of two marks deleted, the second read back as the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: EposWorld };

describe('marks deleted at the system of record', () => {
  let school: SorAndTarget<Ep, Ep>;
  let sor: Ep;
  let target: Ep;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, Ep>({ sor: 'epos', target: 'epos', school: generateSchool({ seed: 71, pupils: 12, weeks: 1 }), window });
    ({ sor, target, ctx } = school);
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  const canonicalOf = new Map<string, string>();
  const cellOf = (w: EposWorld, lesson: number, student: number) => [...w.marks.values()].filter((y) => y.lesson === lesson && y.student === student).sort((p, q) => p.id - q.id);
  /** The target's marks in the cell of the source's (lesson, pupil). */
  const targetCell = (lesson: number, student: number) => {
    if (canonicalOf.size === 0) for (const [c, s] of sor.world.sourceOf) canonicalOf.set(String(s), c);
    const lessonC = canonicalOf.get(String(lesson))!;
    const studentC = [...sor.world.profileOf].find(([, p]) => p === student)![0];
    return cellOf(target.world, Number(target.world.sourceOf.get(lessonC)), target.world.profileOf.get(studentC)!).map((x) => x.original);
  };
  const round = async () => {
    const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
    const [pushed] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    return { read, pushed };
  };

  it('a single mark deleted: tombstoned in the store, deleted on the target', async () => {
    const single = [...sor.world.marks.values()].find((x) => cellOf(sor.world, x.lesson, x.student).length === 1)!;
    expect(targetCell(single.lesson, single.student)).toEqual([single.original]);
    sor.world.marks.delete(single.id);
    const { read, pushed } = await round();
    expect(read.deleted).toBe(1);
    expect(read.deletesRefused).toBeUndefined();
    expect(pushed.pushed!.applied).toBe(1);
    expect(targetCell(single.lesson, single.student)).toEqual([]);
  }, 120_000);

  it('the first of two marks deleted: the target ends with the one mark left, not both', async () => {
    const first = [...sor.world.marks.values()].find((x) => cellOf(sor.world, x.lesson, x.student).length === 2 && cellOf(sor.world, x.lesson, x.student)[0].id === x.id)!;
    const [, second] = cellOf(sor.world, first.lesson, first.student);
    expect(targetCell(first.lesson, first.student)).toHaveLength(2);
    sor.world.marks.delete(first.id);
    const { read } = await round();
    expect(read.deleted).toBe(1);
    expect(targetCell(first.lesson, first.student)).toEqual([second.original]);
    // Nothing else moves: a second round changes nothing.
    const again = await round();
    expect(again.read.deleted).toBe(0);
    expect(again.pushed.pushed!.applied).toBe(0);
  }, 120_000);

  it('an answer that lost most of a week\'s marks deletes nothing (threshold)', async () => {
    const saved = new Map(sor.world.marks);
    sor.world.marks.clear();
    try {
      const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
      expect(read.deleted).toBe(0);
      expect(read.deletesRefused).toMatch(/marks and absences of the lessons read are missing/);
    } finally {
      for (const [k, v] of saved) sor.world.marks.set(k, v);
    }
  }, 120_000);
});
