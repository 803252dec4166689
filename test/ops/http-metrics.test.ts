// The HTTP layer's metrics hook (issue 10): every attempt is seen once with its status class, 429 and
// 5xx are counted on their own, and rate-limit waits are observed — through the real client and retries.
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/connectors/http/client.js';
import { setHttpMetricsHook } from '../../src/connectors/http/metrics-hook.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { GatewayMetrics } from '../../src/ops/metrics.js';

describe('HTTP metrics hook', () => {
  let server: Server;
  let base: string;
  const answers: number[] = [];
  beforeAll(async () => {
    server = createServer((_req, res) => {
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 || status === 503 ? { 'retry-after': '0' } : {}) });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  afterEach(() => setHttpMetricsHook(undefined));

  it('counts a 429, a 503 and the final 200 of one request, per instance, and the rate-limit waits', async () => {
    const metrics = new GatewayMetrics();
    setHttpMetricsHook(metrics.httpHook);
    resetInstanceGates();
    const http = createHttpClient({ platform: 'eljur', instance: 'ops-test', baseURL: base, rateLimit: { requestsPerSecond: 2, concurrency: 1 }, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    answers.push(429, 503);
    await http.get('/api/getmarks');
    // Two more requests inside the 2-per-second budget's window: the third must wait its turn.
    await Promise.all([http.get('/api/getmarks'), http.get('/api/getmarks')]);
    const text = (await metrics.scrape()).body;
    expect(text).toMatch(/^jg_http_requests_total\{platform="eljur",instance="ops-test",status_class="4xx"\} 1$/m);
    expect(text).toMatch(/^jg_http_requests_total\{platform="eljur",instance="ops-test",status_class="5xx"\} 1$/m);
    expect(text).toMatch(/^jg_http_requests_total\{platform="eljur",instance="ops-test",status_class="2xx"\} 3$/m);
    expect(text).toMatch(/^jg_http_429_total\{platform="eljur",instance="ops-test"\} 1$/m);
    expect(text).toMatch(/^jg_http_5xx_total\{platform="eljur",instance="ops-test"\} 1$/m);
    expect(text).toMatch(/^jg_http_request_duration_seconds_count\{platform="eljur",instance="ops-test"\} 5$/m);
    const waits = Number(/^jg_rate_limit_wait_seconds_count\{platform="eljur",instance="ops-test"\} (\d+)$/m.exec(text)?.[1]);
    expect(waits).toBeGreaterThanOrEqual(1);
    expect(http.stats.snapshot().total).toBe(5);
  });

  it('a throwing observer never fails a request', async () => {
    setHttpMetricsHook({ attempt: () => { throw new Error('broken observer'); }, rateLimitWait: () => { throw new Error('broken'); } });
    resetInstanceGates();
    const http = createHttpClient({ platform: 'eljur', instance: 'ops-test-2', baseURL: base, rateLimit: { requestsPerSecond: 100, concurrency: 1 } });
    expect((await http.get('/api/getmarks')).status).toBe(200);
  });
});
