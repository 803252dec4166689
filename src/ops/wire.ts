// Puts the ops pieces together for a process (`serve`, `worker`): one metrics registry installed as the
// HTTP layer's hook, the BullMQ queues it reads at scrape time, the readiness checks and the status
// source, and the staff token from the environment variable the config names.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { setHttpMetricsHook } from '../connectors/http/metrics-hook.js';
import type { GatewayConfig } from '../config/schema.js';
import { producerConnection } from '../jobs/connection.js';
import type { JobData, JobKind } from '../jobs/job-types.js';
import { closeQueues, openQueues } from '../jobs/queues.js';
import type { Store } from '../store/index.js';
import type { Queue } from 'bullmq';
import { GatewayMetrics } from './metrics.js';
import { platformChecks, redisCheck, storeCheck, type ReadinessCheck } from './readiness.js';
import { registerOpsRoutes, type OpsRoutesOptions } from './routes.js';
import { checkStaffToken } from './staff-auth.js';
import { collectStatus } from './status.js';

/** The staff token, or undefined when `web.staffTokenEnv` is not set. A named but empty/short variable is an error. */
export function staffTokenFrom(cfg: GatewayConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = cfg.web?.staffTokenEnv;
  if (!name) return undefined;
  return checkStaffToken(env[name], `environment variable ${name} (web.staffTokenEnv)`);
}

export interface OpsRuntime {
  metrics: GatewayMetrics;
  queues: Map<JobKind, Queue<JobData>>;
  connection: Redis;
  routes: OpsRoutesOptions;
  close(): Promise<void>;
}

export function openOps(cfg: GatewayConfig, o: { redisUrl: string; prefix?: string; store?: Store; staffToken?: string; metrics?: GatewayMetrics; checks?: readonly ReadinessCheck[] }): OpsRuntime {
  const metrics = o.metrics ?? new GatewayMetrics({ processMetrics: true });
  setHttpMetricsHook(metrics.httpHook);
  const connection = producerConnection(o.redisUrl);
  const queues = openQueues(connection, o.prefix ?? 'jg');
  metrics.watchQueues(queues.values(), connection);
  const store = o.store;
  const routes: OpsRoutesOptions = {
    metrics, tokenSetting: 'web.staffTokenEnv',
    ...(o.staffToken ? { staffToken: o.staffToken } : {}),
    readiness: () => [redisCheck(connection), ...(store ? [storeCheck(store)] : []), ...(o.checks ?? []), ...platformChecks(cfg.platforms)],
    ...(store ? { status: () => collectStatus({ queues, connection, store, schools: cfg.schools }) } : {}),
  };
  return {
    metrics, queues, connection, routes,
    async close() {
      setHttpMetricsHook(undefined);
      await closeQueues(queues);
      connection.disconnect();
    },
  };
}

/** A bare server with /healthz, /readyz and /metrics: the worker's `--metrics-port`. */
export function buildOpsServer(routes: OpsRoutesOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  // The same protective headers as `serve`: /status shows failure reasons and school ids behind the staff token.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    return payload;
  });
  registerOpsRoutes(app, { ...routes, withHealthz: true });
  return app;
}
