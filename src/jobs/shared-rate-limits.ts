// A one-off run (`sync`, `push`, `migrate`) next to running workers must count its requests in the workers' budget:
// otherwise the platform sees the workers' full rate plus the run's. The workers keep the budget in Redis
// (redis-rate-limiter.ts); a run joins it whenever there is a Redis the workers could be using — the configured one,
// REDIS_URL, or one on 127.0.0.1:6379 — under the same key prefix. With none, nobody else can be sending through this
// gateway and the run counts for itself.
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import { inProcessRateLimiterFactory, resetInstanceGates, setRateLimiterFactory } from '../connectors/http/rate-limiter.js';
import { pingRedis, shownRedisUrl } from '../infra/redis-service.js';
import { workerConnection } from './connection.js';
import { redisRateLimiterFactory } from './redis-rate-limiter.js';

/** How long a configured Redis may take to answer before the run goes on with its own count. */
const PING_TIMEOUT_MS = 2_000;

/**
 * How long a permit waits for a Redis that went away mid-run before the run fails naming it: longer than a Redis
 * restart (~25 s), so one costs only the wait. Before, the run waited for ever (the connection retries without end).
 */
export const REDIS_LOST_GIVE_UP_MS = 30_000;

export interface SharedRateLimits {
  /** Whether the budget is the workers' (Redis) or this process's own. */
  shared: boolean;
  close(): Promise<void>;
}

/** Installs the workers' Redis budget for the connectors this process creates from now on. */
export async function joinSharedRateLimits(cfg: GatewayConfig, logger: Logger, prefix = 'jg', env: NodeJS.ProcessEnv = process.env): Promise<SharedRateLimits> {
  const url = cfg.redis.url || env.REDIS_URL || ((await pingRedis({ host: '127.0.0.1', port: 6379 })) ? 'redis://127.0.0.1:6379' : undefined);
  if (!url) return { shared: false, close: async () => {} };
  const conn = workerConnection(url);
  const answered = await Promise.race([
    conn.ping().then(() => true, () => false),
    new Promise<false>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref()),
  ]);
  if (!answered) {
    conn.disconnect();
    // The URL is not logged: it may hold a password.
    logger.warn('the workers\' Redis does not answer: this run counts its requests against the platform budget on its own');
    return { shared: false, close: async () => {} };
  }
  setRateLimiterFactory(redisRateLimiterFactory(conn, prefix, { giveUpAfterMs: REDIS_LOST_GIVE_UP_MS, redisShown: shownRedisUrl(url) }));
  resetInstanceGates();
  return {
    shared: true,
    close: async () => {
      setRateLimiterFactory(inProcessRateLimiterFactory);
      resetInstanceGates();
      conn.disconnect();
    },
  };
}
