// Дневник.ру's reporting periods are one request per class on every read, for lists that change a few times a year
// (docs/platforms/dnevnik.md "Reporting periods"). The roster sync reads and keeps them; the day's journal syncs take
// them from the store. A cached list that lacks a period a page names (one added since) has its class read again
// — a request, never a lost record — and a cache older than a day is not used.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { addDays } from '../../src/model/dates.js';
import { setupCacheKey } from '../../src/sync/setup-cache.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const START = '2025-09-01';
const TODAY = addDays(START, 3 * 7 - 1);
const WINDOW = { from: addDays(TODAY, -6), to: TODAY };
const CACHE = setupCacheKey('s1', 'dnevnik:reporting-periods');

describe('Дневник.ру reporting periods kept between runs', () => {
  let emu: DnevnikEmulator;
  let ctx: JobContext;
  let classes = 0;

  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 12, pupils: 12, weeks: 3 });
    const inst = dnevnikInstance('dn', emu);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-periods-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({ instances: [inst], names: ['dn'], extra: `sync: { windowEndsOn: "${TODAY}" }`, schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }));
    ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
    await runJob('roster-sync', { schoolId: 's1', window: { from: START, to: TODAY } }, ctx);
    classes = periodRequests();
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await emu?.close();
  });

  const periodRequests = () => Object.entries(emu.stats().byRoute).filter(([route]) => route.includes('reporting-periods')).reduce((n, [, k]) => n + k, 0);
  /** A journal sync of the window: requests for periods it made, and what it quarantined and stored. */
  const journal = async () => {
    const before = periodRequests();
    const [s] = await runJob('journal-sync', { schoolId: 's1', window: WINDOW }, ctx);
    return { periodRequests: periodRequests() - before, quarantined: s.quarantined };
  };
  const cached = async () => JSON.parse((await ctx.store.getCursor('dnevnik_ru', 'dn', CACHE))!.value!) as Record<string, unknown[]>;

  it('the roster sync reads every class and keeps the lists; a journal sync the same day reads none', async () => {
    expect(classes).toBeGreaterThan(1);
    expect(Object.keys(await cached())).toHaveLength(classes);
    const run = await journal();
    expect(run.periodRequests).toBe(0);
    expect(run.quarantined).toBe(0);
  }, 60_000);

  it('a cached list missing the periods the pages name is read again for its class, once, and nothing is quarantined', async () => {
    const lists = await cached();
    const stale = Object.fromEntries(Object.keys(lists).map((k) => [k, []]));
    const row = (await ctx.store.getCursor('dnevnik_ru', 'dn', CACHE))!;
    await ctx.store.setCursor({ ...row, value: JSON.stringify(stale), lastSuccessAt: new Date().toISOString() });
    const run = await journal();
    expect(run.periodRequests).toBeGreaterThan(0);
    expect(run.periodRequests).toBeLessThanOrEqual(classes); // one per class whose pages named a period, not one per page
    expect(run.quarantined).toBe(0);
    // What was read again is kept: the next run reads none.
    expect((await journal()).periodRequests).toBe(0);
  }, 60_000);

  it('lists older than a day are not used: the journal sync reads every class again', async () => {
    const row = (await ctx.store.getCursor('dnevnik_ru', 'dn', CACHE))!;
    await ctx.store.setCursor({ ...row, lastSuccessAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
    expect((await journal()).periodRequests).toBe(classes);
    expect((await journal()).periodRequests).toBe(0);
  }, 60_000);
});
