// Migration into ЭлЖур by import package (issue 8, seed 003: a school moving to ЭлЖур): a school-year of a
// 1,000-pupil school read from a source emulator (BENCH_SOURCE=dnevnik|asurso, default dnevnik), the package written,
// loaded by the ЭлЖур emulator as its support team would (platform time, not the gateway's), then `--verify-import`
// reading ЭлЖур back and reconciling. Prints wall and CPU time of the two gateway stages, the import's time, requests
// per platform and the records; writes bench/results/migrate-package.json.
//
//   npx tsx bench/migrate-package.ts                          1,000 pupils, 35 weeks, PostgreSQL if it answers
//   BENCH_PUPILS=100 BENCH_WEEKS=4 npx tsx bench/migrate-package.ts
//
// Measured 2026-11-30 13:24–13:36 (quiet 2-core machine, load average ~2, CPU profiler attached, which adds to both
// figures), Дневник.ру → ЭлЖур, 1,000 pupils × 35 weeks, PostgreSQL: package stage 356 s wall / 151 s CPU (source
// roster and journal read, 607,739 journal records stored, the package built: 373,896 marks, 80,885 absences, 53,516
// final marks, 41,300 lessons); the emulator's import 29 s; --verify-import 244 s wall / 95 s CPU; requests Дневник.ру
// 15,954, ЭлЖур 3,483; nothing lost. Gateway CPU 246 s: the ≤ 60 s of issue 8 is not met on this path either. (Before
// 2026-11-30 the package stage did not read ЭлЖур back first; it now does, so a second run finds nothing to do.)
// Again 2026-12-04 (quiet, load < 1, no profiler): package stage 227.7 s wall / 167.7 s CPU, import 21.4 s,
// --verify-import 81.1 s wall / 91.6 s CPU, gateway CPU 259.3 s, rate-limited 42.2 s; nothing lost.
// After the first-load changes (no deletes' read-back, no crosswalk clash join, the verification compared response by
// response), three runs 2026-12-04 22:00–22:22 (load ~2: the two emulators beside the gateway): package stage
// 186.2–197.0 s wall / 141.0–149.7 s CPU, import 20.2–21.8 s, --verify-import 79.0–97.8 s wall / 88.3–111.4 s CPU,
// gateway CPU 231.2–252.4 s, rate-limited 50.4–66.0 s; nothing lost. `packageSteps` in the result is the package
// stage's journal-sync clock (read, map, rules, store, link); BENCH_KEEP=1 keeps the reports, the package and the schema.
// After the homework comparison by id, the links two parts at a time and schoolRecords' sort, three runs 2026-12-05
// (load < 2): package stage 151.9–162.7 s wall / 118.6–124.7 s CPU, --verify-import 63.0–84.8 s / 70.6–93.3 s, gateway
// CPU 194.9–211.9 s, rate-limited 53.1–65.4 s, gateway time 171.3–175.6 s (docs/migration.md); nothing lost.
// After the store's batches as jsonb bytes encoded before the write and the comparison of canonical texts, two runs
// 2026-12-05 05:13–05:25: package stage 152.1–157.6 s / 133.2–133.9 s CPU, --verify-import 59.7–66.0 s / 66.4–73.6 s,
// gateway CPU 200.3–206.8 s, rate-limited 48.9–50.3 s, gateway time 167.8–168.4 s — within the spread; nothing lost.
// Those rate-limited figures were the gateway's own time: until 2026-12-05 a request counted as rate-limited while its
// Redis permit was being answered, and that answer waits for the event loop while the gateway maps (docs/migration.md).
// Now only what a limit holds back counts; with 5,000 rps it holds nothing back, so gateway time is the two stages'
// wall time — ~217–219 s for the runs just above. After pages mapped as read, on a slower machine (2026-12-05 08:00,
// load < 2): package stage 172.6–179.7 s / 151.2–154.1 s CPU, --verify-import 66.5–76.7 s / 75.2–83.8 s, gateway CPU
// 229.3–235.0 s, rate-limited 0, gateway time 239.1–256.4 s (257.4 s before the change, one run); nothing lost.
// `cpuShares` says who used the cores during the two stages. Two runs 2026-12-05 10:46–11:00 (the code of 816aced):
// gateway time 225.5 / 240.3 s, the gateway's process 215.7 / 225.4 s of CPU, the emulators 67.4 / 69.7 s, PostgreSQL
// 62.1 / 72.4 s (its floor for run 2's rows 20.2 s: bench/store-floor.ts); wall the stages could not go under with the
// gateway costing nothing 64.7 / 71.0 s (a third run: 223.2 s, 62.4 s). The ≤ 60 s cannot be met on this machine
// (docs/migration.md). BENCH_PUPILS=2000: gateway time 529.1 s, peak heap 2,944 MB (package) / 3,302 MB (verification)
// of Node's ~4 GB default: the package path holds a school-year (docs/migration.md, "Memory"). Without the record
// builder's retained context (7ebd05f): 1,000 pupils gateway time 233.8 s, peak heap 2,221 MB, floor without the
// gateway 64.6 s; 2,000 pupils 618.3 s, peak heap 2,707 MB, resident 3,283 MB.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as migrateCommand } from '../src/cli/commands/migrate.js';
import { rateLimitedMs } from '../src/connectors/http/index.js';
import { importIntoEmulator } from '../src/emulators/eljur/admin-import.js';
import { asursoInstance, dnevnikInstance, eljurInstance, gatewayYaml } from '../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../src/emulators/kit/types.js';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { dropSchema } from '../src/store/open-store.js';
import { cpuBetween, readCpu } from './kit/machine-cpu.js';
import { spawnEmulator, type ChildEmulator } from './kit/platform-bench.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PUPILS = Number(process.env.BENCH_PUPILS ?? 1000);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 35);
const SOURCE = process.env.BENCH_SOURCE === 'asurso' ? 'asurso' : 'dnevnik';
const seconds = (ms: number) => Math.round(ms / 10) / 100;

const postgres = process.env.BENCH_STORE === 'pglite' ? null : await findPostgres();
const schema = postgres ? `jg_bench_pkg_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'jg-bench-pkg-'));
process.stderr.write(`migrate-package bench: ${PUPILS} pupils, ${WEEKS} weeks, ${SOURCE} → ЭлЖур, store ${postgres ? 'PostgreSQL' : 'PGlite'}\n`);
const [source, target] = await Promise.all([
  spawnEmulator(SOURCE, PUPILS, WEEKS, SOURCE === 'asurso' ? { timeZone: 'Europe/Samara' } : {}),
  spawnEmulator('eljur', PUPILS, WEEKS, {}, { emptyJournal: true }),
]);
const asRunning = (e: ChildEmulator) => ({ baseUrl: e.baseUrl, info: e.info }) as unknown as RunningEmulator;
const a = SOURCE === 'asurso' ? asursoInstance('src', asRunning(source), 5000) : dnevnikInstance('src', asRunning(source), 5000);
const b = eljurInstance('eljur-new', asRunning(target), 5000);
const config = path.join(dir, 'gateway.yaml');
writeFileSync(config, gatewayYaml({
  instances: [a, b], names: [], store: postgres ? `  databaseUrl: "${postgres}"\n  schema: ${schema}` : `  dataDir: "${path.join(dir, 'data')}"`,
  schools: [{ id: 's1', sor: 'src', platforms: [{ instance: 'src', schoolId: a.schoolId }, { instance: 'eljur-new', schoolId: b.schoolId }] }],
}));
const reports = path.join(dir, 'reports');
const migrate = (verifyImport: boolean) => migrateCommand({ config, from: 'src', to: 'eljur-new', school: 's1', since: source.from, until: source.to, out: reports, verifyImport });
// The V8 heap's highest use, sampled (what Node's heap limit is checked against; the resident set also counts buffers).
let peakHeap = 0;
setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 250).unref();
/**
 * Wall and CPU time of one gateway stage, and who else used the cores meanwhile: the two emulators (the platforms'
 * answer time, on these same cores), PostgreSQL's server and the whole machine (anything left over is outside the bench).
 */
async function timed(run: () => Promise<number>) {
  const emulatorCpu = () => Promise.all([source.cpuSeconds(), target.cpuSeconds()]);
  const [source0, eljur0] = await emulatorCpu();
  const machine0 = readCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const code = await run();
  const cpu = process.cpuUsage(cpu0);
  const wallSeconds = seconds(performance.now() - t0);
  const machine = cpuBetween(machine0, readCpu());
  const [source1, eljur1] = await emulatorCpu();
  return {
    code, wallSeconds, cpuSeconds: seconds((cpu.user + cpu.system) / 1000),
    // The highest resident set and V8 heap so far (the package stage holds the school's records while it plans).
    peakRssMbSoFar: Math.round(process.resourceUsage().maxRSS / 1024), peakHeapMbSoFar: Math.round(peakHeap / 1048576),
    alongside: { sourceEmulatorCpuSeconds: seconds((source1 - source0) * 1000), eljurEmulatorCpuSeconds: seconds((eljur1 - eljur0) * 1000), postgresCpuSeconds: machine.postgres, machineBusyCpuSeconds: machine.machineBusy },
  };
}
const limited0 = rateLimitedMs();
const packageStage = await timed(() => migrate(false));
const packageDir = path.join(reports, readdirSync(reports).find((f) => f.endsWith('-package'))!);
// The package stage's own steps (read, map, rules, store, link: journal-sync's clock), before the verification's report replaces it.
const packageSteps = (JSON.parse(readFileSync(path.join(reports, readdirSync(reports).find((f) => f.endsWith('.json'))!), 'utf8')) as { steps: { kind: string; seconds?: Record<string, number> }[] }).steps.map((s) => ({ kind: s.kind, seconds: s.seconds }));
const i0 = performance.now();
const loaded = await importIntoEmulator(target.baseUrl, String(target.info.devkey), packageDir);
const importSeconds = seconds(performance.now() - i0);
const verifyStage = await timed(() => migrate(true));
// The two gateway stages' cores together: what the gateway used, what the platforms and the database used beside it,
// and the wall time the stages could not go under on this machine even if the gateway itself cost nothing.
const both = (f: (s: typeof packageStage) => number | null) => {
  const [x, y] = [f(packageStage), f(verifyStage)];
  return x === null || y === null ? null : seconds((x + y) * 1000);
};
const cores = availableParallelism();
const beside = both((s) => s.alongside.postgresCpuSeconds === null ? null : s.alongside.sourceEmulatorCpuSeconds + s.alongside.eljurEmulatorCpuSeconds + s.alongside.postgresCpuSeconds);
const cpuShares = {
  cores, wallSeconds: both((s) => s.wallSeconds), machineBusyCpuSeconds: both((s) => s.alongside.machineBusyCpuSeconds),
  gatewayCpuSeconds: both((s) => s.cpuSeconds), sourceEmulatorCpuSeconds: both((s) => s.alongside.sourceEmulatorCpuSeconds),
  eljurEmulatorCpuSeconds: both((s) => s.alongside.eljurEmulatorCpuSeconds), postgresCpuSeconds: both((s) => s.alongside.postgresCpuSeconds),
  wallFloorWithoutGatewaySeconds: beside === null ? null : seconds((beside / cores) * 1000),
};
const result = {
  at: new Date().toISOString(), source: SOURCE, pupils: PUPILS, weeks: WEEKS, store: postgres ? 'postgres' : 'pglite',
  packageStage, packageSteps, importSeconds, verifyStage, rateLimitedSeconds: seconds(rateLimitedMs() - limited0),
  gatewayCpuSeconds: cpuShares.gatewayCpuSeconds, cpuShares,
  requests: { source: (await source.stats()).total, eljur: (await target.stats()).total }, loaded, ok: verifyStage.code === 0,
};
source.close();
target.close();
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'migrate-package.json'), `${JSON.stringify(result, null, 2)}\n`);
// BENCH_KEEP=1 keeps the store's schema too (bench/store-floor.ts measures PostgreSQL's own floor on its rows).
if (postgres && schema && process.env.BENCH_KEEP) process.stderr.write(`kept: ${dir}, schema ${schema}\n`);
else if (postgres && schema) await dropSchema(postgres, schema);
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
