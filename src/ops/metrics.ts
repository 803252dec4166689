// The gateway's Prometheus metrics (DECISIONS.md §10, issue 10): one registry per process, fed by the
// HTTP layer's hook, by the worker's job events and by run summaries; BullMQ queue sizes are read at
// scrape time. Labels are bounded, operator-chosen names only — platform id, instance name, job kind,
// rule id, queue name — never a school's pupil, a person id, a URL or a token.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HttpAttemptEvent, HttpMetricsHook } from '../connectors/http/metrics-hook.js';
import type { RunSummary } from '../sync/run-summary.js';

export type JobOutcome = 'completed' | 'failed';

/** `2xx`…`5xx`, or `network` when no answer came. */
export const statusClass = (status: number | 'network'): string => (status === 'network' ? 'network' : `${Math.floor(status / 100)}xx`);

/** The rule id at the head of a quarantine reason (`R-07 mark: refused by the rule` → `R-07`). */
export function ruleIdOf(reason: string): string | null {
  const m = /^(R-\d{2,3})\b/.exec(reason.trim());
  return m ? m[1] : null;
}

// Seconds; platform answers range from tens of milliseconds to the 30 s timeout.
const HTTP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60];
const JOB_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'platform' | 'instance' | 'status_class'>;
  private readonly httpLatency: Histogram<'platform' | 'instance'>;
  private readonly http429: Counter<'platform' | 'instance'>;
  private readonly http5xx: Counter<'platform' | 'instance'>;
  private readonly rateLimitWait: Histogram<'platform' | 'instance'>;
  private readonly jobDuration: Histogram<'kind' | 'outcome'>;
  private readonly jobOutcomes: Counter<'kind' | 'outcome'>;
  private readonly ruleViolations: Counter<'rule'>;
  private readonly quarantined: Counter<'kind'>;
  private readonly queues = new Map<string, Queue>();
  private connection: Redis | undefined;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'jg_' });
    this.httpRequests = new Counter({ name: 'jg_http_requests_total', help: 'Platform HTTP attempts (each retry counts) by status class', labelNames: ['platform', 'instance', 'status_class'], registers });
    this.httpLatency = new Histogram({ name: 'jg_http_request_duration_seconds', help: 'Platform HTTP attempt latency', labelNames: ['platform', 'instance'], buckets: HTTP_BUCKETS, registers });
    this.http429 = new Counter({ name: 'jg_http_429_total', help: 'Platform answers 429 Too Many Requests', labelNames: ['platform', 'instance'], registers });
    this.http5xx = new Counter({ name: 'jg_http_5xx_total', help: 'Platform answers with a 5xx status', labelNames: ['platform', 'instance'], registers });
    this.rateLimitWait = new Histogram({ name: 'jg_rate_limit_wait_seconds', help: 'Time a request waited for its rate-limit / concurrency turn', labelNames: ['platform', 'instance'], buckets: WAIT_BUCKETS, registers });
    this.jobDuration = new Histogram({ name: 'jg_job_duration_seconds', help: 'Job run time by kind and outcome', labelNames: ['kind', 'outcome'], buckets: JOB_BUCKETS, registers });
    this.jobOutcomes = new Counter({ name: 'jg_jobs_total', help: 'Finished job attempts by kind and outcome (completed, failed)', labelNames: ['kind', 'outcome'], registers });
    this.ruleViolations = new Counter({ name: 'jg_rule_violations_total', help: 'Records refused by a canonical rule (R-xx), from run summaries', labelNames: ['rule'], registers });
    this.quarantined = new Counter({ name: 'jg_quarantined_records_total', help: 'Records quarantined by sync runs (every reason)', labelNames: ['kind'], registers });
    // One read of Redis per scrape, shared by both gauges: prom-client collects metrics concurrently,
    // so jg_queue_up must wait for the same read rather than report the previous scrape's.
    let inflight: Promise<{ up: number; counts: [string, Record<string, number>][] }> | null = null;
    const queues = this.queues;
    const connectionStatus = () => this.connection?.status ?? 'end';
    const read = () => (inflight ??= (async () => {
      let up = 1;
      const counts: [string, Record<string, number>][] = [];
      for (const [name, q] of queues) {
        try {
          // BullMQ answers zeros, not an error, from a connection that is down: ask the connection first.
          if (connectionStatus() !== 'ready') throw new Error(`redis connection ${connectionStatus()}`);
          counts.push([name, await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed')]);
        } catch {
          up = 0; // Redis away: the scrape still answers, and jg_queue_up says why the counts are missing
        }
      }
      return { up, counts };
    })().finally(() => {
      inflight = null;
    }));
    new Gauge({
      name: 'jg_queue_jobs', help: 'BullMQ jobs per queue and state, read at scrape time', labelNames: ['queue', 'state'], registers,
      // Read when Prometheus scrapes, so the numbers are Redis' own and no poller runs in between.
      async collect() {
        const { counts } = await read();
        this.reset();
        for (const [name, c] of counts) for (const [state, n] of Object.entries(c)) this.set({ queue: name, state }, n);
      },
    });
    new Gauge({
      name: 'jg_queue_up', help: '1 when every watched BullMQ queue answered at the last scrape', registers,
      async collect() {
        this.set((await read()).up);
      },
    });
  }

  /** The observer to install with `setHttpMetricsHook`. */
  get httpHook(): HttpMetricsHook {
    return {
      attempt: (e: HttpAttemptEvent) => {
        const l = { platform: e.platform, instance: e.instance };
        this.httpRequests.inc({ ...l, status_class: statusClass(e.status) });
        this.httpLatency.observe(l, e.durationMs / 1000);
        if (e.status === 429) this.http429.inc(l);
        else if (typeof e.status === 'number' && e.status >= 500) this.http5xx.inc(l);
      },
      rateLimitWait: (e) => this.rateLimitWait.observe({ platform: e.platform, instance: e.instance }, e.ms / 1000),
    };
  }

  /** One finished job attempt. */
  observeJob(kind: string, outcome: JobOutcome, durationMs: number): void {
    this.jobOutcomes.inc({ kind, outcome });
    this.jobDuration.observe({ kind, outcome }, Math.max(0, durationMs) / 1000);
  }

  /** Quarantine reasons of run summaries: rule ids become `jg_rule_violations_total{rule}`. */
  observeSummaries(summaries: readonly RunSummary[]): void {
    for (const s of summaries) {
      if (s.quarantined) this.quarantined.inc({ kind: s.kind }, s.quarantined);
      for (const [reason, n] of Object.entries(s.quarantineReasons)) {
        const rule = ruleIdOf(reason);
        if (rule && n > 0) this.ruleViolations.inc({ rule }, n);
      }
    }
  }

  /** Times `run` as a job of `kind` (the one-off CLI path and tests; the worker uses job events). */
  async timeJob(kind: string, run: () => Promise<RunSummary[]>): Promise<RunSummary[]> {
    const t0 = Date.now();
    try {
      const summaries = await run();
      this.observeJob(kind, 'completed', Date.now() - t0);
      this.observeSummaries(summaries);
      return summaries;
    } catch (e) {
      this.observeJob(kind, 'failed', Date.now() - t0);
      throw e;
    }
  }

  /** Queues whose counts are read at every scrape, labelled by their name (`jg-roster-sync`), over `connection`. */
  watchQueues(queues: Iterable<Queue>, connection: Redis): void {
    for (const q of queues) this.queues.set(q.name, q);
    this.connection = connection;
  }

  /** Prometheus text exposition. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
