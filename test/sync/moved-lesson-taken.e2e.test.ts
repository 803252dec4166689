// An operator's `review take` on a mark, and then its lesson moved to another day on the system of record. The moved
// lesson's marks are new records (a lesson's canonical id is its natural key), and decisions are kept per record: the
// taken value used to be lost with the old record — the system of record's turned-down value came back under the new
// id and the push wrote it over the teacher's correction on the target. ЭПОС → АСУ РСО.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { resolveConflict } from '../../src/sync/review.js';
import { asursoIdIn, markedLessonToMove, movedLessonWindow as window, pushedSchool, type Ep } from '../support/moved-lesson.js';
import { nightlyRound, openConflicts, type SorAndTarget } from '../support/sor-and-target.js';

describe('ЭПОС → АСУ РСО: a mark whose value the operator took from the target, on a lesson then moved', () => {
  let school: SorAndTarget<Ep, AsursoEmulator>;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await pushedSchool(8);
    ctx = school.ctx;
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('keeps the taken value through the move: in the store under the moved mark, and on the target', async () => {
    const asursoIdOf = (eposId: number | string) => asursoIdIn(school, eposId);
    const world = school.sor.world;
    const { item, to, marks } = markedLessonToMove(world, (id) => asursoIdOf(id) !== undefined);
    // A pupil with one mark on the lesson, below 5: the teacher corrects it to 5 on the target.
    const mark = marks.find((m) => m.five !== null && m.five < 5 && marks.filter((x) => x.student === m.student).length === 1)!;
    expect(mark).toBeDefined();
    const pupil = asursoIdOf(mark.student)!;
    const meeting = school.target.world.meetings.get(asursoIdOf(item.id)!)!;
    const pupilValues = () => meeting.columns.flatMap((c) => (c.results.get(pupil)?.mark != null ? [c.results.get(pupil)!.mark] : []));
    const cell = meeting.columns.map((c) => c.results.get(pupil)).find((r) => r?.mark === mark.five)!;
    expect(cell).toBeDefined();
    cell.mark = 5;

    await nightlyRound(ctx, window);
    const open = await openConflicts(ctx);
    expect(open.length).toBeGreaterThan(0);
    const canonicalId = open[0].leftId;
    expect(open.every((c) => c.leftId === canonicalId)).toBe(true);
    await resolveConflict(ctx.store, open[0].id, 'take', 'op-take');
    const taken = await ctx.store.get(canonicalId) as unknown as { raw: string; studentId: string };
    expect(taken.raw).toBe('5');

    // The school moves the lesson on both platforms (ЭПОС files its marks under the new date).
    item.date = to;
    for (const m of marks) m.date = to;
    meeting.date = to;
    const night = await nightlyRound(ctx, window);
    expect(night.reads[0]).toMatchObject({ instance: 'sor', lessonsMoved: 1 });
    expect(night.push.pushed?.failed).toBe(0);

    const lesson = (await ctx.store.resolve('epos', 'sor', 'lesson', [String(item.id)])).get(String(item.id))!;
    const moved = [];
    for await (const m of ctx.store.iterate('mark', { status: 'active' })) {
      const f = m as unknown as { lessonId: string; studentId: string; raw: string };
      if (f.lessonId === lesson && f.studentId === taken.studentId) moved.push(f.raw);
    }
    expect(moved).toEqual(['5']);
    expect(pupilValues()).toEqual([5]);
    expect(await openConflicts(ctx)).toEqual([]);

    // The system of record still sends the value the operator turned down: the next night changes nothing.
    const again = await nightlyRound(ctx, window);
    expect(again.push.pushed?.failed).toBe(0);
    expect(pupilValues()).toEqual([5]);
    expect(await openConflicts(ctx)).toEqual([]);
  }, 240_000);
});
