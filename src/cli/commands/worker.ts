// `journal-gateway worker --config FILE`: a worker process for every job kind; reconciles the
// schedules from the config at start-up (changing the config and restarting updates them).
import { loadConfigFile } from '../../config/load.js';
import { resolveRedis } from '../../infra/redis-service.js';
import { createLogger } from '../../infra/logger.js';
import { producerConnection } from '../../jobs/connection.js';
import { closeQueues, openQueues } from '../../jobs/queues.js';
import { reconcileSchedules } from '../../jobs/schedules.js';
import { startWorker } from '../../jobs/worker.js';
import { parseCount } from '../options.js';

export async function run(opts: { config: string; concurrency: string; prefix: string; schedules: boolean }): Promise<number> {
  const cfg = loadConfigFile(opts.config);
  const logger = createLogger({ level: cfg.logging.level, pretty: cfg.logging.pretty });
  const redis = await resolveRedis({ env: cfg.redis.url ? { REDIS_URL: cfg.redis.url } : process.env });
  if (opts.schedules !== false) {
    const conn = producerConnection(redis.url);
    const queues = openQueues(conn, opts.prefix);
    const r = await reconcileSchedules(cfg, queues);
    logger.info(r, 'schedules reconciled from the configuration');
    await closeQueues(queues);
    conn.disconnect();
  }
  const worker = await startWorker(cfg, logger, { redisUrl: redis.url, prefix: opts.prefix, concurrency: parseCount('--concurrency', opts.concurrency, 1) });
  logger.info({ pid: process.pid, redis: redis.origin }, 'worker started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  logger.info('shutting down: finishing current jobs');
  await worker.close();
  await redis.stop();
  return 0;
}
