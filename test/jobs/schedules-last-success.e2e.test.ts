// `journal-gateway schedules` shows each scheduler's last run from the jobs BullMQ keeps: completed ones a day, failed
// ones 14 days (job-types.ts). A weekly schedule whose run failed one week and succeeded the next showed the old
// failure as its last run once the success's job had been removed after a day — for up to 13 days. The later success
// must be shown.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { listSchedules } from '../../src/jobs/schedules.js';
import { startWorker } from '../../src/jobs/worker.js';
import { openStore } from '../../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

describe('schedules: a scheduler\'s last run', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 14, pupils: 8, weeks: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('is its later success, after the success\'s job was removed and the older failure is still kept', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const inst = dnevnikInstance('dn-w', emu);
    const cfg = parseConfigText(gatewayYaml({
      instances: [inst], names: ['dn-w'], schools: [{ id: 's-weekly', sor: 'dn-w', platforms: [{ instance: 'dn-w', schoolId: inst.schoolId }] }],
    }), 't.yaml');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const roster = queues.get('roster-sync')!;
    const id = 'roster-sync__s-weekly';
    const schedule = (data: Record<string, unknown>) => roster.upsertJobScheduler(id, { pattern: '*/2 * * * * *', tz: 'Europe/Samara' }, { name: 'roster-sync', data: data as never });
    resetInstanceGates();
    const worker = await startWorker(cfg, createLogger({ level: 'silent', pretty: false }), { redisUrl: inject('redisUrl'), prefix, store });
    try {
      // One week's run fails for good (job data the worker refuses at once)...
      await schedule({ schoolId: 's-weekly', window: 'not a window' });
      await waitFor('a failed scheduled run', async () => (await roster.getJobs(['failed'], 0, 0)).length > 0, 60_000);
      // ... the next week's succeeds.
      await schedule({ schoolId: 's-weekly' });
      const done = await waitFor('a completed scheduled run', async () => (await roster.getJobs(['completed'], 0, 0))[0], 90_000);
      await worker.close();
      await roster.removeJobScheduler(id);
      const failed = (await roster.getJobs(['failed'], 0, -1)).filter((j) => j.repeatJobKey === id);
      const succeeded = (await roster.getJobs(['completed'], 0, -1)).map((j) => j.finishedOn!).sort().at(-1)!;
      expect(done.repeatJobKey).toBe(id);
      expect(failed.length).toBeGreaterThan(0);
      // A day later BullMQ has removed the completed job (removeOnComplete: a day); the failed one is kept 14 days.
      await roster.clean(0, 1_000, 'completed');
      await schedule({ schoolId: 's-weekly' });

      const listed = (await listSchedules(queues, { lastRuns: true })).find((s) => s.id === id);
      expect(listed?.last).toMatchObject({ state: 'completed', finishedOn: succeeded });
    } finally {
      await worker.close();
      await roster.removeJobScheduler(id);
      for (const q of queues.values()) await q.obliterate({ force: true });
      await closeQueues(queues);
      conn.disconnect();
      await store.close();
    }
  }, 180_000);
});
