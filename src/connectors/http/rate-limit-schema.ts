// The rate-limit settings of a platform instance, as the gateway config and every connector's own config take them:
// one schema, so a budget means the same wherever it is written (rate-limiter.ts permitWindow).
import { z } from 'zod';

/**
 * A platform's budget holds in every rolling second, and a second cannot hold 2.7 requests: above 1 a budget must be
 * whole. Refused rather than rounded, so the operator decides which side of the platform's limit to stay on.
 */
export const RequestsPerSecond = z.number().positive().refine((r) => r <= 1 || Number.isInteger(r), {
  message: 'above 1 request a second the budget must be a whole number (no second may see more than it: write 2 for 2.7); below 1 it is one request per 1/r seconds (0.5 = one every 2 s)',
});

export const RateLimitFields = {
  requestsPerSecond: RequestsPerSecond,
  concurrency: z.number().int().positive(),
  /**
   * Extra width of the limiter's window (ms): a permit is stamped when a request leaves, the platform counts it when
   * it arrives, so scheduling and network jitter need headroom. Default 10 (rate-limiter.ts DEFAULT_WINDOW_MARGIN_MS;
   * docs/sync.md "Rate limits").
   */
  windowMarginMs: z.number().int().min(0).max(2000).optional(),
};

/** A connector's `rateLimit` option with the platform's default budget. */
export const connectorRateLimit = (defaults: { requestsPerSecond: number; concurrency: number }) => z.object(RateLimitFields).default(defaults);
