// Autumn after a school-year rollover on Дневник.ру as the system of record: a pupil promoted with academic debt
// retakes in October and the school corrects last year's year mark on the platform. `schools/{id}/edu-groups` lists
// only the new year's groups, so the nightly's re-read of last year's final marks (last-year-finals-read.ts) finds
// last year's groups by the ids the gateway linked then (src/sync/year-links.ts) and reads their final marks by id
// (src/connectors/dnevnik/year-groups.ts). The emulator serves last year's world beside the new one (`previousYear`):
// its groups answer by id, not in the school's list. Before, the read was not made: "reads only the current year".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { DnevnikWorld, startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { NFinal } from '../../src/emulators/dnevnik/world.js';
import { openStore, type CanonicalStore, type ChangeLogEntry } from '../../src/store/index.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor, yearRecords } from '../support/rollover-store.js';

// A whole year (35 weeks): the year marks are set only when the year's last quarter ends.
const roll = buildRollover({ pupils: 12, weeks: 35 });
// Last year's world as Дневник.ру numbered it (ids derive from the records); the new year's emulator serves it.
const oldWorld = new DnevnikWorld(roll.old.records);
const newWorld = new DnevnikWorld(roll.next.records);
const CURSOR = 'journal-last-year-finals|s1';
// Last year's groups the new year's emulator refuses by id (archived: 404, access withdrawn: 403).
const refused = new Map<string, 403 | 404>();

describe('last year\'s final marks corrected in the autumn (Дневник.ру)', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}, yaml: { settings?: string; extra?: string } = {}): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'dn', instance: dnevnikInstance,
      start: () => startDnevnikEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld, refusedGroups: refused } : {}) }),
    }, kind, data, yaml);
  /** A scheduled (nightly) journal sync of the new year on `today`. */
  const night = (today: string) => run(roll.next, 'journal-sync', {}, { extra: `sync: { windowEndsOn: "${today}" }` });
  const sourceId = (f: NFinal) => `${f.person}:${f.period}:${f.subject}`;
  const stored = async (f: NFinal) => {
    const id = (await store.resolve('dnevnik_ru', 'dn', 'final_mark', [sourceId(f)])).get(sourceId(f));
    expect(id, `final mark ${sourceId(f)} linked`).toBeDefined();
    return (await store.get(id!)) as unknown as { id: string; raw: string; version: number; status: string };
  };
  const yearPeriods = new Set(oldWorld.periods.filter((p) => p.type === 'Year').map((p) => p.id));
  // Year marks of promoted pupils (still at school), one per pupil.
  const yearMarks = () => {
    const promoted = new Set([...roll.promoted.keys()].map((id) => String(oldWorld.persons.get(id)?.id)));
    const seen = new Set<string>();
    return oldWorld.finals.filter((f) => yearPeriods.has(f.period) && promoted.has(String(f.person)) && !seen.has(String(f.person)) && seen.add(String(f.person)));
  };
  /** The re-take passed: a «2» becomes a «3»; any other mark moves by one, staying on the scale. */
  const correct = (f: NFinal) => {
    const v = f.mark.value === '5' ? '4' : String(Math.max(Number(f.mark.value), 1) + 1);
    f.mark = { ...f.mark, value: v, textValue: v, date: '2026-10-05T12:00:00' };
  };
  const ageCursor = async (days: number) => {
    const c = (await store.getCursor('dnevnik_ru', 'dn', CURSOR))!;
    expect(c, 'the read stamped its cursor').toBeTruthy();
    await store.setCursor({ ...c, lastSuccessAt: new Date(Date.parse(c.lastSuccessAt!) - days * 86_400_000).toISOString() });
  };
  const changesSince = async (version: number) => {
    const out: ChangeLogEntry[] = [];
    for await (const c of store.changesSince(version)) out.push(c);
    return out;
  };

  it('stores a year mark of last year corrected in October, touching nothing else of either year', async () => {
    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const marks = yearMarks();
    expect(marks.length).toBeGreaterThanOrEqual(1);
    const [first] = marks;
    expect((await stored(first)).raw).toBe(first.mark.value);
    // The emulator's groups of the two years differ: last year's are reachable by id only.
    expect([...oldWorld.groups.keys()].some((g) => newWorld.groups.has(g))).toBe(false);

    // 1 September: the new year's roster and a first night, with nothing of last year corrected yet.
    await run(roll.next, 'roster-sync');
    const sept = await night('2026-09-10');
    expect(sept.lastYearFinals).toEqual({ from: '2025-09-01', to: '2026-08-31', changed: 0, quarantined: 0 });
    const lastYearBefore = await yearRecords(store, 2026);
    const thisYearBefore = await yearRecords(store, 2027);
    expect(lastYearBefore['section:active'], 'last year\'s sections kept').toBeGreaterThan(0);
    expect(thisYearBefore['section:active'], 'this year\'s sections read').toBeGreaterThan(0);

    // October: the school corrects the year mark after the re-take. The next read (a week on) stores it.
    const was = await stored(first);
    correct(first);
    expect(first.mark.value).not.toBe(was.raw);
    await ageCursor(7);
    const version = await store.currentVersion();
    const oct = await night('2026-10-06');
    expect(oct.lastYearFinals).toEqual({ from: '2025-09-01', to: '2026-08-31', changed: 1, quarantined: 0 });
    expect(formatSummary(oct)).toContain('previous school year\'s final marks read (2025-09-01…2026-08-31): changed 1');
    const now = await stored(first);
    expect(now.raw).toBe(first.mark.value);
    expect(now.status).toBe('active');
    expect(now.version).toBeGreaterThan(was.version);

    // The change log holds that one final mark's update, and no delete of anything; last year's and this year's
    // roster records are as they were.
    const changes = await changesSince(version);
    const finals = changes.filter((c) => c.entity === 'final_mark');
    expect(finals.map((c) => [c.canonicalId, c.op])).toEqual([[now.id, 'update']]);
    expect(changes.filter((c) => c.op === 'delete')).toEqual([]);
    expect(await yearRecords(store, 2026)).toEqual(lastYearBefore);
    expect(await yearRecords(store, 2027)).toEqual(thisYearBefore);
  }, 300_000);

  it('leaves out a group of last year the platform refuses (404), reads the others, and counts a read of no group as not read', async () => {
    // Two promoted pupils' year marks in two classes (the first test's class left aside): one class gets archived.
    const [, ...rest] = yearMarks();
    const kept = rest[0];
    const gone = rest.find((f) => f.group !== kept.group);
    expect(gone, 'a second class with a promoted pupil\'s year mark').toBeDefined();
    const goneWas = (await stored(gone!)).raw;
    correct(kept);
    correct(gone!);
    refused.set(String(gone!.group), 404);
    await ageCursor(7);
    const version = await store.currentVersion();
    const oct = await night('2026-10-13');
    // Before: the one 404 failed the whole read («not read: the read failed»), the other class's correction with it.
    expect(oct.lastYearFinals).toEqual({ from: '2025-09-01', to: '2026-08-31', changed: 1, quarantined: 1 });
    expect(oct.quarantineReasons[`edu-group ${gone!.group} not read (404 parameterInvalid)`]).toBe(1);
    expect((await stored(kept)).raw).toBe(kept.mark.value);
    expect((await stored(gone!)).raw, 'the refused class\'s mark is as it was').toBe(goneWas);
    expect((await changesSince(version)).filter((c) => c.op === 'delete')).toEqual([]);
    const stamped = (await store.getCursor('dnevnik_ru', 'dn', CURSOR))!.lastSuccessAt;
    expect(Date.parse(stamped!)).toBeGreaterThan(Date.now() - 600_000);

    // Every group of last year refused (the account lost access to them all): nothing was read, so the read is not
    // done — the summary says so and the cursor stays, so the next night asks again.
    for (const g of oldWorld.groups.keys()) refused.set(String(g), 403);
    await ageCursor(7);
    const before = (await store.getCursor('dnevnik_ru', 'dn', CURSOR))!;
    const none = await night('2026-10-20');
    expect(none.lastYearFinals?.notRead).toMatch(/^the read failed, asked again next night: dnevnik: all \d+ edu-group\(s\) asked for by id refused the read \(403/);
    expect((await store.getCursor('dnevnik_ru', 'dn', CURSOR))!.lastSuccessAt).toBe(before.lastSuccessAt);

    // The access back: the class refused before is read again, its correction stored.
    refused.clear();
    const back = await night('2026-10-21');
    expect(back.lastYearFinals).toEqual({ from: '2025-09-01', to: '2026-08-31', changed: 1, quarantined: 0 });
    expect((await stored(gone!)).raw).toBe(gone!.mark.value);
  }, 300_000);
});
