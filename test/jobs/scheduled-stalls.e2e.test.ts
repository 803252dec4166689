// A scheduled job that takes its worker down again and again (out of memory on a very large school, a native crash,
// a shutdown deadline at each deploy) is failed after MAX_STALLS hand-backs, as docs/sync.md "Shutdown" promises.
// BullMQ fails a job added by hand itself, but never one its job scheduler made (moveStalledJobsToWait:
// `not isRepeatableJob`): before, such a job was run again without end — a crash loop on every worker, starving the
// other schools, never shown as failed (found by review). Real Redis; a bare BullMQ worker plays the one that dies.
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { describe, expect, inject, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/schema.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection, workerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues, queueName } from '../../src/jobs/queues.js';
import { reconcileSchedules } from '../../src/jobs/schedules.js';
import { MAX_STALLS, startWorker } from '../../src/jobs/worker.js';

const logger = createLogger({ level: 'silent', pretty: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a scheduled job whose worker keeps stopping mid-run', () => {
  it(`is failed for good after ${MAX_STALLS} hand-backs instead of running again`, async () => {
    const redisUrl = inject('redisUrl');
    const prefix = `jg-test-${randomUUID()}`;
    const conn = producerConnection(redisUrl);
    const queues = openQueues(conn, prefix);
    const queue = queues.get('roster-sync')!;
    const cfg = { schools: [{ id: 's-big', timeZone: 'Europe/Samara', schedules: { rosterSync: '0 0 3 * * *' } }] } as unknown as GatewayConfig;
    const [c1, c2] = [workerConnection(redisUrl), workerConnection(redisUrl)];
    // A worker that takes the job and dies with it (its lock is never renewed), and another that finds stalled jobs.
    const dying = new Worker(queueName('roster-sync'), null, { connection: c1, prefix, lockDuration: 300, stalledInterval: 100, maxStalledCount: MAX_STALLS, autorun: false });
    const checker = new Worker(queueName('roster-sync'), null, { connection: c2, prefix, lockDuration: 300, stalledInterval: 100, maxStalledCount: MAX_STALLS, autorun: false });
    const handBack = () => (checker as unknown as { moveStalledJobsToWait(): Promise<unknown> }).moveStalledJobsToWait();
    let gateway: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      await reconcileSchedules(cfg, queues);
      const [tonight] = await queue.getDelayed();
      await tonight!.promote(); // 03:00 has come
      // The first run and MAX_STALLS runs again, each ending with the worker gone.
      for (let i = 0; i <= MAX_STALLS; i++) {
        const job = await dying.getNextJob(`crash-${i}`, { block: false });
        expect(job?.id, `run ${i + 1}`).toBe(tonight!.id);
        expect(job!.deferredFailure, 'BullMQ does not fail a scheduled job for stalling').toBeUndefined();
        await sleep(150);
        await handBack(); // marks it
        await sleep(450); // the lock lapses
        await handBack(); // hands it back
      }
      // The gateway's worker takes it once more and fails it at once: not retried, not run.
      gateway = await startWorker(cfg, logger, { redisUrl, prefix, store: {} as never });
      let state = '';
      for (let i = 0; i < 100 && state !== 'failed'; i++) {
        await sleep(100);
        state = await queue.getJobState(tonight!.id!);
      }
      expect(state).toBe('failed');
      const failed = await queue.getJob(tonight!.id!);
      expect(failed!.failedReason).toMatch(new RegExp(`its worker stopped while running it ${MAX_STALLS + 1} times`));
      // The schedule itself stays: tomorrow's job is made as before.
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toHaveLength(1);
    } finally {
      await gateway?.close();
      await dying.close().catch(() => {});
      await checker.close().catch(() => {});
      c1.disconnect();
      c2.disconnect();
      for (const q of queues.values()) await q.obliterate({ force: true }).catch(() => {});
      await closeQueues(queues);
      const keys = await conn.keys(`${prefix}:*`);
      if (keys.length) await conn.del(...keys);
      conn.disconnect();
    }
  }, 60_000);
});
