// A queued one-off read of last year's journal on Дневник.ру (`pastYearJournal: 'by-linked-ids'`) whose group the
// platform refuses (archived, the account's access withdrawn: a plain 403 or 404). The read fails naming the group
// (unread-groups.ts, failOnRefusal); before, the job was then retried with backoff — every attempt refused alike —
// and failed only after all of them. Now it fails once (GroupRefusedError → UnrecoverableError in the worker), while an
// outage (5xx through the HTTP layer's own retries) is still retried and read on a later attempt.
import { randomUUID } from 'node:crypto';
import { QueueEvents, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { inProcessRateLimiterFactory, resetInstanceGates, setRateLimiterFactory } from '../../src/connectors/http/rate-limiter.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { DnevnikWorld, startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection, workerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues, queueName } from '../../src/jobs/queues.js';
import { startWorker, type RunningWorker } from '../../src/jobs/worker.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';
import { waitFor } from '../support/wait-for.js';

const roll = buildRollover({ pupils: 12, weeks: 2 });
const lastYear = roll.old.lessonWindow();
// Last year's world as Дневник.ру numbered it; the new year's emulator answers its groups by id (`previousYear`).
const oldWorld = new DnevnikWorld(roll.old.records);
/** Attempts a queued job is given here: more than one, so a retry would show. */
const ATTEMPTS = 3;

describe('a queued read of last year\'s journal on Дневник.ру', () => {
  let store: CanonicalStore;
  let emu: DnevnikEmulator;
  let worker: RunningWorker;
  let events: QueueEvents;
  let eventsConnection: ReturnType<typeof workerConnection>;
  const conn = producerConnection(inject('redisUrl'));
  const prefix = `jg-test-${randomUUID()}`;
  const queues = openQueues(conn, prefix);
  // The groups the running emulator refuses by id; filled by each test.
  const refusedGroups = new Map<string, 403 | 404>();

  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    // Last year read, then the new year's roster: last year's window is then read by the ids linked last year.
    const run = (dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> =>
      runOnSor(store, { name: 'dn', instance: dnevnikInstance, start: () => startDnevnikEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}) }) }, kind, data);
    await run(roll.old, 'roster-sync', { window: lastYear });
    await run(roll.old, 'journal-sync', { window: lastYear });
    await run(roll.next, 'roster-sync');
    emu = await startDnevnikEmulator({ dataset: roll.next, previousYear: oldWorld, refusedGroups });
    const inst = dnevnikInstance('dn', emu);
    const cfg = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn'], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }), 't.yaml');
    worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: inject('redisUrl'), prefix, store });
    eventsConnection = workerConnection(inject('redisUrl'));
    events = new QueueEvents(queueName('journal-sync'), { connection: eventsConnection, prefix });
    events.on('error', () => {});
    await events.waitUntilReady();
  }, 240_000);
  afterAll(async () => {
    await worker?.close();
    await events?.close();
    eventsConnection?.disconnect();
    for (const q of queues.values()) await q.obliterate({ force: true });
    await closeQueues(queues);
    conn.disconnect();
    // The worker installed the shared (Redis) rate limits and leaves them on close: later runs here use the local ones.
    setRateLimiterFactory(inProcessRateLimiterFactory);
    resetInstanceGates();
    await emu?.close();
    await store?.close();
  });

  /** A one-off journal-sync job of last year's window, with attempts to spare and a short backoff. */
  const enqueue = (backoffMs: number): Promise<Job> =>
    queues.get('journal-sync')!.add('journal-sync', { schoolId: 's1', window: lastYear }, { jobId: randomUUID(), attempts: ATTEMPTS, backoff: { type: 'fixed', delay: backoffMs } });

  it('fails once when the platform refuses a group of that year: not retried, the reason naming the group by id', async () => {
    const refused = [...oldWorld.groups.values()].find((g) => g.type === 'Group')!;
    expect(refused, 'a class last year').toBeDefined();
    refusedGroups.set(String(refused.id), 403);
    try {
      const job = await enqueue(500);
      await expect(job.waitUntilFinished(events, 120_000)).rejects.toThrow(`edu-group ${refused.id} refused at edu-groups/{id} (403`);
      const asked = emu.stats().total;
      // Three backoffs' worth: a retried job would have been taken again by now.
      await new Promise((r) => setTimeout(r, 2_000));
      const failed = (await queues.get('journal-sync')!.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toContain(`edu-group ${refused.id} refused`);
      expect(await failed.getState()).toBe('failed');
      expect(emu.stats().total - asked, 'requests after the failure').toBe(0);
    } finally {
      refusedGroups.clear();
    }
  }, 180_000);

  it('an outage is still retried: a job whose first attempt meets only 5xx is read on the next', async () => {
    // Every answer a 5xx, through the HTTP layer's own retries: the first attempt fails as transient.
    emu.setFaults({ errorRate: 1 });
    try {
      const job = await enqueue(3_000);
      // The platform is back while the job waits for its second attempt.
      await waitFor('the first attempt failed and the job waits to be retried', async () => {
        const now = (await queues.get('journal-sync')!.getJob(job.id!))!;
        const state = await now.getState();
        if (state === 'failed') throw new Error(`failed without a retry after ${now.attemptsMade} attempt(s): ${now.failedReason}`);
        // At least one attempt failed and another is waiting: on a loaded machine the poll may first see the second.
        return now.attemptsMade >= 1 && state === 'delayed';
      }, 60_000, 50);
      emu.setFaults(undefined);
      const [summary] = (await job.waitUntilFinished(events, 120_000)) as RunSummary[];
      expect(summary).toMatchObject({ kind: 'journal-sync', instance: 'dn', school: 's1' });
      const done = (await queues.get('journal-sync')!.getJob(job.id!))!;
      // Retried, not failed at once: the attempt after the platform came back read it (the second, or on a loaded
      // machine whose poll missed the second's wait, the third).
      expect(done.attemptsMade).toBeGreaterThanOrEqual(2);
      expect(await done.getState()).toBe('completed');
    } finally {
      emu.setFaults(undefined);
    }
  }, 180_000);
});
