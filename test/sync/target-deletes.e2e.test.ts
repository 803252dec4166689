// A mark or absence the nightly grade push wrote into a target and a teacher then deleted there by hand. Marks and
// attendance belong to the system of record (authority matrix): the target's read that covers the lesson finds the
// record gone, names it in its summary and in the review queue, and the next push writes it there again, once.
// Before, its ledger row was confirmed: the push never wrote it again, and nothing said the target lacked it.
// ЭПОС → ЭПОС (the target numbers a cell's marks by creation, so the first of two deleted renumbers the second).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { DnevnikWorld } from '../../src/emulators/dnevnik/world.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { resolveConflict } from '../../src/sync/review.js';
import { nightlyRound, openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: EposWorld };

describe('a pushed mark or absence deleted on the target by hand', () => {
  let school: SorAndTarget<Ep, Ep>;
  let sor: Ep;
  let target: Ep;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, Ep>({ sor: 'epos', target: 'epos', school: generateSchool({ seed: 83, pupils: 14, weeks: 1 }), window });
    ({ sor, target, ctx } = school);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(push.pushed!.applied).toBeGreaterThan(20);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  const cell = (w: EposWorld, lesson: number, student: number) => [...w.marks.values()].filter((m) => m.lesson === lesson && m.student === student).sort((a, b) => a.id - b.id);
  const dateOf = (w: EposWorld, lesson: number) => w.schedule.get(lesson)!.date;
  const canonicalOf = async (entity: 'mark' | 'attendance_record', sourceId: string) => (await ctx.store.resolve('epos', 't', entity, [sourceId])).get(sourceId)!;
  const readTarget = async (w = window) => (await runJob('journal-sync', { schoolId: 's1', window: w, instance: 't' }, ctx))[0];
  const push = async (dryRun = false) => (await runJob('grade-push', { schoolId: 's1', window, ...(dryRun ? { dryRun } : {}) }, ctx))[0];
  const deletionsAbout = async (id: string) => (await openConflicts(ctx)).filter((c) => c.leftId === id && c.field === 'status');

  it('is found by the target\'s read, listed for review, counted by a dry run, and written there again by the next push — once', async () => {
    const lone = [...target.world.marks.values()].find((m) => cell(target.world, m.lesson, m.student).length === 1)!;
    const absence = [...target.world.attendances.values()][0];
    expect(absence).toBeDefined();
    const markC = await canonicalOf('mark', String(lone.id));
    const absenceC = await canonicalOf('attendance_record', String(absence.id));
    expect([markC, absenceC]).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    target.world.marks.delete(lone.id);
    target.world.attendances.delete(`${absence.lesson}:${absence.student}`);

    const read = await readTarget();
    expect(read.deletedOnTarget?.count).toBe(2);
    expect(formatSummary(read)).toMatch(/deleted on this platform by hand 2: .*written there again by the next push/);
    expect(read.forReview).toBeGreaterThanOrEqual(2);
    expect(await deletionsAbout(markC)).toHaveLength(1);
    expect(await deletionsAbout(absenceC)).toHaveLength(1);
    // The link to the id that is gone is closed: the push creates the record anew.
    expect((await ctx.store.sourceIdsFor('epos', 't', 'mark', [markC])).get(markC)).toBeUndefined();

    const dry = await push(true);
    expect(dry.pushed!.applied).toBe(2);
    expect(cell(target.world, lone.lesson, lone.student)).toEqual([]);

    const written = await push();
    expect(written.pushed!.applied).toBe(2);
    expect(written.pushed!.failed).toBe(0);
    expect(cell(target.world, lone.lesson, lone.student).map((m) => m.original)).toEqual([lone.original]);
    expect(target.world.attendances.get(`${absence.lesson}:${absence.student}`)?.reasonId).toBe(absence.reasonId);
    // Idempotent: the next push writes nothing, and the next read finds both again and closes the review items.
    expect((await push()).pushed!.applied).toBe(0);
    const again = await readTarget();
    expect(again.deletedOnTarget).toBeUndefined();
    expect(again.conflictsSettled).toBeGreaterThanOrEqual(2);
    expect(await deletionsAbout(markC)).toEqual([]);
    expect((await push()).pushed!.applied).toBe(0);
  }, 180_000);

  it('the first of a pupil\'s two marks deleted (ЭПОС reads the second back as the first): the first is written again, the second left as it is', async () => {
    const first = [...target.world.marks.values()].find((m) => { const c = cell(target.world, m.lesson, m.student); return c.length === 2 && c[0].id === m.id; })!;
    const second = cell(target.world, first.lesson, first.student)[1];
    const firstC = await canonicalOf('mark', String(first.id));
    const secondC = await canonicalOf('mark', String(second.id));
    target.world.marks.delete(first.id);
    const read = await readTarget();
    expect(read.deletedOnTarget?.count).toBe(1);
    expect(await deletionsAbout(firstC)).toHaveLength(1);
    expect(await deletionsAbout(secondC)).toEqual([]);
    expect((await ctx.store.sourceIdsFor('epos', 't', 'mark', [secondC])).get(secondC)).toBe(String(second.id));
    expect((await push()).pushed!.applied).toBe(1);
    expect(cell(target.world, first.lesson, first.student).map((m) => m.original).sort()).toEqual([first.original, second.original].sort());
    expect(target.world.marks.get(second.id)?.original).toBe(second.original);
    expect((await readTarget()).deletedOnTarget).toBeUndefined();
    expect((await push()).pushed!.applied).toBe(0);
  }, 180_000);

  it('a mark the system of record deleted too is not written again: the push deletes it (nothing left to delete there)', async () => {
    const lone = [...target.world.marks.values()].find((m) => cell(target.world, m.lesson, m.student).length === 1)!;
    const canonical = await canonicalOf('mark', String(lone.id));
    const atSource = (await ctx.store.sourceIdsFor('epos', 'sor', 'mark', [canonical])).get(canonical)!;
    sor.world.marks.delete(Number(atSource));
    target.world.marks.delete(lone.id);
    const night = await nightlyRound(ctx, window);
    expect(night.reads[0].deleted).toBe(1);
    expect(night.reads[1].deletedOnTarget).toBeUndefined();
    expect(await deletionsAbout(canonical)).toEqual([]);
    expect(cell(target.world, lone.lesson, lone.student)).toEqual([]);
    expect((await nightlyRound(ctx, window)).push.pushed!.applied).toBe(0);
    expect(cell(target.world, lone.lesson, lone.student)).toEqual([]);
  }, 180_000);

  it('a lesson outside the days read is not judged; a read covering it finds the mark gone', async () => {
    const late = [...target.world.marks.values()].find((m) => dateOf(target.world, m.lesson) >= '2025-09-04' && cell(target.world, m.lesson, m.student).length === 1)!;
    const canonical = await canonicalOf('mark', String(late.id));
    target.world.marks.delete(late.id);
    const early = await readTarget({ from: '2025-09-01', to: '2025-09-03' });
    expect(early.deletedOnTarget).toBeUndefined();
    expect(await deletionsAbout(canonical)).toEqual([]);
    expect((await push()).pushed!.applied).toBe(0);
    expect((await readTarget()).deletedOnTarget?.count).toBe(1);
    // `take` is refused (only the system of record deletes a mark); `keep` acknowledges it — the push that writes it
    // again was asked for when the deletion was found.
    const [item] = await deletionsAbout(canonical);
    await expect(resolveConflict(ctx.store, item.id, 'take', 'op-1')).rejects.toThrow(/deleted on t, which is not the school's system of record/);
    expect(await resolveConflict(ctx.store, item.id, 'keep', 'op-1')).toMatch(/^kept: the system of record's mark stands/);
    expect((await push()).pushed!.applied).toBe(1);
    expect(cell(target.world, late.lesson, late.student).map((m) => m.original)).toEqual([late.original]);
    expect((await push()).pushed!.applied).toBe(0);
  }, 180_000);
});

// Дневник.ру has no route that deletes a mark (a push's delete is refused there), but a teacher deletes one by hand
// all the same: that is what matters here, and the push writes the mark there again.
describe('ЭПОС → Дневник.ру: a pushed mark deleted there by hand', () => {
  type Dn = RunningEmulator & { world: DnevnikWorld };
  let school: SorAndTarget<Ep, Dn>;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, Dn>({ sor: 'epos', target: 'dnevnik', school: generateSchool({ seed: 84, pupils: 12, weeks: 1 }), window });
    await runJob('grade-push', { schoolId: 's1', window }, school.ctx);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('is found by the next read and written there again, once', async () => {
    const { world } = school.target;
    const cellOf = (person: bigint, lesson: bigint) => [...world.marks.values()].filter((m) => m.person === person && m.lesson === lesson);
    const gone = [...world.marks.values()].find((m) => cellOf(m.person, m.lesson).length === 1)!;
    world.marks.delete(gone.id);
    const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, school.ctx);
    expect(read.deletedOnTarget?.count).toBe(1);
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, school.ctx);
    expect(push.pushed!.applied).toBe(1);
    expect(cellOf(gone.person, gone.lesson).map((m) => m.value)).toEqual([gone.value]);
    const [again] = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, school.ctx);
    expect(again.deletedOnTarget).toBeUndefined();
    expect((await runJob('grade-push', { schoolId: 's1', window }, school.ctx))[0].pushed!.applied).toBe(0);
    expect(cellOf(gone.person, gone.lesson)).toHaveLength(1);
    // Deleted again: the copy written again has the same id here (one mark per pupil, work and number), and is
    // written once more all the same.
    const [copy] = cellOf(gone.person, gone.lesson);
    expect(copy.id).toBe(gone.id);
    world.marks.delete(copy.id);
    expect((await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, school.ctx))[0].deletedOnTarget?.count).toBe(1);
    expect((await runJob('grade-push', { schoolId: 's1', window }, school.ctx))[0].pushed!.applied).toBe(1);
    expect(cellOf(gone.person, gone.lesson).map((m) => m.value)).toEqual([gone.value]);
  }, 180_000);
});
