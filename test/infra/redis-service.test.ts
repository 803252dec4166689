import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { ioredisOptions, pingRedis, RedisUnavailableError, resolveRedis, resolveSharedRedis, startPrivateRedis } from '../../src/infra/redis-service.js';

describe('Redis for BullMQ (DECISIONS.md §3)', () => {
  it('the harness provides a Redis that answers', async () => {
    const client = new Redis({ ...ioredisOptions(inject('redisUrl')), lazyConnect: true, maxRetriesPerRequest: 1 } as never);
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('REDIS_URL wins over everything else', async () => {
    const ep = await resolveRedis({ env: { REDIS_URL: 'redis://example.invalid:1' } });
    expect(ep).toMatchObject({ url: 'redis://example.invalid:1', origin: 'env' });
  });

  it('worker, schedules and serve never start a private Redis: with none configured and none answering they stop, saying to set redis.url', async () => {
    // Port 1 stands for a machine with nothing on 6379. Before, each worker started its own Redis there and ran every
    // school's schedule once per worker.
    const err = await resolveSharedRedis(undefined, {}, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(/no Redis: the configuration has no redis\.url, REDIS_URL is not set and none answers on 127\.0\.0\.1:1\. Workers share one Redis .*set redis\.url/);
    expect(await resolveSharedRedis('redis://gw.example:6380', { REDIS_URL: 'redis://other:1' })).toMatchObject({ url: 'redis://gw.example:6380' });
    expect(await resolveSharedRedis(undefined, { REDIS_URL: 'redis://other:1' })).toMatchObject({ url: 'redis://other:1' });
  });

  it('starts a private redis-server on a Unix socket when none answers, and stops it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jg-redis-'));
    const ep = await startPrivateRedis(dir);
    expect(ep.origin).toBe('private');
    const socket = ep.url.slice('redis+unix://'.length);
    expect(socket.startsWith(dir)).toBe(true);
    expect(await pingRedis({ path: socket })).toBe(true);
    await ep.stop();
    expect(await pingRedis({ path: socket })).toBe(false);
  });
});

describe('Redis URLs', () => {
  it('spells a URL out into host, port, credentials, database and TLS (ioredis ignores a `url` option)', () => {
    expect(ioredisOptions('redis://cache.region.local:6390/2')).toEqual({ host: 'cache.region.local', port: 6390, db: 2 });
    expect(ioredisOptions('rediss://gw:p%40ss@10.0.0.5')).toEqual({ host: '10.0.0.5', port: 6379, username: 'gw', password: 'p@ss', tls: {} });
    expect(ioredisOptions('redis+unix:///run/redis.sock')).toEqual({ path: '/run/redis.sock' });
    expect(() => ioredisOptions('http://x')).toThrow(/must start with redis:\/\//);
  });

  it('a client of a URL that names another port does not end up on the default Redis', async () => {
    const client = new Redis({ ...ioredisOptions('redis://127.0.0.1:1'), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null } as never);
    client.on('error', () => {});
    await expect(client.connect()).rejects.toThrow();
    client.disconnect();
  });
});
