// Migration benchmark (issue 8): a school-year of a 1,000-pupil school (every week of it) moved from
// Дневник.ру to ЭПОС.Школа by `journal-gateway migrate` — full read of the source, roster and timetable of
// the target, the push of every mark and absence through the outbound ledger, and the reconciliation that
// reads the target back. Both emulators run in child processes (bench/kit/platform-bench.ts), so the wall
// time is the gateway's own work plus the wait for the platforms' answers.
//
// Figures: wall time; rate-limited time (wall time during which a rate limit or a Retry-After hold held a request
// back — the HTTP layer's per-process clock, overlapping waits counted once; not the time a permit took to be
// answered, which it also counted before 2026-12-05); gateway time =
// wall − rate-limited, against the target of ≤ 60 s (the definition of issue 8: the platforms' own answer time is
// inside it); the gateway process's CPU time (its own work, garbage collection included); the gateway's event loop
// busy (running the gateway's code — on a shared machine that includes waiting for a CPU core, so busy − CPU is
// roughly the time other processes held the cores) and idle (nothing to do: waiting for a platform's answer or the
// database; the rate-limited time is left out of the printed idle figure); time and peak RSS per phase; requests
// per platform; records; peak RSS of the gateway process (the emulators' memory is not the gateway's). Written to
// bench/results/migrate.json. BENCH_EMULATOR_PROF=<dir> writes a CPU profile of each emulator process.
//
//   npx tsx bench/migrate.ts                       1,000 pupils, 35 weeks, PostgreSQL if it answers, else PGlite
//   BENCH_PUPILS=100 BENCH_WEEKS=4 npx tsx bench/migrate.ts     a quick run
//   BENCH_STORE=pglite|postgres   BENCH_RPS=<configured requests per second per platform, default 5000>
//   BENCH_BUDGET_RPS=<a real platform's budget for the printed estimate, default 10 (config/example-region.yaml)>
//
// Since 2026-11-30 the migration also looks for the source's final marks in the target (no platform has a route to
// write them): a window holding a period's end ends "not ok" with them listed as missing — the runs below predate it
// and compared marks and absences only; the rows "differences by entity" and "not writable" show the split.
//
// Measured 2026-11-29 on this machine (2 cores shared with five other sessions, load average 8–20), PostgreSQL:
//
//   1,000 pupils × 35 weeks (2025-09-01 … 2026-05-26), BENCH_RPS=5000:  `npx tsx bench/migrate.ts`
//     ok, 0 differences; 373,896 marks + 80,885 absences pushed and reconciled; 628,869 records read
//     wall 1,186 s; rate-limited 4.5 s; gateway 1,182 s — the ≤ 60 s target is NOT met (about 20× over);
//     gateway CPU 453 s; peak RSS 2,973 MB
//     phases: source roster 12 s, source journal 293 s, target roster 5 s, target timetable 23 s,
//             push 676 s, plan + reconciliation 178 s
//     requests: Дневник.ру 15,997, ЭПОС 508,517 (one per mark and absence, one per lesson to look for
//     marks already there) — at 10 rps per platform those alone would take ~52,500 s (~14.6 h)
//   100 pupils × 2 weeks, BENCH_RPS=200: wall 35.8 s, rate-limited 24.2 s, gateway 11.6 s (5,539 requests)
//   100 pupils × 4 weeks, BENCH_RPS=5000, push phase: 117.9 s with a ledger round trip per statement (three per
//     mark) → 23.6 s with the batched ledger → 12.3 s with four whole-lesson write calls at once (wall 134.8 →
//     41.6 → 30.6 s; single runs on a loaded machine, so ±30 %).
//
// After the memory work below, 2026-11-29 22:06–22:46, the same command, load average 9–15 (every process of this
// machine's sessions runs at nice 19, PostgreSQL too, so the gateway, both emulators and the database all waited
// for cores):
//   1,000 pupils × 35 weeks: ok, 0 differences; 454,781 marks and absences pushed and reconciled; 628,869 records read
//     wall 2,399.6 s; rate-limited 6.7 s; gateway 2,392.9 s — NOT met (the wall time is twice the run above: the
//     machine was busier; source roster, whose code did not change, took 23.8 s against 12 s)
//     gateway CPU 324.9 s (453 s above, measured before 2ad95ea, which maps a journal page once instead of twice, so
//     part of the drop is that commit; at 12 weeks, side by side against 2ad95ea's successor, CPU was unchanged)
//     event loop busy 1,221.4 s, idle (waiting for answers) 1,171.5 s
//     peak RSS 1,374 MB (2,973 MB above); per phase: source roster 289, source journal 738, target roster 662, target
//       timetable 724, push 1,374 (at its start: the push picks the school's records from 455,000 changed ones), plan +
//       reconciliation 1,146 MB (the reconciliation still reads the year's expected records at once, then lets each
//       slice go as it is compared)
//     phases: source roster 23.8 s, source journal 738.4 s, target roster 16.5 s, target timetable 147.1 s,
//             push 1,113.9 s, plan + reconciliation 358.0 s
//     requests: Дневник.ру 16,429 (15,997 above: each 28-day slice reads the groups and periods again), ЭПОС 508,589
//
// Memory (2026-11-29, later the same day): the journal is now read, stored and reconciled in 28-day slices
// (src/sync/migrate.ts MIGRATION_SLICE_DAYS) and the push reads, checks and sends 10,000 records of whole lessons at
// a time (src/sync/grade-push.ts); the ЭПОС writer keeps only id and pupil of the marks it has seen. Two runs side by
// side on the same loaded machine (load average ~9), 1,000 pupils × 12 weeks, `BENCH_WEEKS=12`, before → after:
//     peak RSS 2,107 → 864 MB (push phase 2,038 → 739 MB; source journal 1,289 → 742 MB)
//     gateway CPU 120.1 → 119.0 s — unchanged: the collector's savings are spent on reading the journal from the
//       store again (the plan and the reconciliation each scan it; the push reads its records once to pick the
//       school's, once per slice to send them) instead of holding it
//     wall 620.6 → 704.3 s, event loop busy 409.8 → 403.0 s: both ~3.4× the CPU time — the gateway waited for a
//       core most of its "busy" time; the wall time of this machine measures the other sessions' load, not the gateway
//     requests: Дневник.ру 6,325 → 6,469 (each slice reads the groups and periods again: +24 per slice), ЭПОС 184,725
//       → 184,749; 166,188 marks and absences pushed and reconciled by both, 0 differences
//   1,000 pupils × 6 weeks: peak RSS 1,419 → 627 MB (single runs at load 9–17; their CPU times, 52.9 and 59.3 s,
//     are within the noise of such runs).
//
// Where the time goes (CPU profile, 1,000 pupils × 6 weeks, `node --cpu-prof --import tsx bench/migrate.ts`): the
// gateway's share is ~70 s of a 116 s run; of it, garbage collection 13 s, socket writes 10 s (loopback HTTP: the
// kernel's receive path runs in the sender's write), axios and node:http per request ~13 s, hashing (content hashes
// of the mapper, the store and the comparison) ~3 s; the ЭПОС emulator was idle 86 % of the run. ЭПОС has no batch
// write, so the push is one HTTP round trip per mark and absence (~455,000 at 1,000 pupils, plus one GET per lesson
// to find marks already there): at the ~0.3–0.5 ms of gateway CPU each round trip costs, the push alone is 150–250 s
// of CPU, past the 60 s target before anything else runs. The target is not reachable for this pair on two cores.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as migrateCommand } from '../src/cli/commands/migrate.js';
import { rateLimitedMs } from '../src/connectors/http/index.js';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { dropSchema } from '../src/store/open-store.js';
import type { MigrationReport } from '../src/sync/migrate.js';
import type { RunningEmulator } from '../src/emulators/kit/types.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../test/support/emulator-configs.js';
import { spawnEmulator, type ChildEmulator } from './kit/platform-bench.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PUPILS = Number(process.env.BENCH_PUPILS ?? 1000);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 35);
const RPS = Number(process.env.BENCH_RPS ?? 5000);
const targetInstance = 'epos-new';
const TARGET_SECONDS = 60;
/** A real platform's budget, as config/example-region.yaml gives Дневник.ру (requests per second). */
const BUDGET_RPS = Number(process.env.BENCH_BUDGET_RPS ?? 10);
const seconds = (ms: number) => Math.round(ms / 10) / 100;

const postgres = process.env.BENCH_STORE === 'pglite' ? null : await findPostgres();
if (process.env.BENCH_STORE === 'postgres' && !postgres) throw new Error('BENCH_STORE=postgres: no PostgreSQL answers (set DATABASE_URL)');
const schema = postgres ? `jg_bench_migrate_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'jg-bench-migrate-'));

process.stderr.write(`migrate bench: ${PUPILS} pupils, ${WEEKS} weeks, Дневник.ру → ЭПОС, ${RPS} rps per platform, store ${postgres ? 'PostgreSQL' : 'PGlite'}; starting the emulators…\n`);
const [source, target] = await Promise.all([
  spawnEmulator('dnevnik', PUPILS, WEEKS, {}),
  spawnEmulator('epos', PUPILS, WEEKS, {}, { emptyJournal: true }),
]);
// The configs only read an emulator's base URL and startup info.
const asRunning = (e: ChildEmulator) => ({ baseUrl: e.baseUrl, info: e.info }) as unknown as RunningEmulator;
const a = dnevnikInstance('dnevnik-old', asRunning(source), RPS);
const b = eposInstance(targetInstance, asRunning(target), RPS);
const config = path.join(dir, 'gateway.yaml');
writeFileSync(config, gatewayYaml({
  instances: [a, b], names: [],
  store: postgres ? `  databaseUrl: "${postgres}"\n  schema: ${schema}` : `  dataDir: "${path.join(dir, 'data')}"`,
  schools: [{ id: 's1', sor: 'dnevnik-old', platforms: [{ instance: 'dnevnik-old', schoolId: a.schoolId }, { instance: targetInstance, schoolId: b.schoolId }] }],
}));

let peakRss = process.memoryUsage().rss;
// RSS samples with their time, so the peak can be told per phase (which step holds memory).
const rssSamples: [number, number][] = [];
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  rssSamples.push([Date.now(), rss]);
}, 250);
const before = { source: (await source.stats()).total, target: (await target.stats()).total };
const limited0 = rateLimitedMs();
const cpu0 = process.cpuUsage();
const elu0 = performance.eventLoopUtilization();
const t0 = performance.now();
let code: number;
try {
  code = await migrateCommand({ config, from: 'dnevnik-old', to: targetInstance, school: 's1', since: source.from, until: source.to, out: path.join(dir, 'reports') });
} finally {
  clearInterval(sampler);
}
const wallMs = performance.now() - t0;
const limitedMs = rateLimitedMs() - limited0;
const cpu = process.cpuUsage(cpu0);
// The gateway's event loop: busy (running the gateway's code, garbage collection included) or idle — waiting with
// nothing else to do, for a platform's answer, the database or a rate permit.
const elu = performance.eventLoopUtilization(elu0);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const after = { source: (await source.stats()).total, target: (await target.stats()).total };
source.close();
target.close();

const report = JSON.parse(readFileSync(path.join(dir, 'reports', `migration-s1-dnevnik-old-${targetInstance}.json`), 'utf8')) as MigrationReport;
const phases: Record<string, number> = {};
const phasePeakRssMb: Record<string, number> = {};
const peakBetween = (a: number, b: number) => Math.round(rssSamples.filter(([t]) => t >= a && t <= b).reduce((m, [, r]) => Math.max(m, r), 0) / 2 ** 20);
let phaseStart = Date.parse(report.startedAt);
const phase = (name: string, end: number) => {
  phases[name] = seconds(end - phaseStart);
  phasePeakRssMb[name] = peakBetween(phaseStart, end);
  phaseStart = end;
};
for (const s of report.steps) phase(`${s.kind} ${s.instance}`, Date.parse(s.finishedAt ?? report.finishedAt));
phase('plan + reconciliation', Date.parse(report.finishedAt));
const push = report.steps.find((s) => s.kind === 'grade-push')?.pushed;
const gatewayMs = wallMs - limitedMs;
const result = {
  at: new Date().toISOString(), pupils: PUPILS, weeks: WEEKS, window: { from: source.from, to: source.to }, store: postgres ? 'postgres' : 'pglite',
  rateLimitRps: RPS, exitCode: code, ok: report.ok,
  wallSeconds: seconds(wallMs), rateLimitedSeconds: seconds(limitedMs), gatewaySeconds: seconds(gatewayMs),
  targetMet: gatewayMs <= TARGET_SECONDS * 1000,
  // CPU of the gateway process alone: steadier than wall time on a machine shared with other work.
  gatewayCpuSeconds: seconds((cpu.user + cpu.system) / 1000),
  eventLoop: { busySeconds: seconds(elu.active), idleSeconds: seconds(elu.idle), idleNotRateLimitedSeconds: seconds(Math.max(0, elu.idle - limitedMs)) },
  phases,
  requests: { 'dnevnik (source)': after.source - before.source, 'epos (target)': after.target - before.target },
  // Not measured: the requests of each platform divided by a real budget — what the platforms' limits alone
  // would take at that budget (each platform has its own, so the two add up only because the phases run in turn).
  atBudget: { rps: BUDGET_RPS, seconds: Math.round((after.source - before.source + after.target - before.target) / BUDGET_RPS) },
  records: {
    sourceRead: report.steps.slice(0, 2).reduce((n, s) => n + s.created + s.updated + s.unchanged, 0),
    pushed: push, reconciled: report.reconciliation?.perEntity, differences: report.reconciliation?.differences.length,
  },
  peakRssMb: Math.round(peakRss / 2 ** 20), phasePeakRssMb,
};
const rows: [string, unknown][] = [
  ['school', `${PUPILS} pupils, ${WEEKS} weeks (${source.from} … ${source.to}), store ${result.store}`],
  ['migration ok', `${report.ok} (exit ${code}, ${result.records.differences ?? '?'} differences)`],
  // Final marks have no write route on any platform: a window holding a period's end lists them as missing (by hand).
  ['differences by entity', Object.entries(report.reconciliation?.perEntity ?? {}).map(([e, c]) => `${e} missing ${c.missing}, unexpected ${c.unexpected}, different ${c.different}`).join('; ')],
  ['not writable (enter by hand)', JSON.stringify(report.plan.notWritable ?? {})],
  ['wall time, s', result.wallSeconds], ['rate-limited time, s', `${result.rateLimitedSeconds} (limit ${RPS} rps per platform)`],
  [`gateway time, s (≤ ${TARGET_SECONDS})`, `${result.gatewaySeconds} — ${result.targetMet ? 'met' : 'NOT met'}`],
  ['gateway CPU (user + system), s', result.gatewayCpuSeconds],
  ['gateway event loop busy, s', result.eventLoop.busySeconds],
  ['  idle: waiting for answers, s', `${result.eventLoop.idleNotRateLimitedSeconds} (platforms or database, rate-limited time left out)`],
  ...Object.entries(phases).map(([k, v]) => [`  ${k}, s`, `${v} (peak RSS ${phasePeakRssMb[k]} MB)`] as [string, unknown]),
  ...Object.entries(result.requests).map(([k, v]) => [`requests ${k}`, v] as [string, unknown]),
  [`at ${BUDGET_RPS} rps per platform (estimate), s`, `${result.atBudget.seconds} (requests ÷ budget)`],
  ['records read from the source', result.records.sourceRead], ['pushed', JSON.stringify(push)],
  ['reconciled', JSON.stringify(report.reconciliation?.perEntity)], ['peak RSS (gateway), MB', result.peakRssMb],
];
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(34)} ${String(v)}\n`);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'migrate.json'), `${JSON.stringify(result, null, 2)}\n`);
if (postgres && schema) await dropSchema(postgres, schema);
rmSync(dir, { recursive: true, force: true });
