// A teacher corrects a mark of a past week on Дневник.ру (no change feed): the scheduled journal sync reads the
// recent window every night and one older slice per night, so the correction reaches the store within one sweep
// cycle (docs/sync.md "Nightly delta") — before the sweep, a mark older than the window was never read again.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { correct } from '../../src/emulators/dnevnik/corrections.js';
import { createLogger } from '../../src/infra/logger.js';
import { connectorFor, openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { addDays } from '../../src/model/dates.js';
import { finalsOwedCursorKey, nightlyJournalSync, nightlyPlanFor, recentCursorKey, sweepCursorKey } from '../../src/sync/journal-nightly.js';
import { withConnector, type ReadScope } from '../../src/connectors/contract.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const START = '2025-09-01';
const WEEKS = 5;
const TODAY = addDays(START, WEEKS * 7 - 1); // 2025-10-05, the dataset's last day

describe('nightly journal sync on Дневник.ру', () => {
  let emu: DnevnikEmulator;
  let ctx: JobContext;

  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 11, pupils: 12, weeks: WEEKS });
    const inst = dnevnikInstance('dn', emu);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-nightly-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({
      instances: [inst], names: ['dn'], extra: `sync: { windowEndsOn: "${TODAY}", journalSweepIntervalHours: 0 }`, // every run below is "a night"
      schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }], settings: 'journalWindowDays: 6, journalSweepDays: 14' }],
    }));
    ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
    const full = { from: START, to: TODAY };
    await runJob('roster-sync', { schoolId: 's1', window: full }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window: full }, ctx);
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await emu?.close();
  });

  const requests = (part: string) => Object.entries(emu.stats().byRoute).filter(([route]) => route.includes(part)).reduce((n, [, k]) => n + k, 0);
  const marksRequests = () => requests('edu-groups/{g}/marks/');
  const storedRaw = async (platformMarkId: string) => {
    const ids = await ctx.store.resolve('dnevnik_ru', 'dn', 'mark', [platformMarkId]);
    const id = ids.get(platformMarkId);
    expect(id, 'the full sync linked the mark').toBeDefined();
    return ((await ctx.store.get(id!)) as { raw: string } | null)?.raw;
  };

  it('a corrected mark of the first week is stored within one sweep cycle, and only then', async () => {
    // The latest five-point mark of the first week: the sweep reaches it last of that slice's marks, never the recent window.
    const old = [...emu.world.marks.values()].filter((m) => m.date < addDays(START, 7) && /^[2-5]$/.test(m.value)).at(-1)!;
    expect(old).toBeDefined();
    const before = old.value;
    correct(old);
    expect(await storedRaw(String(old.id))).toBe(before);

    const plan = await nightlyPlanFor(ctx.store, { run: { system: 'dnevnik_ru', instance: 'dn', runId: 'x', mapperVersion: 'x' }, school: { id: 's1', sourceId: '', timeZone: 'Europe/Samara' }, today: TODAY, windowDays: 6, sweepDays: 14, sweepIntervalHours: 0 });
    // 1 Sep … 28 Sep: two slices of fourteen days.
    expect(plan.sweepCycleNights).toBe(2);
    // Shift the cycle so the first week is its last slice: the correction must wait for it.
    await ctx.store.setCursor({ system: 'dnevnik_ru', instance: 'dn', entity: sweepCursorKey('s1'), kind: 'date_last_modified', value: '2025-09-14' });

    const seenOn: number[] = [];
    for (let night = 1; night <= plan.sweepCycleNights; night++) {
      const [marksPages, setUp, finals] = [marksRequests(), requests('users/me/context'), requests('final-marks')];
      const summaries = await runJob('journal-sync', { schoolId: 's1' }, ctx);
      // One pass reads both windows: one summary, one set of set-up reads.
      expect(summaries.map((s) => [s.window, !!s.sweep])).toEqual([[{ from: addDays(TODAY, -6), to: TODAY }, true]]);
      expect(requests('users/me/context') - setUp).toBe(1);
      // Each window is one range per class, though the instance reads explicit windows week by week.
      expect(marksRequests() - marksPages).toBe(2 * emu.world.groups.size);
      // Early October is mid-term (the first quarter ends on 24 October, no slice holds an end): no final marks.
      expect([summaries[0].finals, requests('final-marks') - finals]).toEqual([false, 0]);
      if ((await storedRaw(String(old.id))) === old.value) seenOn.push(night);
    }
    // The slice after the signpost is 15–28 Sep; the second night goes round to 1–14 Sep.
    expect(seenOn).toEqual([2]);
    const recent = await ctx.store.getCursor('dnevnik_ru', 'dn', recentCursorKey('s1'));
    expect(recent?.value).toBe(TODAY);
  }, 180_000);

  it('a school synced several times a day reads the next sweep slice only once the interval has passed', async () => {
    const hourly = { ...ctx, config: { ...ctx.config, sync: { ...ctx.config.sync, journalSweepIntervalHours: 20 } } };
    const before = await ctx.store.getCursor('dnevnik_ru', 'dn', sweepCursorKey('s1'));
    const summaries = await runJob('journal-sync', { schoolId: 's1' }, hourly);
    expect(summaries.map((s) => [s.window, s.sweep])).toEqual([[{ from: addDays(TODAY, -6), to: TODAY }, undefined]]);
    expect((await ctx.store.getCursor('dnevnik_ru', 'dn', sweepCursorKey('s1')))?.value).toBe(before?.value);
  }, 60_000);

  it('a night cut off while reading leaves both cursors where they were: the next night reads the same windows', async () => {
    const cursors = async () => Promise.all([recentCursorKey('s1'), sweepCursorKey('s1')].map(async (k) => (await ctx.store.getCursor('dnevnik_ru', 'dn', k))?.value));
    const before = await cursors();
    const { connector, run } = connectorFor(ctx.config, 'dn', createLogger({ level: 'silent' }));
    // The connection drops after a few pages of the first window.
    const dropping = { ...connector, async *readSchool(scope: ReadScope) {
      let pages = 0;
      for await (const b of connector.readSchool(scope)) {
        if (++pages > 5) throw new Error('socket hang up');
        yield b;
      }
    } };
    await expect(withConnector(dropping, () => nightlyJournalSync({
      store: ctx.store, connector: dropping, mapper: getPlatform('dnevnik').mapper, run: { ...run, runId: 'cut-off' },
      school: { id: 's1', sourceId: String(emu.world.school.id), timeZone: 'Europe/Samara' }, isSystemOfRecord: true,
      today: TODAY, windowDays: 6, sweepDays: 14, sweepIntervalHours: 0,
    }))).rejects.toThrow(/socket hang up/);
    expect(await cursors()).toEqual(before);
  }, 60_000);

  it('a correction inside the recent window is stored the same night', async () => {
    const fresh = [...emu.world.marks.values()].find((m) => m.date >= addDays(TODAY, -6) && /^[2-5]$/.test(m.value))!;
    correct(fresh);
    await runJob('journal-sync', { schoolId: 's1' }, ctx);
    expect(await storedRaw(String(fresh.id))).toBe(fresh.value);
  }, 60_000);

  it('a week before a quarter ends final marks are read, on the nights between sweep slices: never both on one night', async () => {
    const { connector, run } = connectorFor(ctx.config, 'dn', createLogger({ level: 'silent' }));
    const night = async (n: number) => {
      const [finals, marks] = [requests('final-marks'), marksRequests()];
      const [summary] = await withConnector(connector, () => nightlyJournalSync({
        store: ctx.store, connector, mapper: getPlatform('dnevnik').mapper, run: { ...run, runId: `quarter-end-${n}` },
        school: { id: 's1', sourceId: String(emu.world.school.id), timeZone: 'Europe/Samara' }, isSystemOfRecord: true,
        today: '2025-10-17', windowDays: 6, sweepDays: 14, sweepIntervalHours: 0,
      }));
      return { finals: summary.finals, owed: summary.finalsOwed ?? false, swept: !!summary.sweep, finalRequests: requests('final-marks') - finals, marksPages: marksRequests() - marks };
    };
    const groups = emu.world.groups.size;
    // A slice is due every night here (interval 0) and so are final marks: they take turns.
    expect(await night(1)).toEqual({ finals: false, owed: true, swept: true, finalRequests: 0, marksPages: 2 * groups });
    expect(await night(2)).toEqual({ finals: true, owed: false, swept: false, finalRequests: groups, marksPages: groups });
    expect(await night(3)).toEqual({ finals: false, owed: true, swept: true, finalRequests: 0, marksPages: 2 * groups });
    // The debt is kept in the store, not in the worker: whichever process runs the next night reads them first.
    expect((await ctx.store.getCursor('dnevnik_ru', 'dn', finalsOwedCursorKey('s1')))?.value).toBe('owed');
  }, 120_000);

  it('journalFinalsIntervalHours: final marks due every night are read once per interval (АСУ РСО reads one report per pupil)', async () => {
    const { connector, run } = connectorFor(ctx.config, 'dn', createLogger({ level: 'silent' }));
    const start = Date.now();
    const night = async (hoursLater: number) => {
      const before = requests('final-marks');
      const [summary] = await withConnector(connector, () => nightlyJournalSync({
        store: ctx.store, connector, mapper: getPlatform('dnevnik').mapper, run: { ...run, runId: `interval-${hoursLater}` },
        school: { id: 's1', sourceId: String(emu.world.school.id), timeZone: 'Europe/Samara' }, isSystemOfRecord: true,
        today: '2025-10-17', windowDays: 6, sweepDays: 0, sweepIntervalHours: 0, finalsIntervalHours: 48,
        clock: () => new Date(start + hoursLater * 3_600_000),
      }));
      return [summary.finals, requests('final-marks') - before > 0];
    };
    expect(await night(0)).toEqual([true, true]); // owed by the night before (previous test), or due and rested
    expect(await night(24)).toEqual([false, false]); // due, but read a day ago
    expect(await night(49)).toEqual([true, true]);
  }, 120_000);
});
