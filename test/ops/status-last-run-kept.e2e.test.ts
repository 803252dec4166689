// The status page's «Последний запуск по школам» was built from the jobs BullMQ keeps: completed ones a day, failed
// ones 14 days (job-types.ts). A school whose run failed and whose later run succeeded showed the old failure as its
// last run once the success's job had been removed — for up to 13 days. The later success must be shown.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { startWorker } from '../../src/jobs/worker.js';
import { statusPage } from '../../src/ops/status-page.js';
import { collectStatus } from '../../src/ops/status.js';
import { openStore } from '../../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

describe('status page: a school\'s last run', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 15, pupils: 8, weeks: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('is its later success, after the success\'s job was removed and the older failure is still kept', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const inst = dnevnikInstance('dn-s', emu);
    const cfg = parseConfigText(gatewayYaml({
      instances: [inst], names: ['dn-s'], schools: [{ id: 's-kept', sor: 'dn-s', platforms: [{ instance: 'dn-s', schoolId: inst.schoolId }] }],
    }), 't.yaml');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const roster = queues.get('roster-sync')!;
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: inject('redisUrl'), prefix, store });
    try {
      // One run fails for good (job data the worker refuses at once)...
      await roster.add('roster-sync', { schoolId: 's-kept', window: 'not a window' } as never);
      await waitFor('a failed run', async () => (await roster.getJobs(['failed'], 0, 0)).length > 0, 60_000);
      // ... the next one succeeds.
      await roster.add('roster-sync', { schoolId: 's-kept' } as never);
      const done = await waitFor('a completed run', async () => (await roster.getJobs(['completed'], 0, 0))[0], 90_000);
      await worker.close();
      // A day later BullMQ has removed the completed job (removeOnComplete: a day); the failed one is kept 14 days.
      await roster.clean(0, 1_000, 'completed');
      expect(await roster.getJobs(['failed'], 0, -1)).toHaveLength(1);

      const data = await collectStatus({ queues, connection: conn, store, schools: cfg.schools });
      const last = data.lastRuns.find((r) => r.schoolId === 's-kept' && r.kind === 'roster-sync');
      expect(last).toMatchObject({ outcome: 'completed', finishedAt: new Date(done.finishedOn!).toISOString(), attempts: 1 });
      expect(last?.totals?.created).toBeGreaterThan(0);
      expect(statusPage(data)).toMatch(/<td>s-kept<\/td><td>Синхронизация контингента<\/td><td class="completed">успешно<\/td>/);
      // The failure is still listed among the errors: it happened.
      expect(data.failures.filter((r) => r.schoolId === 's-kept')).toHaveLength(1);
    } finally {
      await worker.close();
      for (const q of queues.values()) await q.obliterate({ force: true });
      await closeQueues(queues);
      conn.disconnect();
      await store.close();
    }
  }, 180_000);
});
