// Job metrics from BullMQ's own worker events, so the processors and src/jobs/worker.ts stay unaware
// of Prometheus: a completed job's return value is its RunSummary[] (rule violations come from there),
// a failed attempt counts as `failed` even when BullMQ will retry it.
import type { Job, Worker } from 'bullmq';
import type { RunSummary } from '../sync/run-summary.js';
import type { GatewayMetrics } from './metrics.js';

const kindOf = (w: Worker) => w.name.replace(/^jg-/, '');
const durationOf = (job: Job) => (job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0);

export function instrumentWorkers(workers: readonly Worker[], metrics: GatewayMetrics): void {
  for (const w of workers) {
    const kind = kindOf(w);
    w.on('completed', (job, result: unknown) => {
      metrics.observeJob(kind, 'completed', durationOf(job));
      if (Array.isArray(result)) metrics.observeSummaries(result as RunSummary[]);
    });
    w.on('failed', (job) => {
      if (job) metrics.observeJob(kind, 'failed', durationOf(job));
    });
  }
}
