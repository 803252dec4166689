// A lesson moved to another day on the system of record («перенос урока»): its platform id stays, its date changes.
// A lesson's canonical id is its natural key (section, date, number), so the moved lesson is a new record. Before, the
// platform id still stood for the old one: every night quarantined the moved lesson's link as a crosswalk conflict, its
// marks stayed on the old date in the store and on the targets, and a correction of such a mark was never stored.
// ЭПОС → АСУ РСО, the school moving the lesson on both platforms (the target's timetable is the school's too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { ScheduleItem } from '../../src/emulators/epos/world.js';
import type { NMeeting } from '../../src/emulators/asurso/world.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { lessonId } from '../../src/model/ids.js';
import { PushFailedError } from '../../src/sync/push-failures.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { asursoIdIn, cellValues, moveMarkedLesson, movedLessonWindow, pushedSchool, type Ep } from '../support/moved-lesson.js';
import { nightlyRound, openConflicts, type SorAndTarget } from '../support/sor-and-target.js';

const window = movedLessonWindow;

describe('ЭПОС → АСУ РСО: a lesson moved to another day on the system of record', () => {
  let school: SorAndTarget<Ep, AsursoEmulator>;
  let ctx: JobContext;
  /** The lesson the first test moves. */
  let movedItem: ScheduleItem | undefined;
  const asursoIdOf = (eposId: number | string) => asursoIdIn(school, eposId);
  beforeAll(async () => {
    school = await pushedSchool(5);
    ctx = school.ctx;
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('moves the lesson with its marks in the store and on the target; nothing is quarantined or left for review', async () => {
    const { item, to, from, marks } = moveMarkedLesson(school.sor.world, (id) => asursoIdOf(id) !== undefined);
    movedItem = item;
    const meeting = school.target.world.meetings.get(asursoIdOf(item.id)!)!;
    const held = () => meeting.columns.flatMap((c) => [...c.results.values()].filter((r) => r.mark !== null)).length;
    expect(held()).toBe(marks.length);
    meeting.date = to;

    const night = await nightlyRound(ctx, window);
    expect(night.reads[0]).toMatchObject({ instance: 'sor', lessonsMoved: 1 });
    const quarantined = Object.fromEntries(night.reads.flatMap((s) => Object.entries(s.quarantineReasons)));
    expect(quarantined).toEqual({});
    expect(night.push.pushed?.failed).toBe(0);

    // The store: the lesson under its new key with its marks, the old one tombstoned with its marks.
    const section = (await ctx.store.resolve('epos', 'sor', 'lesson', [String(item.id)])).get(String(item.id))!;
    const lesson = await ctx.store.get(section);
    expect(lesson).toMatchObject({ entity: 'lesson', date: to, status: 'active' });
    const sectionId = (lesson as unknown as { sectionId: string }).sectionId;
    const old = await ctx.store.get(lessonId(sectionId, from, item.number));
    expect(old?.status).toBe('deleted');
    const storedMarks = [];
    for await (const m of ctx.store.iterate('mark', { status: 'active' })) if ((m as unknown as { markDate: string }).markDate === to) storedMarks.push(m);
    const ofLesson = [];
    for (const m of storedMarks) {
      const work = await ctx.store.get((m as unknown as { workId: string }).workId);
      if ((work as unknown as { lessonId: string } | null)?.lessonId === lesson!.id) ofLesson.push(m);
    }
    expect(ofLesson).toHaveLength(marks.length);

    // The target: the marks are on the moved lesson, once each, and a second night changes nothing.
    expect(held()).toBe(marks.length);
    const again = await nightlyRound(ctx, window);
    expect(Object.fromEntries(again.reads.flatMap((s) => Object.entries(s.quarantineReasons)))).toEqual({});
    expect(again.push.pushed?.failed).toBe(0);
    expect(held()).toBe(marks.length);
    expect(await openConflicts(ctx)).toEqual([]);
  }, 180_000);

  it('a correction of a mark on the moved lesson is stored and reaches the target', async () => {
    const world = school.sor.world;
    const moved = movedItem;
    expect(moved).toBeDefined();
    const mark = [...world.marks.values()].find((m) => m.lesson === moved!.id && m.five !== null && m.five < 5)!;
    expect(mark).toBeDefined();
    mark.five = mark.five! + 1;
    mark.original = String(mark.five);
    const night = await nightlyRound(ctx, window);
    expect(night.push.pushed?.failed).toBe(0);
    const meeting = school.target.world.meetings.get(asursoIdOf(moved!.id)!)!;
    const pupil = asursoIdOf(mark.student)!;
    const values = meeting.columns.flatMap((c) => (c.results.has(pupil) ? [c.results.get(pupil)!.mark] : []));
    const others = [...world.marks.values()].filter((m) => m.lesson === moved!.id && m.student === mark.student).map((m) => m.five);
    expect(values.sort()).toEqual(others.sort());
    expect(values).toContain(mark.five);
  }, 180_000);

  it('a lesson moved with its marks deleted: the marks leave the store and the target, and stay gone', async () => {
    const world = school.sor.world;
    const { item, to, marks } = moveMarkedLesson(world, (id) => asursoIdOf(id) !== undefined && id !== movedItem?.id);
    const meeting = school.target.world.meetings.get(asursoIdOf(item.id)!)!;
    const held = () => meeting.columns.flatMap((c) => [...c.results.values()].filter((r) => r.mark !== null)).length;
    expect(held()).toBe(marks.length);
    for (const m of marks) world.marks.delete(m.id);
    meeting.date = to;
    for (let n = 0; n < 2; n++) {
      const night = await nightlyRound(ctx, window);
      expect(night.push.pushed?.failed).toBe(0);
    }
    const lesson = (await ctx.store.resolve('epos', 'sor', 'lesson', [String(item.id)])).get(String(item.id))!;
    const live = [];
    for await (const m of ctx.store.iterate('mark', { status: 'active' })) if ((m as unknown as { lessonId: string }).lessonId === lesson) live.push(m);
    expect(live).toEqual([]);
    expect(held()).toBe(0);
    expect(await openConflicts(ctx)).toEqual([]);
  }, 180_000);
});

describe('ЭПОС → АСУ РСО: a lesson moved on the system of record while the target\'s timetable still has it on the old day', () => {
  let school: SorAndTarget<Ep, AsursoEmulator>;
  let ctx: JobContext;
  const asursoIdOf = (eposId: number | string) => asursoIdIn(school, eposId);
  beforeAll(async () => {
    school = await pushedSchool(6);
    ctx = school.ctx;
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('the marks stay on the old day there, the push saying they wait; once that timetable moves the lesson, they are on it once', async () => {
    const { item, to, marks } = moveMarkedLesson(school.sor.world, (id) => asursoIdOf(id) !== undefined);
    const meeting = school.target.world.meetings.get(asursoIdOf(item.id)!)!;
    const held = () => meeting.columns.flatMap((c) => [...c.results.values()].filter((r) => r.mark !== null)).length;
    expect(held()).toBe(marks.length);
    const before = cellValues(meeting);

    // Never written into a lesson the target does not have on that day, and never deleted from the old day before
    // they are written on the new one: a school loses nothing while the target's timetable lags behind.
    for (let n = 0; n < 2; n++) {
      const night = await nightlyRound(ctx, window);
      if (n === 0) expect(night.reads[0]).toMatchObject({ instance: 'sor', lessonsMoved: 1 });
      expect(night.reads[0].quarantineReasons).toEqual({});
      expect(night.push.pushed?.failed).toBe(0);
      expect(held()).toBe(marks.length);
      expect(night.push.pushed?.skipped).toBeGreaterThanOrEqual(marks.length);
      expect(night.push.movedWaiting?.count).toBe(marks.length);
      expect(night.push.movedWaiting?.sample.every((x) => x.entity === 'mark')).toBe(true);
      expect(formatSummary(night.push)).toContain(`kept on a moved lesson's old day until written on its new day ${marks.length}: mark `);
    }

    meeting.date = to;
    const later = await nightlyRound(ctx, window);
    expect(Object.fromEntries(later.reads.flatMap((s) => Object.entries(s.quarantineReasons)))).toEqual({});
    expect(later.push.pushed?.failed).toBe(0);
    expect(later.push.movedWaiting).toBeUndefined();
    expect(held()).toBe(marks.length);
    expect(cellValues(meeting)).toEqual(before);
    expect(await openConflicts(ctx)).toEqual([]);
  }, 180_000);
});

describe('ЭПОС → АСУ РСО: a moved lesson whose marks cannot be written on the target\'s new-day lesson yet', () => {
  let school: SorAndTarget<Ep, AsursoEmulator>;
  let ctx: JobContext;
  const asursoIdOf = (eposId: number | string) => asursoIdIn(school, eposId);
  beforeAll(async () => {
    school = await pushedSchool(7);
    ctx = school.ctx;
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  it('keeps the marks on the old day while the new day\'s write fails; the next night writes them there and then clears the old day', async () => {
    const { item, to, marks } = moveMarkedLesson(school.sor.world, (id) => asursoIdOf(id) !== undefined);
    const world = school.target.world;
    const old = world.meetings.get(asursoIdOf(item.id)!)!;
    const held = (m: NMeeting) => m.columns.flatMap((c) => [...c.results.values()].filter((r) => r.mark !== null)).length;
    expect(held(old)).toBe(marks.length);
    const before = cellValues(old);
    // The target's timetable has the lesson on the new day as a lesson of its own; the old day's keeps the marks.
    const added: NMeeting = { ...old, id: Math.max(...world.meetings.keys()) + 1, date: `${to}T00:00:00`, columns: [], attendance: new Map() };
    world.meetings.set(added.id, added);
    world.meetingsBySg.get(added.sg)!.push(added);

    const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect(reads[0]).toMatchObject({ instance: 'sor', lessonsMoved: 1 });
    // The new day's lesson breaks on the platform between the read and the push: every request for it is a 500.
    const columns = added.columns;
    Object.defineProperty(added, 'columns', { configurable: true, get: () => { throw new Error('emulated outage of one lesson'); } });
    const failed = await runJob('grade-push', { schoolId: 's1', window }, ctx).then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(PushFailedError);
    const [push] = (failed as PushFailedError).summaries;
    expect(push.pushed?.failed).toBe(marks.length);
    expect(held(old)).toBe(marks.length);
    expect(push.movedWaiting?.count).toBe(marks.length);

    Object.defineProperty(added, 'columns', { configurable: true, writable: true, value: columns });
    const night = await nightlyRound(ctx, window);
    expect(night.push.pushed?.failed).toBe(0);
    expect(night.push.movedWaiting).toBeUndefined();
    expect(held(added)).toBe(marks.length);
    expect(cellValues(added)).toEqual(before);
    expect(held(old)).toBe(0);

    const again = await nightlyRound(ctx, window);
    expect(again.push.pushed?.failed).toBe(0);
    expect(again.push.movedWaiting).toBeUndefined();
    expect([held(added), held(old)]).toEqual([marks.length, 0]);
    // The target's own read still finds its old-day lesson, which the school no longer has (its timetable's to fix).
    expect(again.reads[0].quarantineReasons).toEqual({});
    expect(await openConflicts(ctx)).toEqual([]);
  }, 180_000);
});
