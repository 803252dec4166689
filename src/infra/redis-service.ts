// Finds or starts the Redis that BullMQ needs (DECISIONS.md §3): REDIS_URL if set; else 127.0.0.1:6379
// if it answers; else a private redis-server on a Unix socket under .data/; else one clear line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ServiceUnavailableError } from './operator-errors.js';

export interface RedisEndpoint {
  url: string;
  /** How it was found: so the demo and `readyz` can say it. */
  origin: 'env' | 'local-default' | 'private';
  /** Stops a private server this process started; a no-op otherwise. */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends ServiceUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

/** Sends PING over a raw socket and waits for +PONG; no client library needed for the probe. */
export function pingRedis(target: { host?: string; port?: number; path?: string }, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = target.path ? createConnection(target.path) : createConnection(target.port ?? 6379, target.host ?? '127.0.0.1');
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/**
 * On a fresh Debian machine where the caller is root, installs redis-server through the project's own
 * setup script (DECISIONS.md §3); elsewhere does nothing and the caller reports what to install.
 */
export function installRedisIfPossible(): void {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return;
  const script = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../scripts/setup.sh');
  if (existsSync(script)) spawnSync('bash', [script, 'redis'], { stdio: 'inherit' });
}

export function redisServerBinary(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  if (found) return found;
  return existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null;
}

/** A Redis others can reach too: the URL given, else 127.0.0.1 on `localPort` if it answers. */
async function sharedEndpoint(url: string | undefined, localPort = 6379): Promise<RedisEndpoint | undefined> {
  if (url) return { url, origin: 'env', stop: async () => {} };
  if (await pingRedis({ host: '127.0.0.1', port: localPort })) return { url: `redis://127.0.0.1:${localPort}`, origin: 'local-default', stop: async () => {} };
  return undefined;
}

export async function resolveRedis(opts: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RedisEndpoint> {
  return (await sharedEndpoint((opts.env ?? process.env).REDIS_URL)) ?? startPrivateRedis(opts.dataDir ?? path.resolve('.data'));
}

/** The URL of the Redis the workers share, as configured (`redis.url`, else REDIS_URL), else the local default. */
export function sharedRedisUrl(configuredUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return configuredUrl || env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/**
 * The Redis every worker of a deployment shares (`worker`, `schedules`): the configuration's `redis.url`,
 * else REDIS_URL, else 127.0.0.1:6379 if it answers — never a private one. A private Redis per process ran every
 * school's schedule once in each worker, split the platforms' rate limits between them, and `schedules --apply`
 * wrote into a server that stopped when it exited, all without an error.
 */
export async function resolveSharedRedis(configuredUrl: string | undefined, env: NodeJS.ProcessEnv = process.env, localPort = 6379): Promise<RedisEndpoint> {
  const found = await sharedEndpoint(configuredUrl || env.REDIS_URL, localPort);
  if (found) return found;
  throw new RedisUnavailableError(
    `no Redis: the configuration has no redis.url, REDIS_URL is not set and none answers on 127.0.0.1:${localPort}. Workers share one `
      + 'Redis (their schedules, queues and rate limits): set redis.url to it. Only the demo starts a private one.',
  );
}

export async function startPrivateRedis(dataDir: string): Promise<RedisEndpoint> {
  let bin = redisServerBinary();
  if (!bin) {
    installRedisIfPossible();
    bin = redisServerBinary();
  }
  if (!bin) {
    throw new RedisUnavailableError(
      'Redis is needed and none answers on 127.0.0.1:6379 and redis-server is not installed: ' +
        'install it (Debian: `apt-get install redis-server`, or run `npm run setup` as root) or set REDIS_URL.',
    );
  }
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, `redis-${process.pid}.sock`);
  const pidFile = path.join(dir, `redis-${process.pid}.pid`);
  const child = spawn(bin, [
    '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--pidfile', pidFile, '--daemonize', 'no',
  ], { stdio: 'ignore', detached: false });
  for (let i = 0; i < 100; i++) {
    if (existsSync(socket) && (await pingRedis({ path: socket }))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await pingRedis({ path: socket }))) {
    child.kill('SIGKILL');
    throw new RedisUnavailableError(`a private redis-server was started from ${bin} but did not answer on ${socket}`);
  }
  return {
    url: `redis+unix://${socket}`,
    origin: 'private',
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

/** ioredis options for a URL produced above (ioredis does not parse `redis+unix://`). */
/**
 * ioredis options of a Redis URL: `redis+unix:///path` (a socket), or `redis[s]://[user:password@]host[:port][/db]`.
 * ioredis ignores a `url` key in its options object (it would silently connect to localhost:6379), so the
 * URL is spelled out into host, port, credentials, database and TLS here.
 */
export function ioredisOptions(url: string): Record<string, unknown> {
  if (url.startsWith('redis+unix://')) return { path: url.slice('redis+unix://'.length) };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`Redis URL "${url.replace(/\/\/[^@/]*@/, '//***@')}" is not a URL (expected redis://host:port or redis+unix:///path)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`Redis URL must start with redis://, rediss:// or redis+unix:// (got ${u.protocol}//)`);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** A Redis URL as an operator may see it: without the user and password. */
export function shownRedisUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

/**
 * Fails fast, naming the URL (without credentials), when the configured Redis does not answer a PING within
 * `timeoutMs`: BullMQ would otherwise wait for it silently for ever — a scheduled `schedules` or a worker that
 * never says why it does nothing.
 */
export async function requireRedis(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis({ ...ioredisOptions(url), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false } as never);
  let cause: { code?: string; message: string } | undefined;
  client.on('error', (e: Error & { code?: string }) => { cause ??= e; }); // the socket's own error, reported below
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const shown = shownRedisUrl(url);
    const why = cause ?? (e as { code?: string; message: string });
    throw new RedisUnavailableError(`Redis at ${shown} does not answer (${why.code ?? why.message}): start it, or correct redis.url in the configuration (or REDIS_URL)`);
  } finally {
    client.disconnect();
  }
}

