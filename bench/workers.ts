// Worker scaling (issue 7): roster + journal sync of S schools, each on its own Дневник.ру instance limited
// to R requests per second, run by 1, 2 and 4 worker processes sharing Redis and one PostgreSQL schema.
// One worker runs one job per queue at a time, so it drives one instance at once (≤ R rps); more workers
// drive more instances at once, until the region's budget (S × R) or the CPU is the bottleneck. With a low R
// (a platform that allows a school's account only a few requests per second) every busy instance runs at its
// limit: "busy-instance use" near 1 says the platform's rate limit, not the gateway, sets the pace.
//
//   npx tsx bench/workers.ts [schools=4] [pupils=60] [rps=20]      (needs Redis; PostgreSQL for the shared store)
//   BENCH_SCHOOLS / BENCH_PUPILS / BENCH_RPS override the arguments, e.g. the rate-limited region:
//   BENCH_SCHOOLS=8 BENCH_PUPILS=20 BENCH_RPS=4 npx tsx bench/workers.ts   (BENCH_WORKERS=2,4: only those rounds)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { startDnevnikEmulator, type DnevnikEmulator } from '../src/emulators/dnevnik/index.js';
import { producerConnection } from '../src/jobs/connection.js';
import { queueName } from '../src/jobs/queues.js';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { resolveRedis } from '../src/infra/redis-service.js';
import { dropSchema } from '../src/store/open-store.js';
import { dnevnikInstance, gatewayYaml } from '../test/support/emulator-configs.js';

const arg = (i: number, name: string, fallback: number) => Number(process.env[name] ?? process.argv[i] ?? fallback);
const [schools, pupils, rps] = [arg(2, 'BENCH_SCHOOLS', 4), arg(3, 'BENCH_PUPILS', 60), arg(4, 'BENCH_RPS', 20)];
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const WINDOW = { from: '2025-09-01', to: '2025-09-14' };

const redis = await resolveRedis({ env: process.env });
const pg = await findPostgres();
if (!pg) {
  process.stderr.write('bench/workers.ts needs PostgreSQL (worker processes share one store); none found\n');
  process.exit(2);
}

interface Round {
  workers: number; wallSeconds: number; requests: number; achievedRps: number; schoolsPerMinute: number;
  /** The region's budget (every instance at its limit) and the share of it used. */
  budgetRps: number; budgetUse: number;
  /** The budget of the instances a round can keep busy at once (one per worker) and the share of it used. */
  busyBudgetRps: number; busyInstanceUse: number;
  peakRpsPerInstance: number;
}

async function round(workers: number): Promise<Round> {
  const emulators: DnevnikEmulator[] = [];
  for (let i = 0; i < schools; i++) emulators.push(await startDnevnikEmulator({ seed: 300 + i, pupils, weeks: 2 }));
  const instances = emulators.map((e, i) => dnevnikInstance(`dn-${i}`, e, rps));
  const schema = `jg_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const prefix = `jg-bench-${randomUUID()}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-workers-'));
  const file = path.join(dir, 'gateway.yaml');
  writeFileSync(file, gatewayYaml({
    instances, names: [], store: `  databaseUrl: "${pg}"\n  schema: ${schema}`,
    schools: instances.map((inst, i) => ({ id: `school-${i}`, sor: `dn-${i}`, platforms: [{ instance: `dn-${i}`, schoolId: inst.schoolId }] })),
  }));
  const conn = producerConnection(redis.url);
  const procs: ChildProcess[] = [];
  try {
    // Start the workers first (they migrate the schema), then enqueue: the clock starts with the jobs.
    for (let w = 0; w < workers; w++) {
      procs.push(spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--prefix', prefix, '--no-schedules'], {
        cwd: root, env: { ...process.env, REDIS_URL: redis.url, LOG_LEVEL: 'error', LOG_PRETTY: '0' }, stdio: ['ignore', 'ignore', 'inherit'],
      }));
    }
    await new Promise((r) => setTimeout(r, 4000));
    const before = emulators.reduce((n, e) => n + e.stats().total, 0);
    const roster = new Queue(queueName('roster-sync'), { connection: conn, prefix });
    const journal = new Queue(queueName('journal-sync'), { connection: conn, prefix });
    const t0 = performance.now();
    const jobs = [
      ...(await Promise.all(instances.map((_, i) => roster.add('roster-sync', { schoolId: `school-${i}`, window: WINDOW })))).map((j) => [roster, j] as const),
    ];
    // Journal after roster, per school: wait for the rosters, then the journals.
    const waitAll = async (list: (readonly [Queue, { id?: string }])[]) => {
      for (;;) {
        const states = await Promise.all(list.map(([q, j]) => q.getJobState(j.id!)));
        if (states.includes('failed')) throw new Error('a job failed');
        if (states.includes('unknown')) throw new Error('a job disappeared from its queue');
        if (states.every((s) => s === 'completed')) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    process.stderr.write(`  ${workers} worker(s): rosters queued\n`);
    await waitAll(jobs);
    process.stderr.write(`  ${workers} worker(s): rosters done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const js = (await Promise.all(instances.map((_, i) => journal.add('journal-sync', { schoolId: `school-${i}`, window: WINDOW })))).map((j) => [journal, j] as const);
    await waitAll(js);
    const wallSeconds = (performance.now() - t0) / 1000;
    const requests = emulators.reduce((n, e) => n + e.stats().total, 0) - before;
    await roster.obliterate({ force: true });
    await journal.obliterate({ force: true });
    await roster.close();
    await journal.close();
    const achievedRps = requests / wallSeconds;
    const busyBudgetRps = Math.min(workers, schools) * rps;
    return {
      workers, wallSeconds: r2(wallSeconds), requests, achievedRps: r2(achievedRps), schoolsPerMinute: r2(schools / (wallSeconds / 60)),
      budgetRps: schools * rps, budgetUse: r2(achievedRps / (schools * rps)), busyBudgetRps, busyInstanceUse: r2(achievedRps / busyBudgetRps),
      peakRpsPerInstance: Math.max(...emulators.map((e) => e.stats().peakRps)),
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    conn.disconnect();
    for (const e of emulators) await e.close();
    await dropSchema(pg!, schema);
  }
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const rounds: Round[] = [];
// BENCH_WORKERS=2,4 runs only those rounds (speed-up is then against the first of them).
for (const w of (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number)) {
  rounds.push(await round(w));
  process.stderr.write(`${w} worker(s): ${JSON.stringify(rounds.at(-1))}\n`);
}
process.stdout.write(`${schools} schools × ${pupils} pupils, each on its own instance limited to ${rps} rps (region budget ${schools * rps} rps)\n`);
process.stdout.write('workers  wall s  requests  achieved rps  schools/min  region budget use  busy-instance use  speed-up  peak rps (any instance)\n');
for (const r of rounds) {
  process.stdout.write(`${String(r.workers).padStart(7)}  ${String(r.wallSeconds).padStart(6)}  ${String(r.requests).padStart(8)}  ${String(r.achievedRps).padStart(12)}  ${String(r.schoolsPerMinute).padStart(11)}  ${String(r.budgetUse).padStart(17)}  ${String(r.busyInstanceUse).padStart(17)}  ${(rounds[0].wallSeconds / r.wallSeconds).toFixed(2).padStart(8)}  ${String(r.peakRpsPerInstance).padStart(5)}\n`);
}
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'workers.json'), `${JSON.stringify({ schools, pupils, rps, rounds }, null, 2)}\n`);
await redis.stop();
process.exit(0);
