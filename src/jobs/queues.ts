// One queue per job kind, so metrics and dashboards show each kind on its own. `prefix` isolates
// gateways (and test runs) sharing one Redis.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, JOB_KINDS, type JobData, type JobKind } from './job-types.js';

export const queueName = (kind: JobKind) => `jg-${kind}`;

export function openQueues(connection: Redis, prefix = 'jg'): Map<JobKind, Queue<JobData>> {
  const out = new Map<JobKind, Queue<JobData>>();
  for (const kind of JOB_KINDS) {
    const q = new Queue<JobData>(queueName(kind), { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    q.on('error', () => {}); // reported through the worker's health; an unhandled 'error' would crash the process
    out.set(kind, q);
  }
  return out;
}

export async function closeQueues(queues: Map<JobKind, Queue<JobData>>): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
}
