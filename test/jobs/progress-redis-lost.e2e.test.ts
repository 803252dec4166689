// Redis emptied (FLUSHALL, or a restart without persistence) while a job runs: the job's progress updates fail
// with BullMQ's `Missing key for job …`. They used to be unhandled rejections that killed the worker process and
// every job in it; now each is caught and logged, and the worker goes on taking jobs.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { DEFAULT_JOB_OPTIONS } from '../../src/jobs/job-types.js';
import { queueName } from '../../src/jobs/queues.js';
import { startWorker } from '../../src/jobs/worker.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { privateRedisAvailable, startPrivateRedisServer } from '../support/private-redis.js';
import { waitFor } from '../support/wait-for.js';

const WINDOW = { from: '2025-09-01', to: '2025-09-07' };

describe('Redis emptied while a job runs', () => {
  it.skipIf(!privateRedisAvailable())('a failed progress update is logged, not an unhandled rejection; the worker takes the next job', async () => {
    const redis = await startPrivateRedisServer();
    // Slow answers: the roster sync is still reading pages (and reporting progress) when Redis is emptied.
    const emu = await startDnevnikEmulator({ seed: 6, pupils: 24, weeks: 1, faults: { latencyMs: 60 } });
    const inst = dnevnikInstance('dn-a', emu);
    const cfg = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-a'], schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }] }] }), 't.yaml');
    const prefix = `jg-test-${randomUUID()}`;
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => { rejections.push(reason); };
    process.on('unhandledRejection', onRejection);
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'debug', pretty: false, destination: sink }), { redisUrl: redis.url, prefix, lockDurationMs: 5_000 });
    const conn = producerConnection(redis.url);
    const queue = new Queue(queueName('roster-sync'), { connection: conn, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    const admin = redis.admin();
    try {
      const job = await queue.add('roster-sync', { schoolId: 's1', window: WINDOW });
      await waitFor('the job reporting progress', async () => (await queue.getJob(job.id!))?.progress, 30_000, 20);
      await admin.flushall();
      await waitFor('a progress update meeting the emptied Redis', () => rejections.length > 0 || lines.some((l) => l.msg?.toString().startsWith('job progress not saved')), 60_000);
      expect(rejections.map(String)).toEqual([]);
      const warned = lines.filter((l) => l.level === 40 && l.msg === 'job progress not saved (Redis lost the job?): the job goes on');
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({ jobId: job.id, stage: 'pages read' });
      expect(String(warned[0].err)).toContain('Missing key');
      // The process is still a worker: a job added after the loss runs to the end.
      const next = await queue.add('roster-sync', { schoolId: 's1', window: WINDOW });
      await waitFor('the next job completed', async () => (await queue.getJobState(next.id!)) === 'completed', 120_000);
      expect(rejections.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await worker.close();
      await queue.close();
      conn.disconnect();
      await redis.stop();
      await emu.close();
    }
  }, 240_000);
});
