// `journal-gateway schedules --config FILE [--apply]`: the job schedulers in Redis (and with --apply,
// reconcile them with the config first).
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { requireRedis, resolveSharedRedis } from '../../infra/redis-service.js';
import { producerConnection } from '../../jobs/connection.js';
import { closeQueues, openQueues } from '../../jobs/queues.js';
import { desiredSchedules, inConfigState, listSchedules, reconcileSchedules, type LastScheduledRun } from '../../jobs/schedules.js';
import { renderTable } from '../table.js';

export async function run(opts: { config: string; apply?: boolean; prefix: string }): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  const redis = await resolveSharedRedis(cfg.redis.url);
  await requireRedis(redis.url);
  const conn = producerConnection(redis.url);
  const queues = openQueues(conn, opts.prefix);
  try {
    if (opts.apply) await reconcileSchedules(cfg, queues);
    const live = await listSchedules(queues, { lastRuns: true });
    const desired = new Map(desiredSchedules(cfg).map((d) => [d.id, d]));
    // The last run's outcome only, never its error text (it may come from a platform): the worker's log and the
    // status page say why.
    const lastRun = (l: LastScheduledRun | undefined) => (l ? `${new Date(l.finishedOn).toISOString()} ${outcome(l)}` : '—');
    process.stdout.write(`${renderTable(['scheduler', 'school', 'cron', 'time zone', 'next run (UTC)', 'last run (UTC)', 'in config'], live.map((s) => [
      s.id, s.schoolId, s.pattern, s.tz, s.next ? new Date(s.next).toISOString() : '—', lastRun(s.last), inConfigState(s, desired),
    ]))}\n`);
    const missing = [...desired.keys()].filter((d) => !live.some((l) => l.id === d));
    if (missing.length) process.stdout.write(`not yet in Redis (start a worker or run with --apply): ${missing.join(', ')}\n`);
    return 0;
  } finally {
    await closeQueues(queues);
    conn.disconnect();
    await redis.stop();
  }
}

/** A run still retrying after a failed attempt says so, with when it runs again: it is neither `ok` nor yet `FAILED`. */
export function outcome(l: LastScheduledRun): string {
  if (l.state === 'completed') return 'ok';
  if (l.state === 'failed') return `FAILED after ${l.attempts} attempt(s)`;
  const next = l.running ? 'retry running' : l.retryAt ? `next attempt ${new Date(l.retryAt).toISOString()}` : 'next attempt due';
  return `RETRYING after failed attempt ${l.attempts}/${l.maxAttempts ?? '?'}, ${next}`;
}
