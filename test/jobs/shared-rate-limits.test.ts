// A one-off CLI run beside running workers counts in their budget: the platform must never see the workers' full
// rate plus the run's (a run once doubled what the emulator saw).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { getInstanceGate, WindowRateLimiter } from '../../src/connectors/http/index.js';
import { ioredisOptions } from '../../src/infra/redis-service.js';
import { RedisRateLimiter } from '../../src/jobs/redis-rate-limiter.js';
import { joinSharedRateLimits } from '../../src/jobs/shared-rate-limits.js';

const config = (redisUrl: string) => parseConfigText(`region: { id: r, name: R }\nredis: { url: ${JSON.stringify(redisUrl)} }\n`, 't.yaml');
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

describe('one-off runs and the workers share one budget', () => {
  it('a run joins the workers\' Redis budget: with the workers holding this second\'s permits, the run waits for the next', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const instance = `inst-${randomUUID()}`;
    const worker = new Redis({ ...(ioredisOptions(inject('redisUrl')) as object), maxRetriesPerRequest: null } as never);
    clients.push(worker);
    const workerLimiter = new RedisRateLimiter(worker, { platform: 'emu', instance }, { requestsPerSecond: 2, concurrency: 2, prefix, windowMarginMs: 0 });
    const limits = await joinSharedRateLimits(config(inject('redisUrl')), pino({ level: 'silent' }), prefix, {});
    try {
      expect(limits.shared).toBe(true);
      const gate = getInstanceGate('emu', instance, { requestsPerSecond: 2, concurrency: 2, windowMarginMs: 0 });
      expect(gate.limiter).toBeInstanceOf(RedisRateLimiter);
      (await workerLimiter.acquire())();
      (await workerLimiter.acquire())();
      const t0 = Date.now();
      await gate.run(async () => undefined);
      // An own count would have let it through at once; the shared one holds it until the workers' second is over.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    } finally {
      await limits.close();
    }
  });

  it('a configured Redis that does not answer: the run goes on counting for itself, and says so', async () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => { warnings.push(JSON.parse(line).msg); } });
    const limits = await joinSharedRateLimits(config('redis://127.0.0.1:1'), logger, `jg-test-${randomUUID()}`, {});
    try {
      expect(limits.shared).toBe(false);
      expect(warnings).toEqual(['the workers\' Redis does not answer: this run counts its requests against the platform budget on its own']);
      expect(getInstanceGate('emu', `inst-${randomUUID()}`, { requestsPerSecond: 2, concurrency: 1 }).limiter).toBeInstanceOf(WindowRateLimiter);
    } finally {
      await limits.close();
    }
  }, 10_000);
});
