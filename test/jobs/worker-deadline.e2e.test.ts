// A shutdown whose deadline passes while a job runs hands the job back: the worker returns at the deadline and the
// job is taken over by another worker as stalled. Before, BullMQ's close(true) did nothing once a close was under
// way, and the worker kept renewing the job's lock until the job ended — past the deadline, with no other worker
// able to take it (found by the operations audit).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { startWorker } from '../../src/jobs/worker.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger({ level: 'silent', pretty: false });

describe('worker shutdown past its deadline', () => {
  let emu: DnevnikEmulator;
  let store: CanonicalStore;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 5, pupils: 12, weeks: 1 });
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
    await emu?.close();
  });

  it('returns at the deadline, and another worker finishes the job it handed back', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const inst = dnevnikInstance('dn', emu, 2); // 2 requests a second: the roster sync takes well over the deadline
    const cfg = parseConfigText(gatewayYaml({ instances: [inst], names: [], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }), 'test.yaml');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const queue = queues.get('roster-sync')!;
    resetInstanceGates();
    const first = await startWorker(cfg, logger, { redisUrl: inject('redisUrl'), prefix, store, shutdownDeadlineMs: 500, lockDurationMs: 2_000 });
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      const job = await queue.add('roster-sync', { schoolId: 's1', window: { from: '2025-09-01', to: '2025-09-07' } });
      await waitFor('the job running on the first worker', async () => (await queue.getJobState(job.id!)) === 'active', 20_000);
      const t0 = Date.now();
      expect(await first.close()).toEqual({ handedBack: true });
      expect(Date.now() - t0).toBeLessThan(5_000); // the deadline (0.5 s), not the job's end
      second = await startWorker(cfg, logger, { redisUrl: inject('redisUrl'), prefix, store, lockDurationMs: 2_000 });
      await waitFor('the job completed by the second worker', async () => (await queue.getJobState(job.id!)) === 'completed', 90_000);
    } finally {
      await second?.close();
      await closeQueues(queues);
      conn.disconnect();
    }
  }, 150_000);
});
