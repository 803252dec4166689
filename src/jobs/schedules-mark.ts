// A mark in Redis that the job schedulers were set up there (by a worker's start or `schedules --apply`). Redis that
// lost its data (a restart without persistence, a FLUSHALL) lost the mark with the schedulers, so a worker can tell
// "Redis forgot them: set them up again" from "another worker's newer configuration removed some": restoring on the
// second would bring back, for good, a school or schedule an operator has just taken out.
import type { Queue } from 'bullmq';
import type { JobData, JobKind } from './job-types.js';

function markOf(queues: Map<JobKind, Queue<JobData>>): { queue: Queue<JobData>; key: string } {
  const queue = queues.values().next().value;
  if (!queue) throw new Error('no queues to keep the schedules mark with');
  return { queue, key: `${queue.opts.prefix ?? 'bull'}:jg-schedules:reconciled` };
}

export async function markSchedulesReconciled(queues: Map<JobKind, Queue<JobData>>): Promise<void> {
  const { queue, key } = markOf(queues);
  await (await queue.getBackend().client).set(key, new Date().toISOString());
}

export async function schedulesReconciled(queues: Map<JobKind, Queue<JobData>>): Promise<boolean> {
  const { queue, key } = markOf(queues);
  return (await (await queue.getBackend().client).get(key)) !== null;
}
