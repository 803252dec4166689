// The jobs' backoff between attempts: BullMQ's exponential one (30 s doubling, with jitter), but never shorter than a
// platform asked to wait. A hold longer than a run waits (`Retry-After` above the HTTP layer's `maxRetryAfterMs`, 2 min)
// reaches the job as a `rate_limited` (or `retry`) GatewayHttpError with `retryAfterMs`; with the plain exponential
// backoff every attempt (~8 minutes for all 5) fell inside a 10-minute hold and the school's nightly sync ended failed,
// although waiting would have succeeded. A wait still spends an attempt, so a platform that never lets go fails the
// job after its attempts, not retries it for ever. BullMQ asks the worker's `backoffStrategy` only for a type it does
// not know itself: hence a type of its own.
import { Backoffs, type BackoffOptions, type MinimalJob } from 'bullmq';
import { isGatewayHttpError } from '../connectors/http/errors.js';
import { PushFailedError } from '../sync/push-failures.js';

export const JOB_BACKOFF_TYPE = 'exponential-or-retry-after';

/** The longest wait a platform's word buys; a hold beyond it is waited out in several attempts or fails the job. */
export const MAX_PLATFORM_WAIT_MS = 60 * 60_000;

/** The `backoffStrategy` of the worker's settings: exponential, or the platform's wait if that is longer. */
export function jobBackoff(attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob): number {
  const { delay = 0, jitter = 0 } = (job?.opts.backoff ?? {}) as BackoffOptions;
  const exponential = Backoffs.builtinStrategies.exponential!(delay, jitter)(attemptsMade, 'exponential', err, job) as number;
  return Math.max(exponential, Math.min(platformWaitMs(err), MAX_PLATFORM_WAIT_MS));
}

/**
 * What the platform asked to wait in the failure or its causes (an error wrapped by a processor keeps it as `cause`);
 * a push's failed writes carry the longest wait a target asked for.
 */
function platformWaitMs(err: unknown): number {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((isGatewayHttpError(e) || e instanceof PushFailedError) && e.retryable && e.retryAfterMs !== undefined) return e.retryAfterMs;
  }
  return 0;
}
