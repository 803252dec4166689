// A school whose platform starts failing: each scheduled run's job waits in `delayed` between its attempts
// (5 attempts, backoff from 30 s) and reaches `failed` only ~8 minutes later. The status page and `schedules` read
// only completed and failed jobs and showed the older success as the school's state, with «Ошибок нет». A run
// retrying after a failed attempt is now the school's current state, listed among the errors with its reason and
// when it runs again, and `schedules` says RETRYING.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { outcome } from '../../src/cli/commands/schedules.js';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { listSchedules, reconcileSchedules } from '../../src/jobs/schedules.js';
import { startWorker } from '../../src/jobs/worker.js';
import { statusPage } from '../../src/ops/status-page.js';
import { collectStatus } from '../../src/ops/status.js';
import { openStore } from '../../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

describe('a run retrying after a failed attempt (status page, schedules)', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 12, pupils: 12, weeks: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('is the school\'s current state, with its reason and next attempt, not the older success', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const inst = dnevnikInstance('dn-r', emu);
    const cfg = parseConfigText(gatewayYaml({
      instances: [inst], names: ['dn-r'],
      schools: [{ id: 's-retry', sor: 'dn-r', platforms: [{ instance: 'dn-r', schoolId: inst.schoolId }], schedules: '{ rosterSync: "*/3 * * * * *" }' }],
    }), 't.yaml');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const roster = queues.get('roster-sync')!;
    await reconcileSchedules(cfg, queues);
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: inject('redisUrl'), prefix });
    try {
      await waitFor('a completed scheduled run', async () => (await roster.getJobs(['completed'], 0, 0)).length > 0, 60_000);
      // The platform goes down: every answer is a 5xx, through the HTTP layer's own retries.
      emu.setFaults({ errorRate: 1 });
      await waitFor('a scheduled run retrying', async () => (await listSchedules(queues, { lastRuns: true }))[0]?.last?.state === 'retrying', 90_000);
      // Read once nothing runs any more: the scheduler fires every 3 s, and each run fails in turn.
      await worker.close();
      const [listed] = await listSchedules(queues, { lastRuns: true });

      const last = listed.last!;
      expect(last).toMatchObject({ state: 'retrying', attempts: 1, maxAttempts: 5 });
      // Backoff 30 s with jitter 0.3 after the failed attempt.
      expect(last.retryAt! - last.finishedOn).toBeGreaterThanOrEqual(20_000);
      expect(last.retryAt! - last.finishedOn).toBeLessThanOrEqual(31_000);
      expect(outcome(last)).toBe(`RETRYING after failed attempt 1/5, next attempt ${new Date(last.retryAt!).toISOString()}`);

      const status = await collectStatus({ queues, connection: conn, store, schools: cfg.schools });
      const current = status.lastRuns.filter((r) => r.schoolId === 's-retry' && r.kind === 'roster-sync');
      expect(current).toEqual([expect.objectContaining({ outcome: 'retrying', attempts: 1, maxAttempts: 5, retryAt: new Date(last.retryAt!).toISOString() })]);
      expect(current[0].reason).toMatch(/5\d\d/);
      expect(status.failures[0]).toMatchObject({ schoolId: 's-retry', outcome: 'retrying' });
      const html = statusPage(status);
      expect(html).not.toContain('Ошибок нет');
      expect(html).toContain('<td class="retrying">повтор после ошибки 1/5</td>');
      expect(html).toContain(`следующая попытка ${new Date(last.retryAt!).toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}).*$/, '$3.$2.$1 $4:$5')} UTC`);
    } finally {
      await worker.close();
      emu.setFaults(undefined);
      await reconcileSchedules(parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-r'], schools: [{ id: 's-retry', sor: 'dn-r', platforms: [{ instance: 'dn-r', schoolId: inst.schoolId }] }] }), 't.yaml'), queues);
      for (const q of queues.values()) await q.obliterate({ force: true });
      await closeQueues(queues);
      conn.disconnect();
      await store.close();
    }
  }, 180_000);
});
