// The sync engine on BullMQ against real Redis and a platform emulator (issue 7).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues, queueName } from '../../src/jobs/queues.js';
import { listSchedules, reconcileSchedules } from '../../src/jobs/schedules.js';
import { startWorker } from '../../src/jobs/worker.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

const redisUrl = () => inject('redisUrl');
const WINDOW = { from: '2025-09-01', to: '2025-09-07' };
const logger = createLogger({ level: 'silent', pretty: false });


describe('schedules and the worker (BullMQ 6, real Redis)', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 3, pupils: 24, weeks: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('a schedule from the config runs roster sync in the school\'s time zone; a config change removes it', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const inst = dnevnikInstance('dn-a', emu);
    const yaml = (schedules?: string) => gatewayYaml({
      instances: [inst], names: ['dn-a'],
      schools: [{ id: 'school-1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }], schedules }],
    });
    const cfg = parseConfigText(yaml('{ rosterSync: "*/2 * * * * *" }'), 'test.yaml');
    const conn = producerConnection(redisUrl());
    const queues = openQueues(conn, prefix);
    await reconcileSchedules(cfg, queues);
    expect(await listSchedules(queues)).toEqual([
      expect.objectContaining({ id: 'roster-sync__school-1', kind: 'roster-sync', schoolId: 'school-1', pattern: '*/2 * * * * *', tz: 'Europe/Samara' }),
    ]);
    resetInstanceGates();
    const worker = await startWorker(cfg, logger, { redisUrl: redisUrl(), prefix });
    try {
      const done = await waitFor('a completed scheduled roster sync', async () => {
        const jobs = await queues.get('roster-sync')!.getJobs(['completed'], 0, 5);
        return jobs.length > 0 ? jobs[0] : undefined;
      });
      const [summary] = done.returnvalue as { created: number; kind: string }[];
      expect(summary.kind).toBe('roster-sync');
      expect(summary.created).toBeGreaterThan(24);
      // Job data carries ids only (152-ФЗ): no names, logins or passwords.
      expect(Object.keys(done.data)).toEqual(['schoolId']);
      // `schedules` shows each scheduler's last run, so a school whose job keeps failing is seen there too.
      const [listed] = await listSchedules(queues, { lastRuns: true });
      expect(listed.last).toMatchObject({ state: 'completed', attempts: 1 });
      expect(listed.last!.finishedOn).toBeGreaterThanOrEqual(done.finishedOn!);
    } finally {
      await worker.close();
    }
    await reconcileSchedules(parseConfigText(yaml(), 'test.yaml'), queues);
    expect(await listSchedules(queues)).toEqual([]);
    await closeQueues(queues);
    conn.disconnect();
  });

  it('two worker processes together never exceed the platform instance\'s requests per second', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const rps = 20;
    // A fresh emulator: its peak-rate counter must see only this test's traffic.
    const emu = await startDnevnikEmulator({ seed: 4, pupils: 24, weeks: 1 });
    // The emulator counts arrivals; the limiters' default margin (slots held until each answer is in) must do.
    const inst = dnevnikInstance('dn-a', emu, rps);
    const yaml = gatewayYaml({
      instances: [inst], names: ['dn-a'],
      schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }] }],
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'jg-workers-'));
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, yaml);
    const before = emu.stats().total;
    const conn = producerConnection(redisUrl());
    const queue = new Queue(queueName('roster-sync'), { connection: conn, prefix });
    // Each worker process here keeps its own embedded store; what they share is Redis, and with it the rate budget.
    const jobs = await Promise.all([1, 2, 3, 4].map(() => queue.add('roster-sync', { schoolId: 's1', window: WINDOW })));
    const procs: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--prefix', prefix, '--no-schedules'], {
      env: { ...process.env, REDIS_URL: redisUrl(), LOG_LEVEL: 'warn', LOG_PRETTY: '0' }, stdio: ['ignore', 'ignore', 'pipe'],
    }));
    // Drain stderr (a full pipe would block the child) and keep it for the failure message.
    let stderr = '';
    for (const p of procs) p.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
    try {
      await waitFor('four roster syncs done by two workers', async () => {
        const states = await Promise.all(jobs.map((j) => queue.getJobState(j.id!)));
        if (states.includes('failed')) throw new Error(`a job failed: ${(await queue.getJob(jobs[states.indexOf('failed')].id!))?.failedReason}`);
        return states.every((s) => s === 'completed');
      }, 200_000).catch((e: Error) => { throw new Error(`${e.message}; worker stderr: ${stderr}`); });
      const stats = emu.stats();
      expect(stats.total - before).toBeGreaterThan(4 * 50);
      // The emulator counts arrivals in a sliding 1-second window.
      expect(stats.peakRps).toBeLessThanOrEqual(rps);
      const finishedBy = new Set((await Promise.all(jobs.map((j) => queue.getJob(j.id!)))).map((j) => j?.processedBy ?? j?.id));
      expect(finishedBy.size).toBeGreaterThan(0);
    } finally {
      for (const p of procs) p.kill('SIGKILL');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
      await queue.close();
      conn.disconnect();
      await emu.close();
    }
  }, 260_000);
});
