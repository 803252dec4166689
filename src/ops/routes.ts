// The operator endpoints (issue 10) on a fastify app: /readyz for orchestrators, /metrics for
// Prometheus and /status for staff. /metrics and /status need the staff token (staff-auth.ts); without
// a configured token they answer 403 and say which setting opens them. /healthz stays where it is
// (the diary server has one); `withHealthz` adds it to a bare ops server such as the worker's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from './metrics.js';
import { runReadiness, type ReadinessCheck } from './readiness.js';
import { isStaff } from './staff-auth.js';
import { statusPage } from './status-page.js';
import type { StatusData } from './status.js';

export interface OpsRoutesOptions {
  metrics: GatewayMetrics;
  /** Built per request, so a config reload or a new platform instance shows up without a restart. */
  readiness: () => readonly ReadinessCheck[];
  readinessTimeoutMs?: number;
  /** Absent on processes that have no status to show (the worker). */
  status?: () => Promise<StatusData>;
  /** The staff token; undefined keeps /metrics and /status closed. */
  staffToken?: string;
  /** The setting that holds the token, named in the 403 answer. */
  tokenSetting?: string;
  withHealthz?: boolean;
}

export function registerOpsRoutes(app: FastifyInstance, o: OpsRoutesOptions): void {
  /** Answers the request itself (and returns false) when the caller is not staff. */
  const staffOnly = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (!o.staffToken) {
      void reply.code(403).type('text/plain; charset=utf-8').send(`closed: no staff token is configured (${o.tokenSetting ?? 'web.staffTokenEnv'}); see docs/operations.md\n`);
      return false;
    }
    if (!isStaff(req.headers.authorization, o.staffToken)) {
      void reply.code(401).header('www-authenticate', 'Basic realm="journal-gateway staff", charset="UTF-8"').type('text/plain; charset=utf-8').send('staff token required\n');
      return false;
    }
    return true;
  };

  if (o.withHealthz) app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_req, reply) => {
    const r = await runReadiness(o.readiness(), o.readinessTimeoutMs);
    return reply.code(r.ok ? 200 : 503).send(r);
  });

  app.get('/metrics', async (req, reply) => {
    if (!staffOnly(req, reply)) return reply;
    const { contentType, body } = await o.metrics.scrape();
    return reply.code(200).type(contentType).send(body);
  });

  if (o.status) {
    const status = o.status;
    app.get('/status', async (req, reply) => {
      if (!staffOnly(req, reply)) return reply;
      return reply.code(200).type('text/html; charset=utf-8').send(statusPage(await status()));
    });
  }
}
