// A one-off run (`sync`, `push`, `migrate`) joins the workers' Redis for the shared rate limit. Its connection waits
// for Redis for ever (maxRetriesPerRequest: null), so when Redis went away mid-run and did not come back, every rate
// permit waited and the command hung with no word. It must fail within a bounded time naming the Redis that does not
// answer, and leave the store as a run that stopped there: a run again once Redis is back ends where a clean run does.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { joinSharedRateLimits } from '../../src/jobs/shared-rate-limits.js';
import { openStore, type Store } from '../../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { privateRedisAvailable, startPrivateRedisServer } from '../support/private-redis.js';

const logger = pino({ level: 'silent' });

describe('a one-off run whose Redis goes away mid-run', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    // Slow answers, so the run is still reading when Redis goes away.
    emu = await startDnevnikEmulator({ seed: 21, pupils: 24, weeks: 1, faults: { latencyMs: 40 } });
  });
  afterAll(async () => {
    await emu.close();
  });

  const configWith = (redisUrl: string) => {
    const inst = dnevnikInstance('dn-c', emu);
    return parseConfigText(gatewayYaml({
      instances: [inst], names: ['dn-c'], schools: [{ id: 's-cli', sor: 'dn-c', platforms: [{ instance: 'dn-c', schoolId: inst.schoolId }] }],
    }).replace(/^/, `redis: { url: ${JSON.stringify(redisUrl)} }\n`), 't.yaml');
  };
  const ctxOf = (cfg: ReturnType<typeof configWith>, store: Store): JobContext => ({ config: cfg, store, logger, close: async () => {} });

  it.skipIf(!privateRedisAvailable())('fails within a bounded time naming the Redis, and a run again once it is back ends as a clean run', async () => {
    const redis = await startPrivateRedisServer();
    const cfg = configWith(redis.url);
    const prefix = `jg-test-${randomUUID()}`;
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const control = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    try {
      resetInstanceGates();
      const limits = await joinSharedRateLimits(cfg, logger, prefix, {});
      expect(limits.shared).toBe(true);
      let killed: Promise<void> | undefined;
      const t0 = Date.now();
      const outcome = await Promise.race([
        runJob('roster-sync', { schoolId: 's-cli' }, ctxOf(cfg, store), { onProgress: () => { killed ??= redis.stop(); } }).then(() => 'completed', (e: Error) => e),
        new Promise<string>((r) => setTimeout(r, 60_000, 'still waiting after 60 s')),
      ]);
      await killed;
      await limits.close();
      expect(killed).toBeDefined();
      expect(outcome).toBeInstanceOf(Error);
      // Said as what it is, not as a network failure of the platform retried by the HTTP layer.
      expect((outcome as Error).name).toBe('RedisUnavailableError');
      expect((outcome as Error).message).toMatch(/Redis at redis\+unix:\/\/\S+ does not answer/);
      expect(Date.now() - t0).toBeLessThan(60_000);

      // Redis back (a fresh one): the run again ends where a run that never met trouble does.
      const back = await startPrivateRedisServer();
      try {
        resetInstanceGates();
        const again = await joinSharedRateLimits(configWith(back.url), logger, prefix, {});
        await runJob('roster-sync', { schoolId: 's-cli' }, ctxOf(cfg, store));
        await again.close();
      } finally {
        await back.stop();
      }
      resetInstanceGates();
      await runJob('roster-sync', { schoolId: 's-cli' }, ctxOf(cfg, control));
      expect(await store.countsByEntityStatus()).toEqual(await control.countsByEntityStatus());
    } finally {
      await redis.stop().catch(() => undefined);
      await store.close();
      await control.close();
    }
  }, 150_000);
});
