// A web server as `serve` builds it, with staff accounts: the parents' diary, the ops routes and the staff
// side (login, reports, status, Bull Board) over a PGlite memory store holding a small synthetic school, and
// the gateway's queues under a random prefix on the real Redis. Two accounts: `region` sees every school,
// `north` only the synthetic school. Every log line is captured for the checks that nothing secret is logged.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { GatewayMetrics } from '../../src/ops/metrics.js';
import { registerOpsRoutes } from '../../src/ops/routes.js';
import { openOps, type OpsRuntime } from '../../src/ops/wire.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { buildDiaryServer } from '../../src/web/server.js';
import { StaffDirectory, hashPassword, registerStaff } from '../../src/web/staff/index.js';

export const PASSWORDS = { region: 'региональный-пароль-1', north: 'школьный-пароль-2' } as const;

export interface StaffRig {
  cfg: GatewayConfig;
  school: SyntheticSchool;
  /** The synthetic school's canonical id (what `north` sees). */
  schoolId: string;
  /** Another school of the configuration, in the store: only `region` sees it. */
  otherId: string;
  prefix: string;
  ops: OpsRuntime;
  store: CanonicalStore;
  app: FastifyInstance;
  baseUrl: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * `webSettings`: more lines of the config's `web:` section (indented), e.g. `  trustProxy: 127.0.0.1`.
 * `configured`: the synthetic school is a school of the configuration too (id `north`, under the canonical id roster
 * sync gives it), with these further keys of its entry, e.g. `minMarks: [...]`.
 */
export async function staffRig(webSettings: string[] = [], opts: { configured?: string } = {}): Promise<StaffRig> {
  const generated = generateSchool({ seed: 5, pupils: 11, weeks: 3 });
  const schoolId = opts.configured === undefined ? generated.schools()[0].id : schoolCanonicalId('north');
  const school = opts.configured === undefined ? generated
    : new SyntheticSchool(generated.input, generated.plan, JSON.parse(JSON.stringify(generated.records).replaceAll(generated.schools()[0].id, schoolId)) as CanonicalRecord[]);
  const otherId = schoolCanonicalId('other');
  const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  await store.upsertMany([...school.records, { ...school.schools()[0], id: otherId, name: 'Другая школа' }], { runId: 'staff-rig' });
  const env = { JG_TEST_NORTH_HASH: await hashPassword(PASSWORDS.north) };
  const cfg = parseConfigText([
    'region: { id: test, name: Тест }',
    'platforms: [{ instance: asurso-test, platform: asurso, baseUrl: "http://127.0.0.1:9", auth: { kind: password } }]',
    'schools:',
    '  - { id: other, name: Другая школа, timeZone: Europe/Samara, systemOfRecord: asurso-test, platforms: [{ instance: asurso-test, schoolId: "1" }] }',
    ...(opts.configured === undefined ? [] : [`  - { id: north, name: Северная школа, timeZone: Europe/Samara, systemOfRecord: asurso-test, platforms: [{ instance: asurso-test, schoolId: "2" }], ${opts.configured} }`]),
    'web:',
    ...webSettings,
    '  staff:',
    `    - { login: region, passwordHash: "${await hashPassword(PASSWORDS.region)}", schools: all }`,
    `    - { login: north, passwordHashEnv: JG_TEST_NORTH_HASH, schools: ["${schoolId}"] }`,
  ].join('\n'), 'staff.yaml', env);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }) });
  const prefix = `jg-test-${randomUUID()}`;
  const ops = openOps(cfg, { redisUrl: inject('redisUrl'), prefix, store, metrics: new GatewayMetrics() });
  const { app } = buildDiaryServer({ store, logger, secure: false, publicUrl: cfg.web!.publicUrl, trustProxy: cfg.web!.trustProxy });
  registerOpsRoutes(app, ops.routes);
  await registerStaff(app, {
    directory: StaffDirectory.fromConfig(cfg, env), store, schools: cfg.schools, logger, secure: false,
    ...(ops.routes.status ? { status: ops.routes.status } : {}), queues: [...ops.queues.values()],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  if (ops.connection.status !== 'ready') await new Promise((r) => ops.connection.once('ready', r));
  const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    cfg, school, schoolId, otherId, prefix, ops, store, app, baseUrl, logs,
    async close() {
      await app.close();
      await ops.close();
      await store.close();
    },
  };
}

/** Logs in through the form over HTTP; the session cookie (`name=value`) or null when refused. */
export async function staffLogin(baseUrl: string, login: string, password: string, headers: Record<string, string> = {}): Promise<{ status: number; cookie: string | null; body: string; location: string | null }> {
  const res = await fetch(`${baseUrl}/staff/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, ...headers },
    body: new URLSearchParams({ login, password }).toString(),
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('jg_staff='));
  return { status: res.status, cookie: set ? set.split(';')[0] : null, body: await res.text(), location: res.headers.get('location') };
}
