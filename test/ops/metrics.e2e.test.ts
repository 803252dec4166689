// Prometheus metrics after real runs (issue 10): a roster sync against the Дневник.ру emulator through
// runJob, and jobs through a real BullMQ worker on Redis with a random prefix.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { setHttpMetricsHook } from '../../src/connectors/http/metrics-hook.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { openJobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { startWorker } from '../../src/jobs/worker.js';
import { GatewayMetrics, ruleIdOf } from '../../src/ops/metrics.js';
import { instrumentWorkers } from '../../src/ops/worker-metrics.js';
import { addQuarantine, newSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';


/**
 * A client of a port nothing listens on. Built with host and port because producerConnection's
 * `{ url }` option is ignored by ioredis (it would reach 127.0.0.1:6379 instead; reported separately).
 */
function deadConnection(port: number): Redis {
  const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 1000 });
  c.on('error', () => {});
  return c;
}

const logger = createLogger({ level: 'silent', pretty: false });
const WINDOW = { from: '2025-09-01', to: '2025-09-07' };

type Sample = { value: number; labels: Record<string, string | number>; metricName?: string };
async function samples(m: GatewayMetrics, name: string): Promise<Sample[]> {
  const metric = m.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values as Sample[];
}
const sum = (xs: Sample[], where: (l: Sample['labels']) => boolean = () => true) => xs.filter((s) => where(s.labels)).reduce((a, s) => a + s.value, 0);


describe('gateway metrics after real runs', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 5, pupils: 20, weeks: 1 });
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => setHttpMetricsHook(undefined));

  const config = () => {
    const inst = dnevnikInstance('dn-m', emu);
    return parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-m'], schools: [{ id: 'school-m', sor: 'dn-m', platforms: [{ instance: 'dn-m', schoolId: inst.schoolId }] }] }), 'ops.yaml');
  };

  it('a roster sync through runJob: HTTP attempts per instance equal the emulator\'s own request count', async () => {
    const cfg = config();
    const metrics = new GatewayMetrics();
    setHttpMetricsHook(metrics.httpHook);
    resetInstanceGates();
    const before = emu.stats();
    const ctx = await openJobContext(cfg, logger);
    try {
      const summaries = await metrics.timeJob('roster-sync', () => runJob('roster-sync', { schoolId: 'school-m', window: WINDOW }, ctx));
      expect(summaries[0].created).toBeGreaterThan(20);
    } finally {
      await ctx.close();
    }
    const after = emu.stats();
    const served = after.total - before.total;
    expect(served).toBeGreaterThan(0);
    const requests = await samples(metrics, 'jg_http_requests_total');
    expect(sum(requests, (l) => l.platform === 'dnevnik' && l.instance === 'dn-m')).toBe(served);
    // Status classes agree with what the emulator answered, class by class.
    const emulatorByClass: Record<string, number> = {};
    for (const [status, n] of Object.entries(after.byStatus)) {
      const cls = `${status[0]}xx`;
      emulatorByClass[cls] = (emulatorByClass[cls] ?? 0) + n - (before.byStatus[status] ?? 0);
    }
    for (const [cls, n] of Object.entries(emulatorByClass)) expect(sum(requests, (l) => l.status_class === cls), cls).toBe(n);
    const latency = await samples(metrics, 'jg_http_request_duration_seconds');
    expect(latency.find((s) => s.metricName === 'jg_http_request_duration_seconds_count' && s.labels.instance === 'dn-m')?.value).toBe(served);
    // Every attempt passed the instance's gate once: one wait observation each.
    const waits = await samples(metrics, 'jg_rate_limit_wait_seconds');
    expect(waits.find((s) => s.metricName === 'jg_rate_limit_wait_seconds_count' && s.labels.instance === 'dn-m')?.value).toBe(served);
    expect(sum(await samples(metrics, 'jg_http_429_total'))).toBe(0);
    const jobs = await samples(metrics, 'jg_jobs_total');
    expect(jobs).toEqual([expect.objectContaining({ value: 1, labels: { kind: 'roster-sync', outcome: 'completed' } })]);
    // No login, password, client secret or emulator address in the exposition.
    const text = (await metrics.scrape()).body;
    const info = emu.info as Record<string, any>;
    for (const secret of [info.clientSecret, ...info.accounts.map((a: { login: string }) => a.login), ...info.accounts.map((a: { password: string }) => a.password), emu.baseUrl]) {
      if (secret) expect(text).not.toContain(String(secret));
    }
  }, 120_000);

  it('rule violations are counted by rule id from run summaries; other quarantine reasons are not rules', async () => {
    const metrics = new GatewayMetrics();
    const s = newSummary('journal-sync', 'run-1', 'dn-m', 'school-m');
    addQuarantine(s, 'R-07 mark: refused by the rule');
    addQuarantine(s, 'R-07 mark: refused by the rule');
    addQuarantine(s, 'R-22 attendance: refused by the rule');
    addQuarantine(s, 'orphan mark → person: references a record the roster has not brought in');
    metrics.observeSummaries([s]);
    const rules = await samples(metrics, 'jg_rule_violations_total');
    expect(Object.fromEntries(rules.map((r) => [r.labels.rule, r.value]))).toEqual({ 'R-07': 2, 'R-22': 1 });
    expect(sum(await samples(metrics, 'jg_quarantined_records_total'))).toBe(4);
    expect(ruleIdOf('orphan mark → x')).toBeNull();
  });

  it('with Redis unreachable the scrape still answers: jg_queue_up 0 and no queue counts', async () => {
    const { createServer } = await import('node:net');
    // A port nothing listens on: bind, note it, close.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const conn = deadConnection(port);
    const queues = openQueues(conn, `jg-test-${randomUUID()}`);
    const metrics = new GatewayMetrics();
    metrics.watchQueues(queues.values(), conn);
    try {
      const text = (await metrics.scrape()).body;
      expect(text).toMatch(/^jg_queue_up 0$/m);
      expect(text).not.toMatch(/^jg_queue_jobs\{/m);
    } finally {
      conn.disconnect();
      await closeQueues(queues).catch(() => undefined);
    }
  });

  it('a BullMQ worker: job outcomes and durations by kind, queue gauges read from Redis at scrape time', async () => {
    const cfg = config();
    const prefix = `jg-test-${randomUUID()}`;
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const metrics = new GatewayMetrics();
    metrics.watchQueues(queues.values(), conn);
    setHttpMetricsHook(metrics.httpHook);
    resetInstanceGates();
    const worker = await startWorker(cfg, logger, { redisUrl: inject('redisUrl'), prefix });
    instrumentWorkers(worker.workers, metrics);
    try {
      await queues.get('roster-sync')!.add('roster-sync', { schoolId: 'school-m', window: WINDOW });
      // An unknown school is a config error: UnrecoverableError, one failed attempt, no retry.
      await queues.get('journal-sync')!.add('journal-sync', { schoolId: 'no-such-school' });
      await waitFor('both jobs finished', async () => {
        const [r, j] = await Promise.all([queues.get('roster-sync')!.getJobCounts('completed'), queues.get('journal-sync')!.getJobCounts('failed')]);
        return r.completed === 1 && j.failed === 1;
      });
      await waitFor('the worker events', async () => sum(await samples(metrics, 'jg_jobs_total')) === 2);
      const jobs = await samples(metrics, 'jg_jobs_total');
      expect(sum(jobs, (l) => l.kind === 'roster-sync' && l.outcome === 'completed')).toBe(1);
      expect(sum(jobs, (l) => l.kind === 'journal-sync' && l.outcome === 'failed')).toBe(1);
      const durations = await samples(metrics, 'jg_job_duration_seconds');
      expect(durations.find((s) => s.metricName === 'jg_job_duration_seconds_count' && s.labels.kind === 'roster-sync')?.value).toBe(1);
      const gauges = await samples(metrics, 'jg_queue_jobs');
      const g = (queue: string, state: string) => gauges.find((s) => s.labels.queue === queue && s.labels.state === state)?.value;
      expect(g('jg-roster-sync', 'completed')).toBe(1);
      expect(g('jg-journal-sync', 'failed')).toBe(1);
      expect(g('jg-grade-push', 'waiting')).toBe(0);
      expect((await samples(metrics, 'jg_queue_up'))[0].value).toBe(1);
      expect((await metrics.scrape()).body).toMatch(/^jg_queue_jobs\{queue="jg-roster-sync",state="completed"\} 1$/m);
    } finally {
      await worker.close();
      await closeQueues(queues);
      conn.disconnect();
    }
  }, 120_000);
});
