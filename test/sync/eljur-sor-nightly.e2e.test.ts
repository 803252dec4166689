// ЭлЖур as a school's system of record over four weeks of scheduled nights (roster sync, then the nightly journal
// sync: the recent window and a sweep slice, docs/sync.md "Nightly delta"). The emulator's journal moves on with the
// nights: each night the teacher's marks and absences of the day appear; a mark is corrected and one deleted in the
// recent window and in the first week (only the sweep reads those again), a mark is entered late for the first week,
// and a pupil leaves. After every night the store holds exactly what ЭлЖур shows — no duplicate, no mark lost, no
// mark deleted that is still there — except what only the sweep can bring, which is there within one sweep cycle; the
// leaver's marks stay (no signal deletes them: ЭлЖур no longer answers for the pupil, docs/sync.md "Journal records").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { EMark } from '../../src/emulators/eljur/world.js';
import { sectionKey } from '../../src/mappers/eljur/codes.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { addDays } from '../../src/model/dates.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { recentCursorKey, sweepCursorKey } from '../../src/sync/journal-nightly.js';
import { lessonSpan } from '../support/emulated-school.js';
import { eljurInstance } from '../support/emulator-configs.js';
import { onDay, schoolContext } from '../support/sor-and-target.js';

const SWEEP_DAYS = 7;
const WINDOW_DAYS = 6;
const dayOf = (m: EMark) => `${m.lesson.date.slice(0, 4)}-${m.lesson.date.slice(4, 6)}-${m.lesson.date.slice(6)}`;
const plain = (m: EMark) => !m.absence && /^[2-5]$/.test(m.value);
const other = (v: string) => (v === '5' ? '4' : '5');

describe('ЭлЖур as system of record: four weeks of nights', () => {
  let school: SyntheticSchool;
  let emu: EljurEmulator;
  let ctx: JobContext;
  let start: string;
  let last: string;
  /** The marks and absences the teacher has not entered yet, by pupil (canonical person id). */
  const unentered = new Map<string, EMark[]>();

  const entries = () => [...emu.world.marksByPupil].flatMap(([person, list]) => list.map((m) => ({ person, m })));
  /** The teacher enters every mark and absence of the days up to `day`. */
  const enterUpTo = (day: string) => {
    let entered = 0;
    for (const [person, list] of unentered) {
      const now = list.filter((m) => dayOf(m) <= day);
      if (!now.length) continue;
      entered += now.length;
      unentered.set(person, list.filter((m) => dayOf(m) > day));
      const shown = emu.world.marksByPupil.get(person) ?? emu.world.marksByPupil.set(person, []).get(person)!;
      shown.push(...now);
      shown.sort((a, b) => a.lesson.date.localeCompare(b.lesson.date) || a.lesson.num - b.lesson.num || a.slot - b.slot);
    }
    return entered;
  };
  const remove = (person: string, m: EMark) => {
    const list = emu.world.marksByPupil.get(person)!;
    list.splice(list.indexOf(m), 1);
  };
  const keyOf = (person: string, m: EMark) => {
    const uid = emu.world.userId.get(person)!;
    return m.absence ? `${m.lesson.id}:${uid}` : `${uid}:${m.lesson.id}:${m.slot}`;
  };
  const resolve = async (person: string, m: EMark) =>
    (await ctx.store.resolve('eljur', 'sor', m.absence ? 'attendance_record' : 'mark', [keyOf(person, m)])).get(keyOf(person, m));
  const stored = async (person: string, m: EMark) => {
    const id = await resolve(person, m);
    return id ? (await ctx.store.get(id)) as unknown as { status: string; raw?: string; rawCode?: string } | null : null;
  };
  const activeCount = async (entity: 'mark' | 'attendance_record') => {
    let n = 0;
    for await (const r of ctx.store.iterate(entity, { status: 'active' })) if (r) n++;
    return n;
  };

  /** The store holds every mark and absence ЭлЖур shows, with its value, once, and nothing else. */
  const expectSameAsEljur = async () => {
    const shown = entries();
    const ids = new Set<string>();
    const wrong: string[] = [];
    for (const { person, m } of shown) {
      const id = await resolve(person, m);
      const r = id ? await ctx.store.get(id) as unknown as { status: string; raw?: string; rawCode?: string } : null;
      if (!id || r?.status !== 'active' || (m.absence ? r.rawCode : r.raw) !== m.value) wrong.push(`${keyOf(person, m)} ${m.value} → ${r?.status} ${r?.raw ?? r?.rawCode}`);
      if (id) ids.add(id);
    }
    expect(wrong).toEqual([]);
    expect(ids.size).toBe(shown.length);
    expect(await activeCount('mark')).toBe(shown.filter((e) => !e.m.absence).length);
    expect(await activeCount('attendance_record')).toBe(shown.filter((e) => e.m.absence).length);
  };

  const night = async (day: string): Promise<{ roster: RunSummary; journal: RunSummary }> => {
    const entered = enterUpTo(day);
    const at = onDay(ctx, day);
    const [roster] = await runJob('roster-sync', { schoolId: 's1' }, at);
    const [journal] = await runJob('journal-sync', { schoolId: 's1' }, at);
    expect(roster.quarantined).toBe(0);
    expect(journal.quarantined).toBe(0);
    expect(journal.deletesRefused).toBeUndefined();
    // Each mark and absence entered today is a record created tonight (with the day's lessons and works).
    expect(journal.created).toBeGreaterThanOrEqual(entered);
    expect(journal.window).toEqual({ from: addDays(day, -WINDOW_DAYS), to: day });
    expect((await ctx.store.getCursor('eljur', 'sor', recentCursorKey('s1')))?.value).toBe(day);
    if (journal.sweep) expect((await ctx.store.getCursor('eljur', 'sor', sweepCursorKey('s1')))?.value).toBe(journal.sweep.to);
    return { roster, journal };
  };
  /** One night a day from `from` to `to`; their journal summaries. */
  const nights = async (from: string, to: string) => {
    const out: RunSummary[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push((await night(d)).journal);
    return out;
  };

  let firstWeek: string;
  let lateMark: { person: string; m: EMark };
  beforeAll(async () => {
    school = generateSchool({ seed: 83, pupils: 20, weeks: 4 });
    [start, last] = lessonSpan(school);
    emu = await startEljurEmulator({ dataset: school });
    firstWeek = addDays(start, 6);
    // The journal as it stands on the evening of the first week's last day; the rest is entered night by night.
    for (const [person, list] of emu.world.marksByPupil) {
      unentered.set(person, list.filter((m) => dayOf(m) > firstWeek));
      emu.world.marksByPupil.set(person, list.filter((m) => dayOf(m) <= firstWeek));
    }
    // One mark of the first week the teacher enters only in the third week (late): no recent window holds its day.
    const late = entries().find((e) => plain(e.m) && dayOf(e.m) === addDays(start, 3))!;
    remove(late.person, late.m);
    lateMark = late;
    ctx = await schoolContext({
      sor: { instance: 'sor', entry: eljurInstance('sor', emu, 500) },
      settings: `journalWindowDays: ${WINDOW_DAYS}, journalSweepDays: ${SWEEP_DAYS}`,
      // Every run below is a night of its own: the sweep is due on each, and a second miss counts the next night.
      extra: 'sync: { journalSweepIntervalHours: 0, secondMissAfterHours: 0, deleteThreshold: 0.3 }',
    });
    await runJob('roster-sync', { schoolId: 's1', window: { from: start, to: firstWeek } }, onDay(ctx, firstWeek));
    const [full] = await runJob('journal-sync', { schoolId: 's1', window: { from: start, to: firstWeek } }, onDay(ctx, firstWeek));
    expect(full.quarantined).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await emu?.close();
  });

  it('the first week is stored as ЭлЖур shows it', async () => {
    expect(entries().length).toBeGreaterThan(100);
    await expectSameAsEljur();
  }, 60_000);

  it('second week: new marks each night, a correction and a delete in the recent window stored the same night', async () => {
    const d = (n: number) => addDays(firstWeek, n);
    await nights(d(1), d(2));
    // The night of d(3): a mark of yesterday corrected.
    enterUpTo(d(3));
    const fix = entries().find((e) => plain(e.m) && dayOf(e.m) === d(2))!;
    fix.m.value = other(fix.m.value);
    const corrected = (await night(d(3))).journal;
    expect(corrected.updated).toBeGreaterThanOrEqual(1);
    expect((await stored(fix.person, fix.m))?.raw).toBe(fix.m.value);
    // The night of d(4): a mark of d(3), stored last night, deleted.
    const gone = entries().find((e) => plain(e.m) && dayOf(e.m) === d(3) && e !== fix)!;
    const goneId = (await resolve(gone.person, gone.m))!;
    expect((await ctx.store.get(goneId))?.status).toBe('active');
    remove(gone.person, gone.m);
    const deleting = (await night(d(4))).journal;
    expect(deleting.deleted).toBe(1);
    expect((await ctx.store.get(goneId))?.status).toBe('deleted');
    await nights(d(5), d(7));
    await expectSameAsEljur();
    // A night with nothing new (the same day run again) writes nothing.
    const again = (await night(d(7))).journal;
    expect([again.created, again.updated, again.deleted]).toEqual([0, 0, 0]);
  }, 300_000);

  it('third week: a correction, a delete and a late mark in the first week reach the store within one sweep cycle', async () => {
    const today = addDays(firstWeek, 8);
    const old = entries().filter((e) => plain(e.m) && dayOf(e.m) <= addDays(start, 2));
    const [fix, gone] = [old[0], old.at(-1)!];
    fix.m.value = other(fix.m.value);
    const goneId = (await resolve(gone.person, gone.m))!;
    remove(gone.person, gone.m);
    (emu.world.marksByPupil.get(lateMark.person)!).push(lateMark.m);
    // The sweep covers the days from the year's start to the day before the recent window, `SWEEP_DAYS` a night:
    // two slices (a cycle of two nights) on these nights.
    const summaries = await nights(today, addDays(today, 1));
    expect(summaries.map((s) => s.sweep?.from).sort()).toEqual([start, addDays(start, SWEEP_DAYS)]);
    expect((await stored(fix.person, fix.m))?.raw).toBe(fix.m.value);
    expect((await ctx.store.get(goneId))?.status).toBe('deleted');
    expect((await stored(lateMark.person, lateMark.m))?.status).toBe('active');
    expect(summaries.reduce((n, s) => n + s.deleted, 0)).toBe(1);
    await expectSameAsEljur();
  }, 300_000);

  it('fourth week: two pupils leave — deleted at the second miss with what only they showed, their marks kept', async () => {
    const from = addDays(firstWeek, 10); // the night after the third test's last
    const classOf = (x: { cls: string }) => emu.world.classes.get(x.cls)!;
    const withMarks = (p: string) => (emu.world.marksByPupil.get(p) ?? []).length > 5;
    // One from a class others stay in, one the last pupil of their class.
    const leavers = [
      [...emu.world.pupils].find(([p, x]) => classOf(x).pupils.length > 1 && withMarks(p))!,
      [...emu.world.pupils].find(([p, x]) => classOf(x).pupils.length === 1 && withMarks(p))!,
    ];
    const theirs = new Map<string, EMark[]>();
    for (const [person, pupil] of leavers) {
      emu.world.pupils.delete(person);
      classOf(pupil).pupils.splice(classOf(pupil).pupils.indexOf(person), 1);
      unentered.delete(person); // nothing more is entered for them
      theirs.set(person, emu.world.marksByPupil.get(person)!.slice());
    }
    // What only their diaries showed (a subgroup one sat in alone; every section of the other's class) and that class.
    const alone = [...emu.world.lessonsBySection].filter(([sec]) => leavers.some(([, x]) => x.sections.has(sec)) && ![...emu.world.pupils.values()].some((p) => p.sections.has(sec)));
    const shownByThem = [
      ...(await ctx.store.resolve('eljur', 'sor', 'section', alone.map(([, ls]) => sectionKey(ls[0].cls, ls[0].subject, ls[0].grp)))).values(),
      ...(await ctx.store.resolve('eljur', 'sor', 'homeroom_class', [leavers[1][1].cls])).values(),
    ];
    expect(alone.some(([, ls]) => ls[0].cls === leavers[0][1].cls)).toBe(true);
    expect(shownByThem.length).toBeGreaterThan(2);
    const statuses = async (ids: string[]) => [...new Set(await Promise.all(ids.map(async (id) => (await ctx.store.get(id))?.status)))];
    const first = await night(from);
    expect(first.roster.missingOnce).toBeGreaterThan(0);
    expect(first.roster.deleted).toBe(0); // before: those sections and the class were deleted at once
    expect(await statuses(shownByThem)).toEqual(['active']);
    const second = await night(addDays(from, 1));
    expect(second.roster.deletesRefused).toBeUndefined();
    const people = await ctx.store.resolve('eljur', 'sor', 'person', leavers.map(([, x]) => x.id));
    expect(await statuses([...people.values()])).toEqual(['deleted']);
    expect(await statuses(shownByThem)).toEqual(['deleted']);
    const rest = await nights(addDays(from, 2), last);
    expect([first.journal, second.journal, ...rest].reduce((n, s) => n + s.deleted, 0)).toBe(0);
    for (const [person, marks] of theirs) for (const m of marks) expect((await stored(person, m))?.status).toBe('active');
    await expectSameAsEljur();
  }, 400_000);
});
