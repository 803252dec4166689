// `journal-gateway worker --config FILE`: a worker process for every job kind; reconciles the
// schedules from the config at start-up (changing the config and restarting updates them), and sets them
// up again if Redis loses them while it runs.
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { requireRedis, resolveSharedRedis } from '../../infra/redis-service.js';
import { createLogger } from '../../infra/logger.js';
import { openJobContext } from '../../jobs/job-context.js';
import { keepSchedules } from '../../jobs/schedule-keeper.js';
import { startWorker } from '../../jobs/worker.js';
import { instrumentWorkers } from '../../ops/worker-metrics.js';
import { schedulesCheck } from '../../ops/readiness.js';
import { buildOpsServer, openOps, staffTokenFrom } from '../../ops/wire.js';
import { parseCount, parsePort } from '../options.js';
import { listenOrClose } from '../listen.js';
import { UsageError } from '../../infra/operator-errors.js';
import { EXIT } from '../exit-codes.js';

export async function run(opts: { config: string; concurrency: string; prefix: string; schedules: boolean; metricsPort?: string; metricsHost?: string }): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  const logger = createLogger({ level: cfg.logging.level, pretty: cfg.logging.pretty });
  // Checked before anything starts: a metrics port without a staff token would be an open /metrics.
  const metricsPort = opts.metricsPort === undefined ? undefined : parsePort('--metrics-port', opts.metricsPort);
  const staffToken = metricsPort === undefined ? undefined : staffTokenFrom(cfg);
  if (metricsPort !== undefined && !staffToken) throw new UsageError(`--metrics-port needs a staff token: set web.staffTokenEnv in ${opts.config} and that environment variable (docs/operations.md)`);
  const concurrency = parseCount('--concurrency', opts.concurrency, 1);
  const redis = await resolveSharedRedis(cfg.redis.url);
  await requireRedis(redis.url);
  // Reconciled now, then kept: set up again if Redis loses them while the worker runs (schedule-keeper.ts).
  const keeper = opts.schedules === false ? undefined : await keepSchedules(cfg, logger, { redisUrl: redis.url, prefix: opts.prefix }).catch(async (e: unknown) => {
    await redis.stop();
    throw e;
  });
  // The store is opened here, not inside the worker, so /readyz can check the very store the jobs write to.
  const ctx = await openJobContext(cfg, logger).catch(async (e: unknown) => {
    // The keeper's connection would keep a worker that cannot start alive, doing nothing.
    await keeper?.close();
    throw e;
  });
  // The metrics hook goes in before the worker builds any connector, so no request goes uncounted.
  const ops = metricsPort !== undefined ? openOps(cfg, { redisUrl: redis.url, prefix: opts.prefix, staffToken, store: ctx.store, checks: keeper ? [schedulesCheck(keeper)] : [] }) : undefined;
  const worker = await startWorker(cfg, logger, { redisUrl: redis.url, prefix: opts.prefix, concurrency, store: ctx.store });
  const opsServer = ops ? buildOpsServer(ops.routes) : undefined;
  /** Schedules, the worker (its current jobs finished or handed back) and the metrics server, in that order. */
  const stopTakingJobs = async () => {
    await keeper?.close();
    const closed = await worker.close();
    await opsServer?.close();
    await ops?.close();
    return closed;
  };
  if (ops && opsServer && metricsPort !== undefined) {
    instrumentWorkers(worker.workers, ops.metrics);
    const host = opts.metricsHost ?? '127.0.0.1';
    // A port another process holds: the worker already takes jobs, so it would run on without its metrics after the
    // error was printed. It is stopped the way a signal stops it, and the address is named.
    await listenOrClose(opsServer, host, metricsPort, async () => {
      await stopTakingJobs().catch(() => undefined);
      await ctx.close();
      await redis.stop();
    }, '--metrics-port');
    logger.info({ url: `http://${host}:${(opsServer.server.address() as { port: number }).port}/metrics` }, 'worker metrics listening');
  }
  logger.info({ pid: process.pid, redis: redis.origin }, 'worker started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  logger.info('shutting down: finishing current jobs');
  const { handedBack } = await stopTakingJobs();
  if (handedBack) {
    // A job cut off by the deadline still holds the store and its platform's sockets: the process ends here (exit 1,
    // the job is not done — another worker takes it over), not when that work would have ended.
    logger.warn('exiting with a job handed back');
    await redis.stop();
    process.exit(EXIT.failed);
  }
  await ctx.close();
  await redis.stop();
  return 0;
}
