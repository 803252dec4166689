// Autumn after a school-year rollover on ЭПОС.Школа as the system of record: a pupil promoted with academic debt
// («условный перевод») retakes in September and the school corrects last year's year mark on the platform. The
// nightly windows never reach before 1 September, so the store — and the yearly archive's summary sheet built from it —
// kept the failed mark. Now a scheduled journal sync re-reads the previous year's final marks from 1 September until
// `journalLastYearFinalsUntil` (default 31 October), at most once per `journalLastYearFinalsIntervalHours` (a week).
// The emulator lists the previous year on request (`listsPreviousYear`), as the platform does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { EposWorld, startEposEmulator } from '../../src/emulators/epos/index.js';
import type { EFinal } from '../../src/emulators/epos/world.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { eposInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';

// A whole year (35 weeks): the year marks are set only when the year's last quarter ends.
const roll = buildRollover({ pupils: 12, weeks: 35 });
// Last year's world as ЭПОС numbered it; the new year's emulator serves it, with the corrections made to it since.
const oldWorld = new EposWorld(roll.old.records);
const CURSOR = 'journal-last-year-finals|s1';

describe('last year\'s final marks corrected in the autumn (ЭПОС)', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}, yaml: { settings?: string; extra?: string } = {}): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'ep', instance: eposInstance,
      start: () => startEposEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld, listsPreviousYear: true } : {}) }),
    }, kind, data, yaml);
  /** A scheduled (nightly) journal sync of the new year on `today`. */
  const night = (today: string, settings?: string) => run(roll.next, 'journal-sync', {}, { extra: `sync: { windowEndsOn: "${today}" }`, ...(settings ? { settings } : {}) });
  const stored = async (f: EFinal) => {
    const id = (await store.resolve('epos', 'ep', 'final_mark', [String(f.id)])).get(String(f.id));
    expect(id, `final mark ${f.id} linked`).toBeDefined();
    return (await store.get(id!)) as unknown as { raw: string; version: number };
  };
  // Year marks of promoted pupils (still at school), one per pupil: each test step corrects another.
  const yearMarks = () => {
    const promoted = new Set([...roll.promoted.keys()].map((id) => oldWorld.profileOf.get(id)));
    return [...oldWorld.finals].filter(([pupil]) => promoted.has(pupil)).flatMap(([, fs]) => fs.filter((f) => f.period.type === 'year').slice(0, 1));
  };
  /** The re-take passed: a «2» becomes a «3»; any other mark moves by one, staying on the scale. */
  const correct = (f: EFinal) => { f.value = f.value === '5' ? '4' : String(Math.max(Number(f.value), 1) + 1); };
  const ageCursor = async (days: number) => {
    const c = (await store.getCursor('epos', 'ep', CURSOR))!;
    expect(c, 'the read stamped its cursor').toBeTruthy();
    await store.setCursor({ ...c, lastSuccessAt: new Date(Date.parse(c.lastSuccessAt!) - days * 86_400_000).toISOString() });
  };

  it('stores a corrected year mark of last year in September, weekly, and not after the season', async () => {
    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const marks = yearMarks();
    expect(marks.length).toBeGreaterThanOrEqual(4);
    for (const f of marks.slice(0, 4)) expect((await stored(f)).raw).toBe(f.value);
    const [first, second, third, fourth] = marks;

    // 1 September: the new year's roster; then the school corrects a year mark of last year after a re-take.
    await run(roll.next, 'roster-sync');
    const was = first.value;
    correct(first);
    expect(first.value).not.toBe(was);

    const sept = await night('2026-09-10');
    expect(sept.lastYearFinals).toEqual({ from: '2025-09-01', to: '2026-08-31', changed: 1, quarantined: 0 });
    expect(formatSummary(sept)).toContain('previous school year\'s final marks read (2025-09-01…2026-08-31): changed 1');
    expect((await stored(first)).raw).toBe(first.value);
    // Tonight's own window is this year's, as before.
    expect(sept.window!.from >= '2026-09-01').toBe(true);

    // The next night is within the week: last year is not read again, a correction made meanwhile waits.
    correct(second);
    const next = await night('2026-09-11');
    expect(next.lastYearFinals).toBeUndefined();
    expect((await stored(second)).raw).not.toBe(second.value);

    // A week later it is read again.
    await ageCursor(7);
    const week = await night('2026-09-18');
    expect(week.lastYearFinals?.changed).toBe(1);
    expect((await stored(second)).raw).toBe(second.value);

    // After the configured end day (here 30 September) last year is not read, whatever the interval.
    correct(third);
    await ageCursor(7);
    const late = await night('2026-10-01', 'journalLastYearFinalsUntil: "09-30"');
    expect(late.lastYearFinals).toBeUndefined();
    expect((await stored(third)).raw).not.toBe(third.value);
    // With the default end day (31 October) the same night reads it; after 31 October no night does.
    const october = await night('2026-10-01');
    expect(october.lastYearFinals?.changed).toBe(1);
    expect((await stored(third)).raw).toBe(third.value);
    correct(fourth);
    await ageCursor(31);
    const november = await night('2026-11-01');
    expect(november.lastYearFinals).toBeUndefined();
    expect((await stored(fourth)).raw).not.toBe(fourth.value);
  }, 300_000);
});
