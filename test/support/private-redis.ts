// A redis-server of the test's own, on a Unix socket in a temporary folder, for tests that lose Redis' data
// (FLUSHALL, a restart without persistence): the machine's shared Redis must never be flushed or stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { pingRedis, redisServerBinary } from '../../src/infra/redis-service.js';

export interface PrivateRedis {
  url: string;
  /** A plain client for the test's own commands (FLUSHALL, REPLICAOF…). */
  admin(): Redis;
  /** Kills the server and starts a new one on the same socket: without persistence it comes back empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const privateRedisAvailable = () => Boolean(redisServerBinary());

export async function startPrivateRedisServer(): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-private-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const start = async (): Promise<ChildProcess> => {
    const p = spawn(redisServerBinary()!, ['--port', '0', '--unixsocket', socket, '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(existsSync(socket) && (await pingRedis({ path: socket }))); i++) await new Promise((r) => setTimeout(r, 50));
    return p;
  };
  const kill = async (p: ChildProcess) => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  let proc = await start();
  const clients: Redis[] = [];
  return {
    url: `redis+unix://${socket}`,
    admin() {
      const c = new Redis({ path: socket, maxRetriesPerRequest: null });
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    async restart() {
      await kill(proc);
      proc = await start();
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await kill(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
