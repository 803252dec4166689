// The ops routes on the parents' diary server itself (what `serve` does): the diary's own /healthz and
// security headers stay, /status and /metrics need the staff token; and, when Debian chromium is
// installed, the status page in headless Chromium through the browser's Basic login (issue 10).
import { JOB_KINDS } from '../../src/jobs/job-types.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { createLogger } from '../../src/infra/logger.js';
import { GatewayMetrics } from '../../src/ops/metrics.js';
import { registerOpsRoutes } from '../../src/ops/routes.js';
import { openOps, type OpsRuntime } from '../../src/ops/wire.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildDiaryServer } from '../../src/web/server.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn('skipping the status page browser test: Debian chromium is not installed at /usr/bin/chromium (run `bash scripts/setup.sh chromium`)');

const TOKEN = `staff-${randomUUID()}`;
const logger = createLogger({ level: 'silent', pretty: false });

describe('ops routes on the diary server', () => {
  let store: Store;
  let ops: OpsRuntime;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const cfg = parseConfigText('region: { id: t, name: T }\nschools: []\n', 'ops.yaml');
    ops = openOps(cfg, { redisUrl: inject('redisUrl'), prefix: `jg-test-${randomUUID()}`, store, staffToken: TOKEN, metrics: new GatewayMetrics() });
    app = buildDiaryServer({ store, logger, secure: false }).app;
    registerOpsRoutes(app, ops.routes);
    await app.listen({ host: '127.0.0.1', port: 0 });
    // The producer connection fails fast while it connects; the first scrape would say jg_queue_up 0.
    if (ops.connection.status !== 'ready') await new Promise((r) => ops.connection.once('ready', r));
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await ops?.close();
    await store?.close();
  });

  it('keeps the diary\'s /healthz and headers; /status is the staff page behind the token', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/status' })).statusCode).toBe(401);
    const res = await app.inject({ url: '/status', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('Запусков ещё не было.');
    const metricsText = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;
    expect(metricsText).toMatch(/^jg_queue_up 1$/m);
    expect(metricsText).toMatch(/^jg_queue_jobs\{queue="jg-grade-push",state="waiting"\} 0$/m);
  });

  it.skipIf(!HAS_CHROMIUM)('renders in headless Chromium after the browser\'s Basic login', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      // Without credentials the browser gets the Basic challenge (checked with fetch: Playwright turns an
      // unanswered challenge into a navigation error instead of a status).
      expect((await fetch(`${base}/status`)).headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      const context = await browser.newContext({ locale: 'ru-RU', httpCredentials: { username: 'staff', password: TOKEN } });
      const page = await context.newPage();
      expect((await page.goto(`${base}/status`))?.status()).toBe(200);
      expect(await page.textContent('h1')).toBe('Состояние шлюза');
      expect(await page.textContent('#review-queue')).toBe('0');
      expect(await page.locator('#queues tr').count()).toBe(JOB_KINDS.length + 1); // a header and a row per queue
      expect(await page.locator('h2').allTextContents()).toEqual(['Очереди заданий', 'Последний запуск по школам', 'Ошибки', 'Очередь на проверку', 'Резервные копии']);
    } finally {
      await browser.close();
    }
  });
});
