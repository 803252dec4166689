// /readyz, /metrics and /status on a fastify app with real Redis, a real worker run against the
// Дневник.ру emulator, and the staff token (issue 10).
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { startWorker } from '../../src/jobs/worker.js';
import { buildRecord } from '../../src/model/index.js';
import { naturalId } from '../../src/model/ids.js';
import { GatewayMetrics } from '../../src/ops/metrics.js';
import { registerOpsRoutes } from '../../src/ops/routes.js';
import { checkStaffToken, presentedToken } from '../../src/ops/staff-auth.js';
import { openOps, staffTokenFrom, type OpsRuntime } from '../../src/ops/wire.js';
import { openStore, type Store } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger({ level: 'silent', pretty: false });
const TOKEN = `staff-${randomUUID()}`;
const WINDOW = { from: '2025-09-01', to: '2025-09-07' };


describe('operator endpoints', () => {
  let emu: DnevnikEmulator;
  let emuOpen = true;
  let store: Store;
  let ops: OpsRuntime;
  let app: FastifyInstance;
  let closedApp: FastifyInstance;
  const prefix = `jg-test-${randomUUID()}`;

  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 7, pupils: 16, weeks: 1 });
    const inst = dnevnikInstance('dn-s', emu);
    const cfg = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn-s'], schools: [{ id: 'school-s', sor: 'dn-s', platforms: [{ instance: 'dn-s', schoolId: inst.schoolId }] }] }), 'ops.yaml');
    // The status reads what a real worker left in BullMQ: one completed roster sync, one failed journal sync.
    resetInstanceGates();
    const worker = await startWorker(cfg, logger, { redisUrl: inject('redisUrl'), prefix });
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    ops = openOps(cfg, { redisUrl: inject('redisUrl'), prefix, store, staffToken: TOKEN, metrics: new GatewayMetrics() });
    try {
      await ops.queues.get('roster-sync')!.add('roster-sync', { schoolId: 'school-s', window: WINDOW });
      await ops.queues.get('journal-sync')!.add('journal-sync', { schoolId: 'school-<x>' });
      await waitFor('both jobs finished', async () => {
        const [r, j] = await Promise.all([ops.queues.get('roster-sync')!.getJobCounts('completed'), ops.queues.get('journal-sync')!.getJobCounts('failed')]);
        return r.completed === 1 && j.failed === 1;
      });
    } finally {
      await worker.close();
    }
    app = Fastify({ logger: false });
    registerOpsRoutes(app, { ...ops.routes, withHealthz: true });
    closedApp = Fastify({ logger: false });
    registerOpsRoutes(closedApp, { ...ops.routes, staffToken: undefined });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await closedApp?.close();
    await ops?.close();
    await store?.close();
    if (emuOpen) await emu?.close();
  });

  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('/status needs the staff token: 401 without or with a wrong one, Bearer and Basic both work', async () => {
    expect((await app.inject({ url: '/status' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/status' })).headers['www-authenticate']).toMatch(/^Basic /);
    expect((await app.inject({ url: '/status', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/status', headers: bearer })).statusCode).toBe(200);
    const basic = `Basic ${Buffer.from(`operator:${TOKEN}`).toString('base64')}`;
    expect((await app.inject({ url: '/status', headers: { authorization: basic } })).statusCode).toBe(200);
  });

  it('without a configured token /metrics and /status are closed, never open', async () => {
    for (const url of ['/metrics', '/status']) {
      const res = await closedApp.inject({ url, headers: bearer });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('web.staffTokenEnv');
    }
  });

  it('/status renders the last run per school and kind, the failure with its reason, the review queue and "нет" for backups', async () => {
    const res = await app.inject({ url: '/status', headers: bearer });
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('<h1>Состояние шлюза</h1>');
    const runs = html.slice(html.indexOf('id="last-runs"'), html.indexOf('<h2>Ошибки'));
    expect(runs).toMatch(/<td>school-s<\/td><td>Синхронизация контингента<\/td><td class="completed">успешно<\/td>/);
    expect(runs).toMatch(/создано [1-9]\d*/);
    // The failed job's school id came from job data: escaped, not markup.
    const failures = html.slice(html.indexOf('id="failures"'), html.indexOf('<h2>Очередь'));
    expect(failures).toContain('school-&lt;x&gt;');
    expect(failures).not.toContain('school-<x>');
    expect(failures).toContain('no school &quot;school-&lt;x&gt;&quot; in the configuration');
    expect(html).toMatch(/id="review-queue">0</);
    // The queue view: counts per queue and state, straight from BullMQ.
    const queues = html.slice(html.indexOf('id="queues"'), html.indexOf('<h2>Последний'));
    expect(queues).toMatch(/<tr><td>Синхронизация контингента<\/td><td data-state="waiting">0<\/td><td data-state="active">0<\/td><td data-state="delayed">0<\/td><td data-state="failed">0<\/td><td data-state="completed">1<\/td><\/tr>/);
    expect(queues).toMatch(/<tr><td>Синхронизация журнала<\/td>.*<td data-state="failed">1<\/td><td data-state="completed">0<\/td><\/tr>/);
    expect(html).toMatch(/<tr><td>school-s<\/td><td>нет<\/td>/);
  });

  it('/status shows the last verified backup from archive_snapshot records', async () => {
    const at = '2026-11-28T22:00:00.000Z';
    const fields = {
      organizationId: schoolCanonicalId('school-s'), schoolYear: 2026, kind: 'nightly_backup' as const, createdAt: '2026-11-28T21:00:00.000Z',
      contentHash: 'a'.repeat(64), hashAlgorithm: 'sha256', signature: 'sig', retainUntil: '2031-08-31',
      copies: [
        { medium: 'disk-a', siteRoom: '101', storedAt: '2026-11-28T21:30:00.000Z', verifiedAt: at },
        { medium: 'nas', siteRoom: '205', storedAt: '2026-11-28T21:40:00.000Z' },
      ],
    };
    const prov = { system: 'gateway' as const, instance: 'backup', fetchedAt: at, payloadHash: 'x', runId: 'backup-test', mapperVersion: 'backup-1' };
    await store.upsert(buildRecord('archive_snapshot', fields, { id: naturalId('archive_snapshot', 'school-s', 'test'), sourceRefs: [], provenance: prov }), { runId: 'backup-test' });
    const html = (await app.inject({ url: '/status', headers: bearer })).body;
    expect(html).toMatch(/<tr><td>school-s<\/td><td>28\.11\.2026 22:00 UTC<\/td><td>ночная копия<\/td>/);
  });

  it('/metrics answers Prometheus text with the queue gauges', async () => {
    const res = await app.inject({ url: '/metrics', headers: bearer });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^jg_queue_jobs\{queue="jg-roster-sync",state="completed"\} 1$/m);
    expect(res.body).toMatch(/^jg_queue_jobs\{queue="jg-journal-sync",state="failed"\} 1$/m);
  });

  it('/healthz is 200; /readyz is 200 with every check, then 503 naming the platform once it is down', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const up = await app.inject({ url: '/readyz' });
    expect(up.statusCode).toBe(200);
    expect(Object.keys(up.json().checks).sort()).toEqual(['platform:dn-s', 'redis', 'store']);
    expect(up.json().ok).toBe(true);
    await emu.close();
    emuOpen = false;
    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    const body = down.json();
    expect(body.ok).toBe(false);
    expect(body.checks['platform:dn-s']).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED|no answer/) });
    expect(body.checks.redis.ok).toBe(true);
    expect(body.checks.store.ok).toBe(true);
    expect(down.body).not.toContain(emu.baseUrl);
  });

  it('the staff token: bad settings are clear errors, and a header yields its token', () => {
    expect(() => checkStaffToken(undefined, 'JG_STAFF_TOKEN')).toThrow(/JG_STAFF_TOKEN is empty/);
    expect(() => checkStaffToken('short', 'JG_STAFF_TOKEN')).toThrow(/too short/);
    const cfg = parseConfigText(`region: { id: t, name: T }\nweb: { staffTokenEnv: JG_OPS_TEST_TOKEN }\n`, 'x.yaml');
    expect(() => staffTokenFrom(cfg, {})).toThrow(/JG_OPS_TEST_TOKEN \(web.staffTokenEnv\) is empty/);
    expect(staffTokenFrom(cfg, { JG_OPS_TEST_TOKEN: TOKEN })).toBe(TOKEN);
    expect(staffTokenFrom(parseConfigText('region: { id: t, name: T }\n', 'x.yaml'), { JG_OPS_TEST_TOKEN: TOKEN })).toBeUndefined();
    expect(() => parseConfigText('region: { id: t, name: T }\nweb: { staffTokenEnv: "my token" }\n', 'x.yaml')).toThrow(/environment variable name/);
    expect(presentedToken('Basic ' + Buffer.from('a:b:c').toString('base64'))).toBe('b:c');
    expect(presentedToken('Digest abc')).toBeUndefined();
  });
});
