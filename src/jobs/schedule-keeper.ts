// Keeps the configuration's job schedulers in Redis for as long as the worker runs. They used to be set up once, at
// start-up: after Redis lost its data (a restart without persistence, a FLUSHALL) the worker stayed up, /readyz said
// 200, and no scheduled job ever ran again. Now the worker checks every `intervalMs` and whenever its connection comes
// back, sets the schedulers up again when Redis has forgotten them (schedules-mark.ts tells that case apart), logs it
// once, and `ensure()` — the readiness check — fails while they are missing and cannot be restored.
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import { producerConnection } from './connection.js';
import { closeQueues, openQueues } from './queues.js';
import { missingSchedules, reconcileSchedules } from './schedules.js';
import { schedulesReconciled } from './schedules-mark.js';

export interface ScheduleKeeper {
  /** Restores the schedulers if Redis lost them; throws while any of the configuration's is missing. */
  ensure(): Promise<void>;
  close(): Promise<void>;
}

export interface ScheduleKeeperOptions {
  redisUrl: string;
  prefix: string;
  /** How often Redis is asked (one EXISTS, and the schedulers' list): a FLUSHALL is noticed within this time. */
  intervalMs?: number;
}

/** Reconciles the schedules now (a failure is the caller's: the worker does not start), then keeps them. */
export async function keepSchedules(cfg: GatewayConfig, logger: Logger, opts: ScheduleKeeperOptions): Promise<ScheduleKeeper> {
  const conn = producerConnection(opts.redisUrl);
  const queues = openQueues(conn, opts.prefix);
  let closed = false;
  const close = async () => {
    closed = true;
    clearInterval(timer);
    await closeQueues(queues);
    conn.disconnect();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    logger.info(await reconcileSchedules(cfg, queues), 'schedules reconciled from the configuration');
  } catch (e) {
    // Closed on a failure too: open connections kept a failed worker alive, doing nothing, for good.
    await close();
    throw e;
  }

  let inFlight: Promise<void> | null = null;
  let failing = false;
  const check = async () => {
    if (!(await schedulesReconciled(queues))) {
      const r = await reconcileSchedules(cfg, queues);
      logger.warn(r, 'job schedulers were gone from Redis (it lost its data): set up again from the configuration');
    }
    const missing = await missingSchedules(cfg, queues);
    // Redis holds the mark but not these: another worker reconciled a newer configuration without them. Restoring
    // them would undo that operator's change; this worker's configuration is the stale one.
    if (missing.length) throw new Error(`${missing.length} job scheduler(s) of this worker's configuration are not in Redis (${missing.join(', ')}): another configuration was applied; restart this worker with it`);
  };
  // One check at a time: the timer, a reconnect and /readyz may ask together.
  const ensure = () => (inFlight ??= check().finally(() => { inFlight = null; }));
  // Background checks log a failure once per episode, and say when it is over, instead of once per interval.
  const watch = () => {
    ensure().then(() => {
      if (failing) logger.info('job schedulers are in Redis again');
      failing = false;
    }, (e: Error) => {
      // A check cut off by the shutdown is not a lost scheduler.
      if (closed) return;
      if (!failing) logger.error({ err: e.message }, 'job schedulers missing from Redis and not restored: no scheduled job runs until they are');
      failing = true;
    });
  };
  timer = setInterval(watch, opts.intervalMs ?? 15_000).unref();
  // A Redis that restarted empty is noticed as soon as the connection is back, not an interval later.
  conn.on('ready', watch);
  return { ensure, close };
}
