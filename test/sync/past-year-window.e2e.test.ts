// A one-off journal read (a job's window, the CLI's --from/--to) whose window starts before the platform's current
// school year (src/sync/past-year-window.ts). Before, it was read like any window: ЭПОС and the other platforms read
// through the current year's groups, so it read nothing or the wrong groups, and its snapshot deletes could take last
// year's stored marks for deleted. Now it is refused before any request (exit 64, a job not retried), unless the
// platform declares `pastYearJournal: 'by-linked-ids'` (Дневник.ру): last year's groups are then read by the ids
// linked last year, with no snapshot deletes. A window inside the year is read as before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { parseConfigText } from '../../src/config/load.js';
import { inProcessRateLimiterFactory, resetInstanceGates, setRateLimiterFactory } from '../../src/connectors/http/rate-limiter.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { DnevnikWorld, startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { EposWorld, startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { openJobRunner } from '../../src/jobs/run-once.js';
import { startWorker } from '../../src/jobs/worker.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';
import { sharedStore, type SharedStore } from '../support/shared-store.js';

const roll = buildRollover({ pupils: 12, weeks: 2 });
/** Last year's lessons' days (2025/2026) and the new year's (2026/2027, from 1 September 2026). */
const lastYear = roll.old.lessonWindow();
const thisYear = roll.next.lessonWindow();
const REFUSED = new RegExp(`window ${lastYear.from}…${lastYear.to} starts before 2026-09-01, the first day of the school year 2026/2027`);

describe('ЭПОС (no pastYearJournal): a one-off window into last year after the new year\'s roster', () => {
  let store: CanonicalStore;
  let emu: EposEmulator | undefined;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await run(roll.old, 'roster-sync', { window: lastYear });
    await run(roll.old, 'journal-sync', { window: lastYear });
    await run(roll.next, 'roster-sync');
  }, 240_000);
  afterAll(async () => {
    await store?.close();
  });
  // The new year's world is numbered with last year's beside it (as on 1 September): the same ids on every run.
  const oldWorld = new EposWorld(roll.old.records);
  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'ep', instance: eposInstance,
      start: async () => (emu = await startEposEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}) })),
    }, kind, data);
  const marks = async () => {
    const out: string[] = [];
    for await (const m of store.iterate('mark')) out.push(`${m.id}|${m.status}|${m.contentHash}`);
    return out.sort();
  };

  it('is refused before any request, naming the window and the year\'s first day; last year\'s marks stay as they were', async () => {
    const before = await marks();
    expect(before.length).toBeGreaterThan(0);
    const refused = run(roll.old, 'journal-sync', { window: lastYear });
    await expect(refused).rejects.toThrow(REFUSED);
    await expect(refused).rejects.toThrow(/reads its journal through the current year's groups only/);
    expect(emu!.stats().total, 'requests to the platform').toBe(0);
    expect(await marks()).toEqual(before);
  }, 120_000);

  it('a window inside the current year is read as before', async () => {
    const s = await run(roll.next, 'journal-sync', { window: { from: '2026-09-01', to: thisYear.to } });
    expect(s.created).toBeGreaterThan(0);
    expect(s.deletesRefused).toBeUndefined();
    expect(emu!.stats().total).toBeGreaterThan(0);
  }, 120_000);
});

describe('the refusal as an operator meets it: the CLI and a queued job', () => {
  let dir: string;
  let shared: SharedStore;
  let emu: EposEmulator;
  let config: string;
  const prefix = `jg-test-${randomUUID()}`;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jg-past-year-'));
    shared = sharedStore(inject('postgresUrl'), dir, 'jg_past_year');
    emu = await startEposEmulator({ dataset: roll.next });
    const inst = eposInstance('ep', emu);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({ instances: [inst], names: ['ep'], store: shared.yaml, schools: [{ id: 's1', sor: 'ep', platforms: [{ instance: 'ep', schoolId: inst.schoolId }] }] }));
    await cli('roster-sync', {});
    expect(process.exitCode).toBe(0);
  }, 240_000);
  afterAll(async () => {
    process.exitCode = 0;
    // The worker installed the shared (Redis) rate limits and leaves them on close: the next runs here use the local ones.
    setRateLimiterFactory(inProcessRateLimiterFactory);
    resetInstanceGates();
    await emu?.close();
    await shared?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  /** `journal-gateway sync roster|journal --config … --school s1 [--from --to]`, as main.ts runs it; stderr kept. */
  async function cli(kind: 'roster-sync' | 'journal-sync', window: { from?: string; to?: string }): Promise<string> {
    const write = process.stderr.write.bind(process.stderr);
    let stderr = '';
    process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
    const out = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await runCommand(() => import('../../src/cli/commands/sync.js'), kind, { config, school: 's1', prefix, ...window });
    } finally {
      process.stderr.write = write;
      process.stdout.write = out;
    }
    return stderr;
  }

  it('the CLI exits 64 (usage) and says what to ask for instead', async () => {
    const before = emu.stats().total;
    const stderr = await cli('journal-sync', lastYear);
    expect(process.exitCode).toBe(64);
    process.exitCode = 0;
    expect(stderr).toMatch(REFUSED);
    expect(stderr).toMatch(/ask for a window from 2026-09-01/);
    expect(emu.stats().total - before).toBe(0);
  }, 120_000);

  it('a queued journal-sync job with that window fails once, not retried, and names the way to read one platform alone', async () => {
    const inst = eposInstance('ep', emu);
    // A push target the store has never read: it could read the window, the system of record cannot.
    const target = eposInstance('ep2', emu);
    const cfg = parseConfigText(gatewayYaml({ instances: [inst, target], names: ['ep', 'ep2'], store: shared.yaml, schools: [{ id: 's1', sor: 'ep', targets: ['ep2'], platforms: [{ instance: 'ep', schoolId: inst.schoolId }, { instance: 'ep2', schoolId: target.schoolId }] }] }), 't.yaml');
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: inject('redisUrl'), prefix });
    const runner = await openJobRunner(inject('redisUrl'), prefix);
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const before = emu.stats().total;
    try {
      // Three attempts allowed (run-once.ts); an error a retry could cure would be tried again after 1 s and 2 s.
      const failed = runner.run('journal-sync', { schoolId: 's1', window: lastYear }, 60_000);
      await expect(failed).rejects.toThrow(REFUSED);
      // Every platform of the school is judged before any is read, so one refusing blocks the rest: the way round said.
      await expect(failed).rejects.toThrow(/this run reads ep, ep2; one platform is read alone with --instance/);
      const [job] = await queues.get('journal-sync')!.getJobs(['failed'], 0, 0);
      expect(job?.attemptsMade).toBe(1);
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await queues.get('journal-sync')!.getJobCounts('delayed', 'waiting', 'active', 'failed')).toEqual({ delayed: 0, waiting: 0, active: 0, failed: 1 });
      expect(emu.stats().total - before).toBe(0);
    } finally {
      await runner.close();
      await closeQueues(queues);
      conn.disconnect();
      await worker.close();
    }
  }, 120_000);
});

describe('Дневник.ру (pastYearJournal: by-linked-ids): last year\'s journal read by the groups linked last year', () => {
  let store: CanonicalStore;
  let emu: DnevnikEmulator | undefined;
  // Last year's world as Дневник.ру numbered it; the new year's emulator answers its groups by id (`previousYear`).
  const oldWorld = new DnevnikWorld(roll.old.records);
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await run(roll.old, 'roster-sync', { window: lastYear });
    await run(roll.old, 'journal-sync', { window: lastYear });
    await run(roll.next, 'roster-sync');
  }, 240_000);
  afterAll(async () => {
    await store?.close();
  });
  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}, refusedGroups?: ReadonlyMap<string, 403 | 404>): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'dn', instance: dnevnikInstance,
      start: async () => (emu = await startDnevnikEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}), ...(refusedGroups ? { refusedGroups } : {}) })),
    }, kind, data);
  const storedBy = async (entity: 'mark' | 'attendance_record', sourceId: string) => {
    const id = (await store.resolve('dnevnik_ru', 'dn', entity, [sourceId])).get(sourceId);
    expect(id, `${entity} ${sourceId} linked`).toBeDefined();
    return (await store.get(id!))! as unknown as { status: string; version: number; contentHash: string };
  };

  it('stores a mark and an absence corrected on the platform since, and deletes nothing it no longer finds', async () => {
    // The groups of the two years differ: last year's answer by id only, never in the school's list.
    const newWorld = new DnevnikWorld(roll.next.records);
    expect([...oldWorld.groups.keys()].some((g) => newWorld.groups.has(g))).toBe(false);
    const [changed, removed] = [...oldWorld.marks.values()];
    const entry = [...oldWorld.logEntries.values()][0];
    expect(entry, 'an absence last year').toBeDefined();
    const markBefore = await storedBy('mark', String(changed.id));
    const removedBefore = await storedBy('mark', String(removed.id));
    const entryId = `${entry.lesson}:${entry.person}`;
    const entryBefore = await storedBy('attendance_record', entryId);
    // Corrected on the platform after last year's read: one mark's value, one absence's status; another mark deleted.
    changed.value = changed.textValue = changed.value === '5' ? '4' : '5';
    entry.status = entry.status === 'Ill' ? 'Absent' : 'Ill';
    oldWorld.marks.delete(removed.id);

    const s = await run(roll.next, 'journal-sync', { window: lastYear });
    expect(s.deleted).toBe(0);
    expect(s.deletesRefused).toBeUndefined();
    const routes = emu!.stats().byRoute;
    expect(routes['GET schools/{id}/edu-groups'] ?? 0, 'the school\'s list of the current year is not read').toBe(0);
    expect(Object.entries(routes).filter(([r]) => r.includes('marks/{from}')).reduce((n, [, k]) => n + k, 0)).toBeGreaterThan(0);
    const markAfter = await storedBy('mark', String(changed.id));
    expect(markAfter.version).toBeGreaterThan(markBefore.version);
    expect((await storedBy('attendance_record', entryId)).version).toBeGreaterThan(entryBefore.version);
    // Deleted on the platform, but a read of some of last year's groups proves no deletion: kept as it was.
    expect(await storedBy('mark', String(removed.id))).toEqual(removedBefore);
  }, 240_000);

  it('a window across the year\'s first day is refused with the split to ask for, before any request', async () => {
    const across = { from: lastYear.from, to: '2026-09-05' };
    await expect(run(roll.next, 'journal-sync', { window: across })).rejects.toThrow(`ask for ${lastYear.from}…2026-08-31 and 2026-09-01…2026-09-05 separately`);
    expect(emu!.stats().total).toBe(0);
  }, 120_000);

  it('a last-year group the platform refuses fails the read, naming the group and the status; nothing of it is stored', async () => {
    // Before, a group refused at `edu-groups/{id}` was left out quietly (the finals-only read's policy, unread-groups.ts):
    // the read succeeded without that group's days, quarantined as "its final marks are not in this read".
    const classes = [...oldWorld.groups.values()].filter((g) => g.type === 'Group');
    expect(classes.length, 'two classes last year').toBeGreaterThan(1);
    const refused = classes[0];
    // A mark of another class corrected on the platform since: a failed read stores it not.
    const other = [...oldWorld.marks.values()].find((m) => {
      const g = oldWorld.lessons.get(m.lesson)?.group;
      return g !== undefined && g !== refused.id && !oldWorld.groups.get(g)?.parentIds.includes(refused.id);
    })!;
    expect(other, 'a mark of another class').toBeDefined();
    const before = await storedBy('mark', String(other.id));
    other.value = other.textValue = other.value === '5' ? '4' : '5';
    for (const status of [403, 404] as const) {
      const read = run(roll.next, 'journal-sync', { window: lastYear }, new Map([[String(refused.id), status]]));
      await expect(read).rejects.toThrow(`edu-group ${refused.id} refused at edu-groups/{id} (${status}`);
      expect(await storedBy('mark', String(other.id))).toEqual(before);
    }
  }, 240_000);

  it('a window inside the current year is read as before: through the school\'s list of groups', async () => {
    const s = await run(roll.next, 'journal-sync', { window: { from: '2026-09-01', to: thisYear.to } });
    expect(s.created).toBeGreaterThan(0);
    expect(emu!.stats().byRoute['GET schools/{id}/edu-groups']).toBeGreaterThan(0);
    expect(emu!.stats().byRoute['GET edu-groups/{id}'] ?? 0).toBe(0);
  }, 120_000);
});

describe('Дневник.ру: last year\'s journal where the platform kept class and subject ids into the new year', () => {
  // 1А…10А's groups (and, with the subjects' ids, their journal pages `{group}:{subject}`) keep their ids as 2А…11А;
  // 11А's, whose pupils left, does not. The emulator answers a kept id as this year's group (server.ts `previous`).
  const keptRoll = buildRollover({ pupils: 12, weeks: 2, sameClassIds: true, sameSubjectIds: true });
  const oldWindow = keptRoll.old.lessonWindow();
  const oldWorld = new DnevnikWorld(keptRoll.old.records);
  const newWorld = new DnevnikWorld(keptRoll.next.records);
  const keptGroups = [...oldWorld.groups.keys()].filter((g) => newWorld.groups.has(g)).map(String);
  const readGroups = [...oldWorld.groups.keys()].filter((g) => !newWorld.groups.has(g)).map(String);
  let store: CanonicalStore;
  let emu: DnevnikEmulator | undefined;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await run(keptRoll.old, 'roster-sync', { window: oldWindow });
    await run(keptRoll.old, 'journal-sync', { window: oldWindow });
    await run(keptRoll.next, 'roster-sync');
  }, 240_000);
  afterAll(async () => {
    await store?.close();
  });
  const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
    runOnSor(store, {
      name: 'dn', instance: dnevnikInstance,
      start: async () => (emu = await startDnevnikEmulator({ dataset, ...(dataset === keptRoll.next ? { previousYear: oldWorld } : {}) })),
    }, kind, data);

  it('reads the groups whose ids are still last year\'s, and says each kept one as not read, by id and why', async () => {
    expect(keptGroups.length, 'groups kept into the new year').toBeGreaterThan(0);
    expect(readGroups.length, 'a group of last year only').toBeGreaterThan(0);
    // A mark of a group still last year's, corrected on the platform since: the read of the rest is stored.
    const mark = [...oldWorld.marks.values()].find((m) => readGroups.includes(String(oldWorld.lessons.get(m.lesson)?.group)))!;
    expect(mark, 'a mark of 11А last year').toBeDefined();
    const markId = (await store.resolve('dnevnik_ru', 'dn', 'mark', [String(mark.id)])).get(String(mark.id))!;
    const before = (await store.get(markId))!.version;
    mark.value = mark.textValue = mark.value === '5' ? '4' : '5';

    const s = await run(keptRoll.next, 'journal-sync', { window: oldWindow });
    // Before, the kept groups were not asked and not said: the summary read "quarantined 0", as if the year were whole.
    const notRead = Object.keys(s.quarantineReasons).filter((r) => r.includes('not read'));
    expect(notRead.sort()).toEqual(keptGroups.map((g) => `edu-group ${g} not read (id kept into a later school year)`).sort());
    expect(s.quarantined).toBeGreaterThanOrEqual(keptGroups.length);
    expect(emu!.stats().byRoute['GET edu-groups/{id}'], 'only the groups still last year\'s are asked').toBe(readGroups.length);
    expect(s.deleted).toBe(0);
    expect((await store.get(markId))!.version).toBeGreaterThan(before);
  }, 240_000);
});
