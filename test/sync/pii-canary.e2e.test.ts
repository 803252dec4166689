// 152-ФЗ canary: a synthetic school with a pupil and a teacher under unique "canary" names, SNILS, birth date and
// logins, and an administrator account with a canary login, runs every flow the gateway has against the emulators —
// roster and journal sync, a record failing schema validation (quarantine), identity review, grade pushes the target
// refuses (403/409/400/500 with texts naming people), a failed login, a migration with its JSON and HTML reports, and
// the same jobs through BullMQ on the real Redis — and every output that goes to logs, Redis or mail is searched for
// the canaries: pino lines, stdout/stderr, run summaries, thrown errors, the reports, job data / failedReason /
// returnvalue. Ids, marks and class/subject titles may appear; no name, SNILS, birth date, login, password or token.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { run as syncCommand } from '../../src/cli/commands/sync.js';
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { inProcessRateLimiterFactory, resetInstanceGates, setRateLimiterFactory } from '../../src/connectors/http/rate-limiter.js';
import { generateSchool, passwordFor, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { formatSnils, snilsFromNumber } from '../../src/emulators/dataset/snils.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import * as loggerModule from '../../src/infra/logger.js';
import { producerConnection, workerConnection } from '../../src/jobs/connection.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { DEFAULT_JOB_OPTIONS } from '../../src/jobs/job-types.js';
import { runJob } from '../../src/jobs/processors.js';
import { queueName } from '../../src/jobs/queues.js';
import { startWorker } from '../../src/jobs/worker.js';
import type { CanonicalRecord, PersonRecord } from '../../src/model/index.js';
import { PushFailedError } from '../../src/sync/push-failures.js';
import { pendingReview } from '../../src/sync/review.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { asursoInstance, dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { startProxy, type Action, type SeenRequest } from '../support/fault-proxy.js';
import { waitFor } from '../support/wait-for.js';

// Every logger the gateway creates in this process (the CLI's, the worker's, the job contexts') writes JSON lines
// at debug level into one captured list, whatever level or destination its caller asked for.
vi.mock('../../src/infra/logger.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/infra/logger.js')>();
  const { Writable } = await import('node:stream');
  const captured: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { captured.push(String(chunk)); cb(); } });
  return {
    ...real,
    captured,
    createLogger: (o: Parameters<typeof real.createLogger>[0] = {}) => real.createLogger({ ...o, level: 'debug', pretty: false, destination: sink }),
  };
});
const logLines = (loggerModule as unknown as { captured: string[] }).captured;

const WINDOW = { from: '2025-09-01', to: '2025-09-07' };

// ---- the canaries ---------------------------------------------------------------------------------------------
const PUPIL = { familyName: 'Канареечкина', givenName: 'Zzcanaryq', middleName: 'Щеглиновна', username: 'zzcanarypupil' };
const TEACHER = { familyName: 'Синицезаврова', givenName: 'Zzteacherq', middleName: 'Клестовна', username: 'zzcanaryteacher' };
const ADMIN_LOGIN = 'zzcanaryadmin';
const WRONG_PASSWORD = 'Zzcanary-Wrong-Pass-7731';
const PUPIL_SNILS = snilsFromNumber(987_650_123);
const PUPIL_BIRTH = '2014-02-27';
const TEACHER_BIRTH = '1979-11-23';

function plantCanaries(base: SyntheticSchool) {
  const s = base.plan.schools[0];
  // A subgroup section (English) of a middle-school class: its teacher is the canary teacher, and the subgroup is named
  // after her, as schools do; the canary pupil sits in it.
  const sec = s.sections.find((x) => x.subgroup && s.classes[x.classIdx].grade === 5 && x.pupils.length)!;
  const pupilPlan = s.pupils[sec.pupils[0]];
  const teacherRec = base.teacherOf(sec.id)!;
  const teacherPlan = s.teachers.find((t) => t.id === teacherRec.id)!;
  const adminPlan = s.staff.find((x) => x.role === 'administrator')!;
  Object.assign(pupilPlan, { ...PUPIL, snils: PUPIL_SNILS, birthDate: PUPIL_BIRTH });
  Object.assign(teacherPlan, { ...TEACHER, birthDate: TEACHER_BIRTH });
  Object.assign(adminPlan, { username: ADMIN_LOGIN });
  const groupTitle = `гр. ${TEACHER.familyName}`;
  sec.subgroup = groupTitle;
  const records = base.records.map((r): CanonicalRecord => {
    if (r.id === pupilPlan.id) return { ...r, ...PUPIL, birthDate: PUPIL_BIRTH, identifiers: [{ kind: 'snils', value: PUPIL_SNILS, verified: true }] } as CanonicalRecord;
    if (r.id === teacherPlan.id) return { ...r, ...TEACHER, birthDate: TEACHER_BIRTH } as CanonicalRecord;
    if (r.id === adminPlan.id) return { ...r, username: ADMIN_LOGIN } as CanonicalRecord;
    if (r.id === sec.id && r.entity === 'section') return { ...r, subgroup: groupTitle, title: `${r.title ?? ''} ${groupTitle}`.trim() } as CanonicalRecord;
    return r;
  });
  const school = new SyntheticSchool(base.input, base.plan, records);
  // Nobody else shares the canary birth dates (a date is only a canary when it is one person's).
  const persons = school.all('person') as PersonRecord[];
  expect(persons.filter((p) => p.birthDate === PUPIL_BIRTH || p.birthDate === TEACHER_BIRTH)).toHaveLength(2);
  return { school, pupilId: pupilPlan.id, teacherId: teacherPlan.id, sectionId: sec.id };
}

const base = generateSchool({ seed: 4711, pupils: 24, weeks: 1 });
const planted = plantCanaries(base);
const school = planted.school;
/** The target's copy of the school: the canary pupil spelled with Ё and without a birth date (identity review). */
const targetSchool = new SyntheticSchool(school.input, school.plan, school.records.map((r) =>
  (r.id === planted.pupilId ? { ...r, familyName: 'Канарёечкина', birthDate: undefined, identifiers: [] } as CanonicalRecord : r)));

const dateForms = (d: string) => { const [y, m, day] = d.split('-'); return [d, `${day}.${m}.${y}`, `${y}${m}${day}`]; };
const canaries = new Set<string>([
  PUPIL.familyName, PUPIL.givenName, PUPIL.middleName, PUPIL.username, 'Канарёечкина',
  TEACHER.familyName, TEACHER.givenName, TEACHER.middleName, TEACHER.username,
  ADMIN_LOGIN, WRONG_PASSWORD, PUPIL_SNILS, formatSnils(PUPIL_SNILS), ...dateForms(PUPIL_BIRTH), ...dateForms(TEACHER_BIRTH),
]);
/** Secrets seen on the wire (session tokens, cookies, passwords, client secrets) join the canaries as they appear. */
function addSecretsOf(emu: RunningEmulator) {
  for (const a of emu.info.accounts) for (const v of [a.password, a.token]) if (typeof v === 'string' && v.length >= 6) canaries.add(v);
  for (const k of ['clientSecret', 'devkey']) { const v = emu.info[k]; if (typeof v === 'string' && v.length >= 6) canaries.add(v); }
}
function addSecretsFromRequests(log: SeenRequest[]) {
  for (const r of log) {
    for (const h of ['authorization', 'access-token', 'auth-token', 'at']) {
      const v = r.headers[h];
      if (typeof v === 'string' && v.length >= 8) canaries.add(v.replace(/^Bearer /i, ''));
    }
    const cookie = r.headers.cookie;
    if (typeof cookie === 'string') for (const c of cookie.split(/;\s*/)) { const v = c.split('=')[1]; if (v && v.length >= 8) canaries.add(v); }
  }
}

// ---- what went out ------------------------------------------------------------------------------------------------
const outputs: { where: string; text: string }[] = [];
const keep = (where: string, value: unknown) => outputs.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value, errorFields) });
function errorFields(_k: string, v: unknown) {
  return v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, ...(v as unknown as Record<string, unknown>), cause: (v as { cause?: unknown }).cause } : v;
}
function keepError(where: string, e: unknown) {
  keep(where, String(e));
  keep(`${where} (fields)`, e);
}
function keepSummaries(where: string, summaries: RunSummary[]) {
  keep(where, summaries);
  for (const s of summaries) keep(`${where} (formatted)`, formatSummary(s));
}
/** Every canary found in every captured output, as `where: canary` (the test's answer is the empty list). */
function leaks(): string[] {
  const all = [...outputs, { where: 'pino log lines', text: logLines.join('') }, { where: 'stdout/stderr', text: printed.join('') }];
  const found: string[] = [];
  for (const o of all) {
    const t = o.text.toLowerCase();
    for (const c of canaries) {
      const i = t.indexOf(c.toLowerCase());
      if (i >= 0) found.push(`${o.where}: ${c} … ${o.text.slice(Math.max(0, i - 160), i + 80).replace(/\s+/g, ' ')}`);
    }
  }
  return [...new Set(found)];
}

const printed: string[] = [];
const realStdout = process.stdout.write.bind(process.stdout);
const realStderr = process.stderr.write.bind(process.stderr);

// ---- the proxies: faults switched per step ------------------------------------------------------------------
type TargetMode = 'pass' | 'forbidden' | 'conflict' | 'bad-request' | 'server-error' | 'login-refused' | 'mixed';
const MIXED = ['conflict', 'bad-request', 'forbidden', 'server-error', 'pass'] as const;
let writes = 0;
type SorMode = 'pass' | 'corrupt-canary';
let targetMode: TargetMode = 'pass';
let sorMode: SorMode = 'pass';
const json = (status: number, body: unknown): Action => ({ kind: 'respond', status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const who = `${PUPIL.familyName} ${PUPIL.givenName} ${PUPIL.middleName}`;
const isEposWrite = (r: SeenRequest) => r.method !== 'GET' && /\/core\/api\/(marks|attendances)/.test(r.path);
function targetRule(r: SeenRequest): Action {
  if (targetMode === 'login-refused' && /auth|login|session/i.test(r.path)) {
    return json(401, { code: 401, message: `Пользователь ${ADMIN_LOGIN} (${TEACHER.familyName} ${TEACHER.givenName}): неверный пароль ${WRONG_PASSWORD}` });
  }
  if (!isEposWrite(r)) return { kind: 'pass' };
  const mode = targetMode === 'mixed' ? MIXED[writes++ % MIXED.length] : targetMode;
  switch (mode) {
    case 'forbidden': return json(403, { code: 403, message: `Учитель ${TEACHER.familyName} ${TEACHER.givenName} не ведёт группу «гр. ${TEACHER.familyName}» ученика ${who}` });
    case 'conflict': return json(409, { code: 409, message: `Оценка ученику ${who} (СНИЛС ${formatSnils(PUPIL_SNILS)}) за этот урок уже выставлена` });
    case 'bad-request': return json(400, { code: 400, message: `Ученик ${who}, ${PUPIL_BIRTH}: нет в группе`, errors: [{ field: 'student', value: who }] });
    case 'server-error': return { kind: 'respond', status: 500, body: `<html><body><h1>Ошибка</h1><pre>NullReferenceException at student ${who} login ${PUPIL.username}</pre></body></html>` };
    default: return { kind: 'pass' };
  }
}
/** The system of record's roster serving the canary pupil with a sex no schema takes (her full name in the field). */
function sorRule(r: SeenRequest): Action {
  if (sorMode !== 'corrupt-canary' || r.method !== 'GET' && !/users\/many/.test(r.path)) return { kind: 'pass' };
  return {
    kind: 'rewrite', fn: (status, body) => {
      if (!body.includes(PUPIL.familyName)) return { status, body };
      const walk = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(walk);
        if (v && typeof v === 'object') {
          const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
          if (o.lastName === PUPIL.familyName) Object.assign(o, { sex: `${who} ${PUPIL_BIRTH}`, birthday: `${PUPIL.familyName}-${PUPIL_BIRTH}` });
          return o;
        }
        return v;
      };
      try { return { status, body: JSON.stringify(walk(JSON.parse(body))) }; } catch { return { status, body }; }
    },
  };
}

describe('152-ФЗ canary: no name, SNILS, birth date, login, password or token leaves the gateway in logs, jobs, summaries, errors or reports', () => {
  let sor: RunningEmulator;
  let target: RunningEmulator;
  let migrationTarget: RunningEmulator;
  let sorProxy: Awaited<ReturnType<typeof startProxy>>;
  let targetProxy: Awaited<ReturnType<typeof startProxy>>;
  let migrationProxy: Awaited<ReturnType<typeof startProxy>>;
  let ctx: JobContext;
  let dir: string;
  let yaml: (opts?: { targetPassword?: string; store?: string; migration?: boolean }) => string;

  beforeAll(async () => {
    process.stdout.write = ((s: string | Uint8Array) => { printed.push(String(s)); return true; }) as typeof process.stdout.write;
    process.stderr.write = ((s: string | Uint8Array) => { printed.push(String(s)); return true; }) as typeof process.stderr.write;
    sor = await getPlatform('dnevnik').emulator.start({ dataset: school });
    target = await getPlatform('epos').emulator.start({ dataset: targetSchool, emptyJournal: true });
    migrationTarget = await getPlatform('epos').emulator.start({ dataset: targetSchool, emptyJournal: true });
    for (const e of [sor, target, migrationTarget]) addSecretsOf(e);
    sorProxy = await startProxy(sor.baseUrl, sorRule);
    targetProxy = await startProxy(target.baseUrl, targetRule);
    migrationProxy = await startProxy(migrationTarget.baseUrl, targetRule);
    dir = mkdtempSync(path.join(tmpdir(), 'jg-pii-canary-'));
    yaml = (o = {}) => {
      const a = dnevnikInstance('sor', { ...sor, baseUrl: sorProxy.baseUrl }, 500);
      const tEmu = o.migration ? migrationTarget : target;
      const tProxy = o.migration ? migrationProxy : targetProxy;
      const b = eposInstance('t', { ...tEmu, baseUrl: tProxy.baseUrl } as RunningEmulator, 500);
      if (o.targetPassword) b.yaml = b.yaml.replace(/password: "[^"]*"/, `password: "${o.targetPassword}"`);
      return gatewayYaml({
        instances: [a, b], names: [], ...(o.store ? { store: o.store } : {}),
        schools: [{ id: 's1', sor: 'sor', targets: o.migration ? [] : ['t'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't', schoolId: b.schoolId }] }],
      });
    };
    ctx = await openJobContext(parseConfigText(yaml(), 't.yaml'), loggerModule.createLogger({ level: 'silent' }));
  }, 120_000);

  afterAll(async () => {
    process.stdout.write = realStdout;
    process.stderr.write = realStderr;
    await ctx?.close();
    for (const p of [sorProxy, targetProxy, migrationProxy]) await p?.close();
    for (const e of [sor, target, migrationTarget]) await e?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** runJob, keeping its summaries, or the error and the summaries it carries. */
  async function job(kind: 'roster-sync' | 'journal-sync' | 'grade-push', label: string, c: JobContext = ctx) {
    const got: RunSummary[] = [];
    try {
      const out = await runJob(kind, { schoolId: 's1', window: WINDOW }, c, { onSummary: (s) => got.push(s) });
      keepSummaries(`${label}: summaries`, out);
      return { out, error: undefined as unknown };
    } catch (e) {
      keepError(`${label}: error`, e);
      if (e instanceof PushFailedError) keepSummaries(`${label}: error summaries`, e.summaries);
      return { out: got, error: e };
    } finally {
      keepSummaries(`${label}: onSummary`, got);
    }
  }

  it('roster sync (a record failing schema validation quarantined, the target\'s namesake to review) and journal sync', async () => {
    // The search itself finds a canary (lower-cased, inside other text).
    outputs.push({ where: 'self-check', text: `x ${PUPIL.familyName.toLowerCase()} y` });
    expect(leaks()).toHaveLength(1);
    outputs.pop();
    sorMode = 'corrupt-canary';
    const first = await job('roster-sync', 'roster sync, canary record malformed');
    sorMode = 'pass';
    if (process.env.CANARY_DEBUG) realStdout(`first roster: ${JSON.stringify(first.out)} ${String(first.error)}\n`);
    // The malformed record is quarantined; the rest of the roster goes through.
    expect(first.error).toBeUndefined();
    expect(first.out.some((s) => s.quarantined > 0)).toBe(true);
    const roster = await job('roster-sync', 'roster sync');
    expect(roster.error).toBeUndefined();
    const review = await pendingReview(ctx.store);
    keep('review kinds (ids only)', review.map((r) => r.kind));
    const journal = await job('journal-sync', 'journal sync');
    expect(journal.error).toBeUndefined();
    // The canaries went through: the store (which may hold them) has the pupil and the teacher by name, with marks.
    const names: string[] = [];
    for await (const r of ctx.store.iterate('person')) if (r.entity === 'person') names.push(r.familyName);
    expect(names).toEqual(expect.arrayContaining([PUPIL.familyName, TEACHER.familyName]));
    addSecretsFromRequests(sorProxy.log);
    addSecretsFromRequests(targetProxy.log);
    expect(leaks()).toEqual([]);
  }, 120_000);

  it('grade pushes the target refuses — 403, 409, 400 and 500 with texts naming people — then one that goes through', async () => {
    const outcomes: Record<string, string> = {};
    // A 403 on whole groups stays due; then every kind of refusal at once (409 and 400 are final, 500 retried).
    for (const mode of ['forbidden', 'mixed'] as const) {
      targetMode = mode;
      const r = await job('grade-push', `grade push, target answers ${mode}`);
      outcomes[mode] = r.error ? `threw ${(r.error as Error).name}` : JSON.stringify(r.out.map((s) => s.pushed));
    }
    if (process.env.CANARY_DEBUG) realStdout(`push outcomes: ${JSON.stringify(outcomes, null, 1)}\n`);
    expect(outcomes.forbidden).toMatch(/threw/);
    expect(outcomes.mixed).toMatch(/threw|"refused":[1-9]/);
    targetMode = 'pass';
    const ok = await job('grade-push', 'grade push');
    expect(ok.error).toBeUndefined();
    addSecretsFromRequests(targetProxy.log);
    expect(leaks()).toEqual([]);
  }, 180_000);

  it('a login refused: a wrong password, and a platform whose refusal names the account and its owner', async () => {
    const wrong = await openJobContext(parseConfigText(yaml({ targetPassword: WRONG_PASSWORD }), 't.yaml'), loggerModule.createLogger());
    try {
      const r = await job('grade-push', 'grade push, wrong password', wrong);
      expect(r.error).toBeDefined();
      targetMode = 'login-refused';
      const r2 = await job('roster-sync', 'roster sync, login refused with a named text', wrong);
      expect(r2.error).toBeDefined();
    } finally {
      targetMode = 'pass';
      await wrong.close();
    }
    expect(leaks()).toEqual([]);
  }, 120_000);

  it('a migration (dry run, then one the target refuses with named texts: 409, 400, 403, 500): stdout, JSON and HTML reports', async () => {
    const config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, yaml({ migration: true, store: `  dataDir: "${path.join(dir, 'data')}"` }));
    const out = path.join(dir, 'reports');
    const migrate = async (dryRun: boolean, label: string) => {
      try {
        const code = await migrateCommand({ config, from: 'sor', to: 't', school: 's1', dryRun, since: WINDOW.from, until: WINDOW.to, out });
        keep(`${label}: exit code`, code);
      } catch (e) {
        keepError(`${label}: error`, e);
      }
      for (const f of readdirSync(out)) {
        const p = path.join(out, f);
        if (statSync(p).isFile()) keep(`${label}: report ${f}`, readFileSync(p, 'utf8'));
      }
    };
    await migrate(true, 'migration dry run');
    targetMode = 'mixed';
    await migrate(false, 'migration, writes refused 409/400/403/500');
    targetMode = 'pass';
    expect(readdirSync(out).some((f) => f.endsWith('.html'))).toBe(true);
    if (process.env.CANARY_DEBUG) realStdout(`${outputs.filter((o) => o.where.startsWith('migration')).map((o) => `== ${o.where}\n${o.text.slice(0, 3000)}`).join('\n')}\n`);
    addSecretsFromRequests(migrationProxy.log);
    expect(leaks()).toEqual([]);
  }, 240_000);

  it('the sync command: what it prints and the runs file it writes, a malformed record and a refused push among them', async () => {
    const dataDir = path.join(dir, 'cli-data');
    const config = path.join(dir, 'cli.yaml');
    writeFileSync(config, yaml({ store: `  dataDir: "${dataDir}"` }));
    const sync = async (kind: 'roster-sync' | 'journal-sync' | 'grade-push', label: string) => {
      try {
        keep(`sync command ${label}: exit code`, await syncCommand(kind, { config, school: 's1', from: WINDOW.from, to: WINDOW.to }));
      } catch (e) {
        keepError(`sync command ${label}: error`, e);
      }
    };
    sorMode = 'corrupt-canary';
    await sync('roster-sync', 'roster sync, canary record malformed');
    sorMode = 'pass';
    await sync('roster-sync', 'roster sync');
    await sync('journal-sync', 'journal sync');
    targetMode = 'forbidden';
    await sync('grade-push', 'grade push refused 403');
    targetMode = 'pass';
    const runs = readdirSync(path.join(dataDir, 'runs'));
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (const f of runs) keep(`runs file ${f}`, readFileSync(path.join(dataDir, 'runs', f), 'utf8'));
    expect(leaks()).toEqual([]);
  }, 120_000);

  it('the same jobs through BullMQ: job data, failedReason, returnvalue and logs in Redis hold no canary', async () => {
    const redisUrl = inject('redisUrl');
    const prefix = `jg-test-pii-${randomUUID()}`;
    const cfg = parseConfigText(yaml(), 't.yaml');
    resetInstanceGates();
    const worker = await startWorker(cfg, loggerModule.createLogger(), { redisUrl, prefix, lockDurationMs: 10_000 });
    const conn = producerConnection(redisUrl);
    const admin = workerConnection(redisUrl);
    const queues = new Map<string, Queue>();
    const queue = (kind: 'roster-sync' | 'journal-sync' | 'grade-push') => {
      if (!queues.has(kind)) queues.set(kind, new Queue(queueName(kind), { connection: conn, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
      return queues.get(kind)!;
    };
    const settle = async (kind: 'roster-sync' | 'journal-sync' | 'grade-push') => {
      const q = queue(kind);
      const j = await q.add(kind, { schoolId: 's1', window: WINDOW }, { attempts: 1 });
      let state = '';
      await waitFor(`${kind} job ${j.id} finished`, async () => ['completed', 'failed'].includes(state = await q.getJobState(j.id!)), 90_000, 50);
      return state;
    };
    try {
      expect(await settle('roster-sync')).toBe('completed');
      expect(await settle('journal-sync')).toBe('completed');
      targetMode = 'forbidden';
      expect(await settle('grade-push')).toBe('failed');
      targetMode = 'login-refused';
      // A fresh login: the sessions the worker holds are dropped by a restart of the target's side (the emulator forgets them).
      target.setFaults({ expireSessionAfter: 1 });
      await settle('grade-push');
      target.setFaults(undefined);
      targetMode = 'pass';
      // Everything under the test's prefix, whatever its type.
      const keys = await admin.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      const dump: string[] = [];
      for (const k of keys) {
        const type = await admin.type(k);
        if (type === 'hash') dump.push(k, JSON.stringify(await admin.hgetall(k)));
        else if (type === 'list') dump.push(k, JSON.stringify(await admin.lrange(k, 0, -1)));
        else if (type === 'zset') dump.push(k, JSON.stringify(await admin.zrange(k, '0', '-1')));
        else if (type === 'set') dump.push(k, JSON.stringify(await admin.smembers(k)));
        else if (type === 'string') dump.push(k, String(await admin.get(k)));
        else if (type === 'stream') dump.push(k, JSON.stringify(await admin.xrange(k, '-', '+')));
      }
      keep('Redis keys under the test prefix', dump.join('\n'));
      expect(dump.join('\n')).toMatch(/failedReason/);
      expect(dump.join('\n')).toMatch(/returnvalue/);
    } finally {
      targetMode = 'pass';
      target.setFaults(undefined);
      await worker.close();
      // The worker put the Redis limiter in for every gate; the later tests of the file count in-process again.
      setRateLimiterFactory(inProcessRateLimiterFactory);
      resetInstanceGates();
      for (const q of queues.values()) await q.close();
      conn.disconnect();
      const left = await admin.keys(`${prefix}:*`);
      if (left.length) await admin.del(...left);
      admin.disconnect();
    }
    addSecretsFromRequests(targetProxy.log);
    expect(logLines.length).toBeGreaterThan(100);
    expect(leaks()).toEqual([]);
  }, 240_000);
});

// The same canaries with АСУ РСО as the system of record (its groups carry the subgroup's name and their teachers) and
// Дневник.ру as the push target, whose refusals come as `{type, description}`.
describe('152-ФЗ canary, АСУ РСО → Дневник.ру: sync and pushes the target refuses name nobody', () => {
  let mode: 'pass' | 'forbidden' | 'mixed' = 'pass';
  let n = 0;
  const isWrite = (r: SeenRequest) => r.method !== 'GET' && !/authorizations|users\/many|lessons\/many/.test(r.path);
  const named = (status: number, type: string): Action => json(status, { type, description: `${type}: ${who}, учитель ${TEACHER.familyName} ${TEACHER.givenName}, группа «гр. ${TEACHER.familyName}», СНИЛС ${formatSnils(PUPIL_SNILS)}` });
  const rule = (r: SeenRequest): Action => {
    if (!isWrite(r) || mode === 'pass') return { kind: 'pass' };
    const m = mode === 'forbidden' ? 'forbidden' : MIXED[n++ % MIXED.length];
    if (m === 'forbidden') return named(403, 'apiAccessDenied');
    if (m === 'conflict') return named(409, 'apiConflict');
    if (m === 'bad-request') return named(400, 'parameterInvalid');
    if (m === 'server-error') return { kind: 'respond', status: 500, body: `<html><pre>Exception: ${who} ${PUPIL.username}</pre></html>` };
    return { kind: 'pass' };
  };

  it('roster and journal sync, a push refused on whole groups, one refused every way, then one that goes through', async () => {
    const sor = await getPlatform('asurso').emulator.start({ dataset: school });
    const target = await getPlatform('dnevnik').emulator.start({ dataset: targetSchool, emptyJournal: true });
    for (const e of [sor, target]) addSecretsOf(e);
    const proxy = await startProxy(target.baseUrl, rule);
    const sorProxy = await startProxy(sor.baseUrl, () => ({ kind: 'pass' }));
    const a = asursoInstance('sor', { ...sor, baseUrl: sorProxy.baseUrl } as RunningEmulator, 500);
    const b = dnevnikInstance('t', { ...target, baseUrl: proxy.baseUrl }, 500);
    const c = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'sor', targets: ['t'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't', schoolId: b.schoolId }] }],
    }), 't.yaml'), loggerModule.createLogger());
    const run = async (kind: 'roster-sync' | 'journal-sync' | 'grade-push', label: string) => {
      const got: RunSummary[] = [];
      try {
        keepSummaries(`АСУ РСО → Дневник.ру, ${label}: summaries`, await runJob(kind, { schoolId: 's1', window: WINDOW }, c, { onSummary: (s) => got.push(s) }));
        return undefined;
      } catch (e) {
        keepError(`АСУ РСО → Дневник.ру, ${label}: error`, e);
        if (e instanceof PushFailedError) keepSummaries(`АСУ РСО → Дневник.ру, ${label}: error summaries`, e.summaries);
        return e;
      } finally {
        keepSummaries(`АСУ РСО → Дневник.ру, ${label}: onSummary`, got);
      }
    };
    try {
      expect(await run('roster-sync', 'roster sync')).toBeUndefined();
      expect(await run('journal-sync', 'journal sync')).toBeUndefined();
      mode = 'forbidden';
      expect(await run('grade-push', 'push refused 403')).toBeInstanceOf(PushFailedError);
      mode = 'mixed';
      await run('grade-push', 'push refused 409/400/403/500');
      mode = 'pass';
      await run('grade-push', 'push');
      expect(proxy.log.filter(isWrite).length).toBeGreaterThan(0);
      addSecretsFromRequests(proxy.log);
      addSecretsFromRequests(sorProxy.log);
    } finally {
      mode = 'pass';
      await c.close();
      await proxy.close();
      await sorProxy.close();
      await sor.close();
      await target.close();
    }
    expect(leaks()).toEqual([]);
  }, 120_000);
});
