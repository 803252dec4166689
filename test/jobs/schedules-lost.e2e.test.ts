// Redis loses its data while a worker is idle (a restart without persistence, a FLUSHALL). The job schedulers were
// set up only at the worker's start: it stayed up, /readyz said 200 and no scheduled job ran again. The worker now
// sets them up again from its configuration, and /readyz is 503 while they are missing and cannot be restored.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { queueName } from '../../src/jobs/queues.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { freePort } from '../support/free-port.js';
import { privateRedisAvailable, startPrivateRedisServer } from '../support/private-redis.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = `staff-${randomUUID()}`;

describe('the worker keeps the job schedulers when Redis loses its data', () => {
  it.skipIf(!privateRedisAvailable())('sets them up again after a restart without persistence and a FLUSHALL; not ready while it cannot', async () => {
    const redis = await startPrivateRedisServer();
    const emu = await startDnevnikEmulator({ seed: 13, pupils: 8, weeks: 1 });
    const inst = dnevnikInstance('dn-k', emu);
    const yaml = gatewayYaml({
      instances: [inst], names: ['dn-k'],
      schools: [{ id: 's-keep', sor: 'dn-k', platforms: [{ instance: 'dn-k', schoolId: inst.schoolId }], schedules: '{ rosterSync: "*/2 * * * * *" }' }],
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-keep-')), 'gateway.yaml');
    writeFileSync(file, `${yaml}web: { staffTokenEnv: JG_STAFF_TOKEN }\n`);
    const prefix = `jg-test-${randomUUID()}`;
    const port = await freePort();
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--prefix', prefix, '--metrics-port', String(port)], {
      env: { ...process.env, REDIS_URL: redis.url, JG_STAFF_TOKEN: TOKEN, LOG_PRETTY: '0', LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => { stderr += String(d); });
    const conn = producerConnection(redis.url);
    const queue = new Queue(queueName('roster-sync'), { connection: conn, prefix });
    queue.on('error', () => {}); // expected while Redis restarts
    const admin = redis.admin();
    const readyz = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> } };
    };
    const aCompletedRun = (what: string) => waitFor(what, async () => (await queue.getJobs(['completed'], 0, 0).catch(() => [])).length > 0, 60_000, 250);
    try {
      // The process is up (a loaded 2-core machine may take a while to start it), then its schedule runs.
      expect((await waitFor('/readyz', () => readyz().catch(() => undefined), 120_000)).status).toBe(200);
      await aCompletedRun('a scheduled run before the loss');

      // 1. Redis restarts empty: noticed on reconnect.
      await redis.restart();
      await aCompletedRun('a scheduled run after Redis restarted empty');
      expect(stderr.match(/job schedulers were gone from Redis/g)).toHaveLength(1);
      expect((await readyz()).body.checks.schedules).toMatchObject({ ok: true });

      // 2. A FLUSHALL, and Redis then refuses writes (out of memory): the schedulers cannot be restored.
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await admin.config('SET', 'maxmemory', '1');
      await admin.flushall();
      const down = await waitFor('/readyz 503', async () => { const r = await readyz(); return r.status === 503 ? r : undefined; }, 60_000);
      expect(down.body.checks.redis).toMatchObject({ ok: true });
      expect(down.body.checks.schedules).toMatchObject({ ok: false });
      expect(down.body.checks.schedules.error).toMatch(/OOM/);

      // Writes allowed again: restored, ready, and the schedule runs.
      await admin.config('SET', 'maxmemory', '0');
      // Generous: on a loaded 2-core machine one of the other checks (store, platform) can miss its 2 s now and then.
      let last = '';
      await waitFor('/readyz 200', async () => {
        const r = await readyz();
        last = JSON.stringify(r.body.checks);
        return r.status === 200;
      }, 90_000).catch((e: Error) => { throw new Error(`${e.message}; last /readyz checks: ${last}`); });
      await aCompletedRun('a scheduled run after the FLUSHALL');
      expect(proc.exitCode).toBeNull();
    } catch (e) {
      throw new Error(`${(e as Error).message}; worker stderr: ${stderr.slice(-3000)}`);
    } finally {
      proc.kill('SIGKILL');
      if (proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));
      await queue.close();
      conn.disconnect();
      await redis.stop();
      await emu.close();
    }
  }, 360_000);
});
