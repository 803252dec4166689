// A platform that holds an instance for longer than a run waits (`Retry-After: 600`; the HTTP layer waits out at most
// 120 s itself) must park the school's job until the hold is over. BullMQ's exponential backoff (30 s doubling, 5
// attempts) spent every attempt inside the hold, ~8 minutes in all, and the nightly sync of that school ended failed
// although waiting would have succeeded.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { listSchedules, reconcileSchedules } from '../../src/jobs/schedules.js';
import { startWorker } from '../../src/jobs/worker.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

describe('a platform holding an instance longer than a run waits (Retry-After)', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 13, pupils: 12, weeks: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('a scheduled roster sync retries once the hold is over, not inside it', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const inst = dnevnikInstance('dn-h', emu);
    const school = (schedules?: string) => parseConfigText(gatewayYaml({
      instances: [inst], names: ['dn-h'],
      schools: [{ id: 's-hold', sor: 'dn-h', platforms: [{ instance: 'dn-h', schoolId: inst.schoolId }], ...(schedules ? { schedules } : {}) }],
    }), 't.yaml');
    const cfg = school('{ rosterSync: "*/3 * * * * *" }');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    // The platform answers every request 429, Retry-After 600 s: ten minutes of hold.
    emu.setFaults({ rateLimit: { every: 1, retryAfterS: 600 } });
    await reconcileSchedules(cfg, queues);
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: inject('redisUrl'), prefix });
    try {
      await waitFor('a scheduled run retrying', async () => (await listSchedules(queues, { lastRuns: true }))[0]?.last?.state === 'retrying', 90_000);
      await worker.close();
      const [listed] = await listSchedules(queues, { lastRuns: true });
      const last = listed.last!;
      expect(last).toMatchObject({ state: 'retrying', attempts: 1, maxAttempts: 5 });
      // The next attempt is due once the platform's hold is over, not 30 s on. A later scheduled run, refused without
      // sending while the hold lasts, waits what is left of it: a few seconds less.
      expect(last.retryAt! - last.finishedOn).toBeGreaterThanOrEqual(540_000);
    } finally {
      await worker.close();
      emu.setFaults(undefined);
      await reconcileSchedules(school(), queues);
      for (const q of queues.values()) await q.obliterate({ force: true });
      await closeQueues(queues);
      conn.disconnect();
    }
  }, 180_000);
});
