// Graceful shutdown (issue 7): a worker process told SIGTERM finishes (here: holds no job) and exits by
// itself with code 0 — an open Redis connection must not keep it alive for the supervisor to kill.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { workerConnection } from '../../src/jobs/connection.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

describe('worker shutdown', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 7, pupils: 12, weeks: 1 });
  });
  afterAll(() => emu?.close());

  it('SIGTERM: the worker process exits by itself with code 0', async () => {
    const inst = dnevnikInstance('dn', emu);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-shutdown-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({ instances: [inst], names: [], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }));
    const prefix = `jg-test-${randomUUID()}`;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--prefix', prefix, '--no-schedules'], {
      env: { ...process.env, REDIS_URL: inject('redisUrl'), LOG_LEVEL: 'info', LOG_PRETTY: '0' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    // Started = its queues' workers have registered in Redis.
    const redis = workerConnection(inject('redisUrl'));
    try {
      const until = Date.now() + 60_000;
      while ((await redis.keys(`${prefix}:*`)).length === 0) {
        if (Date.now() > until || proc.exitCode !== null) throw new Error(`worker did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      redis.disconnect();
    }
    proc.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    if (code === 'hung') proc.kill('SIGKILL');
    expect(code).toBe(0);
  }, 120_000);
});
