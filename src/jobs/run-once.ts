// Runs one job through the real queues and waits for a worker to finish it (the demo, and an operator's
// "run it now"): the job goes through BullMQ like a scheduled one — retries, rate limits, the worker's
// processors — and its return value (run summaries) comes back here.
import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { producerConnection, workerConnection } from './connection.js';
import { jobIdFor, type JobData, type JobKind } from './job-types.js';
import { closeQueues, openQueues, queueName } from './queues.js';

export interface JobRunner {
  run<T = unknown>(kind: JobKind, data: JobData, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function openJobRunner(redisUrl: string, prefix: string): Promise<JobRunner> {
  const conn = producerConnection(redisUrl);
  const queues = openQueues(conn, prefix);
  const events = new Map<JobKind, QueueEvents>();
  const eventConnections: { disconnect(): void }[] = [];
  const eventsFor = async (kind: JobKind) => {
    let e = events.get(kind);
    if (!e) {
      const c = workerConnection(redisUrl);
      eventConnections.push(c);
      e = new QueueEvents(queueName(kind), { connection: c, prefix });
      e.on('error', () => {});
      events.set(kind, e);
      await e.waitUntilReady();
    }
    return e;
  };
  return {
    async run<T>(kind: JobKind, data: JobData, timeoutMs = 600_000) {
      const e = await eventsFor(kind);
      const job = await queues.get(kind)!.add(kind, data, { jobId: jobIdFor(kind, data, randomUUID()), attempts: 3, backoff: { type: 'exponential', delay: 1_000 } });
      return (await job.waitUntilFinished(e, timeoutMs)) as T;
    },
    async close() {
      for (const e of events.values()) await e.close();
      for (const c of eventConnections) c.disconnect();
      await closeQueues(queues);
      conn.disconnect();
    },
  };
}
