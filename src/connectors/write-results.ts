// How a platform's answer to a write becomes a WriteResult (contract.ts), the same for every connector.
import type { WriteResult } from './contract.js';
import { GatewayHttpError } from './http/index.js';

/**
 * A write that did not go through. `refused` (not sent again) only when the platform refused this data — a 4xx it
 * gives for the request itself. An account the platform does not let write (403, or still 401 after a re-login) is
 * the operator's to fix: `failed` and retried by every push until it goes through, so no mark is dropped for it
 * (a 403 in the middle of a push used to refuse that one mark for good). Anything else (network, 5xx, an answer
 * that was not the write's) is `failed` and retried.
 */
/** The platform refused the request itself (not a transient or a configuration failure): sending it again is no use. */
export function isRefusal(e: unknown): boolean {
  return e instanceof GatewayHttpError && e.action === 'fail' && e.failureType === 'system';
}

/** The platform refused the account rather than the request (403, or still 401 after a re-login): the operator's to fix. */
export function isAccountRefusal(e: unknown): boolean {
  return e instanceof GatewayHttpError && e.failureType === 'config' && (e.status === 401 || e.status === 403);
}

export function writeFailure(operationId: string, e: unknown): WriteResult {
  if (e instanceof GatewayHttpError) {
    const refused = isRefusal(e);
    return {
      operationId, status: refused ? 'refused' : 'failed', reason: e.message, retryable: !refused, ...(isAccountRefusal(e) ? { accountRefused: true } : {}),
      ...(!refused && e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    };
  }
  return { operationId, status: 'failed', reason: (e as Error).message, retryable: true };
}

/**
 * The platform's id of what a write created, from its answer. A success without one did not demonstrably write
 * anything: it is a failed write (retried), never "applied" — an ЭПОС answer without `id` was linked in the crosswalk
 * as the platform id "undefined", and the next such answer stopped the push with a crosswalk conflict.
 */
export function createdId(answer: unknown, field: string, what: string): string {
  const v = answer !== null && typeof answer === 'object' ? (answer as Record<string, unknown>)[field] : undefined;
  if ((typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v))) return String(v);
  throw new Error(`the platform answered the ${what} write without its id (\`${field}\`): not counted as written`);
}
