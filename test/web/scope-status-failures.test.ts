// A school's staff see their own school's failed runs on the status page even when other schools of the region
// failed more often since: the newest 20 failures were taken region-wide before the page was narrowed to the
// account's schools, so a school whose sync broke an hour ago read «Ошибок нет.» while 20 newer failures of other
// schools filled the cut.
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { describe, expect, inject, it } from 'vitest';
import { producerConnection, workerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues, queueName } from '../../src/jobs/queues.js';
import { statusPage } from '../../src/ops/status-page.js';
import { collectStatus } from '../../src/ops/status.js';
import { openStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { scopeStatus } from '../../src/web/staff/scope-status.js';
import { waitFor } from '../support/wait-for.js';

describe('the status page of a school account', () => {
  it('lists the school\'s failure when other schools have more than 20 newer ones', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const roster = queues.get('roster-sync')!;
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const wconn = workerConnection(inject('redisUrl'));
    const worker = new Worker(queueName('roster-sync'), async () => {
      throw new Error('platform answered 503');
    }, { connection: wconn, prefix, concurrency: 1 });
    worker.on('error', () => {});
    const failed = async () => (await roster.getJobCounts('failed')).failed ?? 0;
    try {
      await roster.add('roster-sync', { schoolId: 'north' }, { attempts: 1, jobId: 'north-1' });
      await waitFor('north failed', async () => (await failed()) === 1, 20_000);
      await new Promise((r) => setTimeout(r, 20)); // every later failure is strictly newer
      for (let i = 0; i < 25; i++) await roster.add('roster-sync', { schoolId: 'south' }, { attempts: 1, jobId: `south-${i}` });
      await waitFor('south failed', async () => (await failed()) === 26, 30_000);

      const data = await collectStatus({ queues, connection: conn, store, schools: [] });
      const north = scopeStatus(data, [schoolCanonicalId('north')]);
      expect(north.failures.map((f) => f.schoolId)).toEqual(['north']);
      expect(statusPage(north)).toContain('platform answered 503');
      // The whole region's page still shows the newest 20 only.
      const table = /<table id="failures">.*?<\/table>/s.exec(statusPage(data))![0];
      expect((table.match(/<tr><td>south<\/td>/g) ?? []).length).toBe(20);
    } finally {
      await worker.close();
      wconn.disconnect();
      await closeQueues(queues);
      conn.disconnect();
      await store.close();
    }
  }, 60_000);
});
