// Two workers finishing runs of one scheduler at the same moment: the record of its last completed run
// (last-completed.ts) read the entry and wrote it in two Redis calls, so the older run, read before the newer was
// written and written after it, stayed recorded — `schedules` showed the older run as the scheduler's last.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workerConnection } from '../../src/jobs/connection.js';
import { lastCompletedRuns, recordCompleted, type RecordClient } from '../../src/jobs/last-completed.js';

describe('the record of a scheduler\'s last completed run, written by two workers at once', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = workerConnection(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis?.quit();
  });

  const queueOf = () => {
    const prefix = `jg-test-${randomUUID()}`;
    const toKey = (type: string) => `${prefix}:roster-sync:${type}`;
    return { toKey, getBackend: () => ({ client: Promise.resolve(redis) }) } as unknown as Parameters<typeof lastCompletedRuns>[0];
  };

  /**
   * The real Redis connection, with both workers' reads of the entry let through together (neither sees the other's
   * write) and the older run's answer a moment later — the interleaving two workers can meet. A client that reads and
   * writes in one command is not held.
   */
  const racingClient = (): RecordClient => {
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    return new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop !== 'hget') {
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        }
        return async (key: string, field: string) => {
          const order = ++arrived;
          if (arrived === 2) release();
          const value = await target.hget(key, field);
          await bothRead;
          // The first caller (the older run) gets its answer last, so it writes last.
          if (order === 1) await new Promise((r) => setTimeout(r, 50));
          return value;
        };
      },
    }) as unknown as RecordClient;
  };

  it('keeps the newer run when the older one is recorded at the same moment', async () => {
    const queue = queueOf();
    const client = racingClient();
    const older = { repeatJobKey: 'roster-sync__s1', finishedOn: 1_000, attemptsMade: 1 };
    const newer = { repeatJobKey: 'roster-sync__s1', finishedOn: 2_000, attemptsMade: 2 };
    await Promise.all([recordCompleted(client, queue, older), recordCompleted(client, queue, newer)]);
    expect((await lastCompletedRuns(queue)).get('roster-sync__s1')).toEqual({ finishedOn: 2_000, attempts: 2 });
  });

  it('keeps the newer run when the older one is recorded after it', async () => {
    const queue = queueOf();
    await recordCompleted(redis, queue, { repeatJobKey: 'weekly', finishedOn: 2_000, attemptsMade: 1 });
    await recordCompleted(redis, queue, { repeatJobKey: 'weekly', finishedOn: 1_000, attemptsMade: 3 });
    expect((await lastCompletedRuns(queue)).get('weekly')).toEqual({ finishedOn: 2_000, attempts: 1 });
    await recordCompleted(redis, queue, { repeatJobKey: 'weekly', finishedOn: 3_000, attemptsMade: 1 });
    expect((await lastCompletedRuns(queue)).get('weekly')).toEqual({ finishedOn: 3_000, attempts: 1 });
  });
});
