import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { ioredisOptions, pingRedis, resolveRedis, startPrivateRedis } from '../../src/infra/redis-service.js';

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
