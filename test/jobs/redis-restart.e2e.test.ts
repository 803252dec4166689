// Redis restarted mid-run (issue 7): the worker reconnects and the job completes. The private server
// keeps an append-only file, as a production Redis for BullMQ must (engineering.md §2.10).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { pingRedis, redisServerBinary } from '../../src/infra/redis-service.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { queueName } from '../../src/jobs/queues.js';
import { startWorker } from '../../src/jobs/worker.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

function startRedis(dir: string, socket: string): Promise<ChildProcess> {
  const p = spawn(redisServerBinary()!, ['--port', '0', '--unixsocket', socket, '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
  return (async () => {
    for (let i = 0; i < 100 && !(existsSync(socket) && (await pingRedis({ path: socket }))); i++) await new Promise((r) => setTimeout(r, 50));
    return p;
  })();
}

describe('Redis restarted mid-run', () => {
  it.skipIf(!redisServerBinary())('the worker reconnects and the roster sync completes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jg-redis-restart-'));
    const socket = path.join(dir, 'redis.sock');
    const url = `redis+unix://${socket}`;
    let redis = await startRedis(dir, socket);
    // Slow requests so the job is still running when Redis goes away.
    const emu = await startDnevnikEmulator({ seed: 5, pupils: 24, weeks: 1, faults: { latencyMs: 60 } });
    const inst = dnevnikInstance('dn-a', emu);
    const cfg = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-a'], schools: [{ id: 's1', sor: 'dn-a', platforms: [{ instance: 'dn-a', schoolId: inst.schoolId }] }] }), 't.yaml');
    const prefix = `jg-test-${randomUUID()}`;
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: url, prefix, lockDurationMs: 5_000 });
    const conn = producerConnection(url);
    const queue = new Queue(queueName('roster-sync'), { connection: conn, prefix });
    try {
      const job = await queue.add('roster-sync', { schoolId: 's1', window: { from: '2025-09-01', to: '2025-09-07' } });
      for (let i = 0; i < 100 && (await queue.getJobState(job.id!)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await queue.getJobState(job.id!)).toBe('active');
      await new Promise((r) => setTimeout(r, 300));
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      await new Promise((r) => setTimeout(r, 1_000));
      redis = await startRedis(dir, socket);
      let state = '';
      for (let i = 0; i < 300 && state !== 'completed' && state !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        state = await queue.getJobState(job.id!).catch(() => 'unreachable');
      }
      expect(state).toBe('completed');
      const done = await queue.getJob(job.id!);
      expect((done!.returnvalue as { kind: string }[])[0].kind).toBe('roster-sync');
    } finally {
      await worker.close();
      await queue.close();
      conn.disconnect();
      redis.kill('SIGTERM');
      await emu.close();
    }
  }, 120_000);
});
