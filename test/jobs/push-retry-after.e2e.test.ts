// A push target holding writes longer than a run waits (`Retry-After: 600` on every write): the push ends failed
// with its writes due again, and its job's next attempt must come after the hold. The writes' failures became a
// PushFailedError that kept no word of the platform's wait, so BullMQ's 30 s doubling spent the push's attempts
// inside the hold, as it did for a read before job-backoff.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { jobBackoff, JOB_BACKOFF_TYPE } from '../../src/jobs/job-backoff.js';
import { DEFAULT_JOB_OPTIONS } from '../../src/jobs/job-types.js';
import { runJob } from '../../src/jobs/processors.js';
import { openStore, type Store } from '../../src/store/index.js';
import { PushFailedError } from '../../src/sync/push-failures.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { startProxy } from '../support/fault-proxy.js';

const logger = pino({ level: 'silent' });

describe('a push target holding writes (Retry-After longer than a run waits)', () => {
  let school: SyntheticSchool;
  let source: DnevnikEmulator;
  let target: DnevnikEmulator;
  beforeAll(async () => {
    school = generateSchool({ seed: 22, pupils: 12, weeks: 1 });
    source = await startDnevnikEmulator({ dataset: school });
    target = await startDnevnikEmulator({ dataset: school, emptyJournal: true });
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('the push sends nothing more into the hold, and its job\'s next attempt comes after it', async () => {
    // Reads and the login pass; once the push starts, every write is held for ten minutes.
    let holding = false;
    let sentInHold = 0;
    const proxy = await startProxy(target.baseUrl, (r) => (holding && (r.method === 'PUT' || r.method === 'DELETE' || (r.method === 'POST' && /marks|works|log-entries/.test(r.path))) && ++sentInHold
      ? { kind: 'respond', status: 429, headers: { 'retry-after': '600', 'content-type': 'application/json' }, body: '{"type":"apiRequestLimit","description":"too many requests"}' }
      : { kind: 'pass' }));
    const dates = school.all('lesson').map((l) => l.date).sort();
    const window = { from: dates[0], to: dates.at(-1)! };
    const a = dnevnikInstance('dn-sor', source, 500);
    const b = dnevnikInstance('dn-target', { baseUrl: proxy.baseUrl, info: target.info }, 500);
    const cfg = parseConfigText(gatewayYaml({
      instances: [a, b], names: ['dn-sor', 'dn-target'],
      schools: [{ id: 's1', sor: 'dn-sor', targets: ['dn-target'], platforms: [{ instance: 'dn-sor', schoolId: a.schoolId }, { instance: 'dn-target', schoolId: b.schoolId }] }],
    }), 't.yaml');
    const store: Store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const ctx = { config: cfg, store, logger, close: async () => {} };
    try {
      resetInstanceGates();
      await runJob('roster-sync', { schoolId: 's1', window }, ctx);
      await runJob('journal-sync', { schoolId: 's1', window }, ctx);
      await runJob('journal-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx);
      holding = true;
      const failed = await runJob('grade-push', { schoolId: 's1' }, ctx).then(() => undefined, (e: Error) => e);
      expect(failed).toBeInstanceOf(PushFailedError);
      expect((failed as PushFailedError).retryable).toBe(true);
      expect(proxy.log.filter((r) => r.method !== 'GET').length).toBeGreaterThan(0);
      expect(jobBackoff(1, JOB_BACKOFF_TYPE, failed, { opts: DEFAULT_JOB_OPTIONS } as never)).toBeGreaterThanOrEqual(600_000);
      // Told to wait ten minutes, the push sends nothing more there in this run: it sent hundreds of writes into the
      // hold, each answered 429 (a platform may lengthen a ban for that), and every retry did the same.
      expect(sentInHold).toBe(1);
    } finally {
      await store.close();
      await proxy.close();
    }
  }, 120_000);
});
