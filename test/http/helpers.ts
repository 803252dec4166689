// Shared test helpers for the HTTP layer.
import { expect } from 'vitest';
import { createHttpClient, GatewayHttpError, type HttpClientOptions } from '../../src/connectors/http/index.js';

let n = 0;
export const ORIGIN = 'http://journal.test';

/** A client with a fresh instance name (so rate gates never leak between tests) and fast retries. */
export function testClient(over: Partial<HttpClientOptions> = {}) {
  n++;
  return createHttpClient({
    platform: 'asurso',
    instance: `test-${n}-${Math.random().toString(36).slice(2, 8)}`,
    baseURL: ORIGIN,
    rateLimit: { requestsPerSecond: 100, concurrency: 4 },
    timeoutMs: 2_000,
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 50 },
    ...over,
  });
}

/** Largest number of timestamps inside any window of `windowMs`. */
export function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** The GatewayHttpError `p` fails with (a test fails if it succeeds or fails otherwise). */
export async function failure(p: Promise<unknown>): Promise<GatewayHttpError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayHttpError);
    return e as GatewayHttpError;
  }
  throw new Error('expected a failure');
}
