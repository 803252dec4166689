import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyOutcome, defaultClassify, isIdempotent, parseRetryAfter, type HttpOutcome } from '../../src/connectors/http/index.js';

const resp = (status: number, headers: Record<string, string> = {}, data: unknown = {}): HttpOutcome =>
  ({ kind: 'response', status, headers, data, method: 'GET', route: '/x' });

describe('error taxonomy (engineering.md §1.3)', () => {
  it.each([
    [200, 'ok'], [401, 'refresh_auth'], [403, 'fail'], [404, 'fail'], [408, 'retry'], [429, 'rate_limited'], [500, 'retry'], [503, 'retry'],
  ])('status %i → %s', (status, action) => {
    expect(defaultClassify(resp(status)).action).toBe(action);
  });

  it('failure types: 401/403 config, 429/5xx transient, 400 system', () => {
    expect(defaultClassify(resp(401)).failureType).toBe('config');
    expect(defaultClassify(resp(403)).failureType).toBe('config');
    expect(defaultClassify(resp(429)).failureType).toBe('transient');
    expect(defaultClassify(resp(502)).failureType).toBe('transient');
    expect(defaultClassify(resp(400)).failureType).toBe('system');
  });

  it('network: a reset is retried as transient, an unknown host is a config failure', () => {
    expect(defaultClassify({ kind: 'network', code: 'ECONNRESET', message: 'reset', method: 'GET', route: '/x' })).toMatchObject({ action: 'retry', failureType: 'transient' });
    expect(defaultClassify({ kind: 'network', code: 'ENOTFOUND', message: 'dns', method: 'GET', route: '/x' })).toMatchObject({ action: 'fail', failureType: 'config' });
    expect(defaultClassify({ kind: 'network', code: 'ERR_BAD_RESPONSE', message: 'maxContentLength size of 10 exceeded', method: 'GET', route: '/x' }).action).toBe('fail');
  });

  it('a platform hook wins, and keeps the server Retry-After', () => {
    const r = classifyOutcome(resp(200, { 'retry-after': '3' }), () => ({ action: 'rate_limited', failureType: 'transient' }));
    expect(r).toMatchObject({ action: 'rate_limited', retryAfterMs: 3000 });
    expect(classifyOutcome(resp(500), () => undefined).action).toBe('retry');
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(['2'])).toBe(2_000);
  });
  it('reads an HTTP-date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
  });
  it('ignores garbage and absence', () => {
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter inside [ceiling/2, ceiling] and is capped', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(20, 100, 1_000, () => 1)).toBe(1_000);
  });
  it('only idempotent methods are retried by default', () => {
    expect(isIdempotent('get')).toBe(true);
    expect(isIdempotent('PUT')).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
  });
});
