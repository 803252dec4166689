// Дневник.ру read benchmark: a 1,000-pupil school for one quarter from the emulator (bench/kit/platform-bench.ts).
//
//   npx tsx bench/dnevnik.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { dnevnikBenchConfig } from './kit/bench-configs.js';
import { report, runPlatformBench } from './kit/platform-bench.js';

report(await runPlatformBench({
  platform: 'dnevnik',
  rps: 100, // no published limit (platforms.md §3.5): a generous partner budget
  connectorConfig: dnevnikBenchConfig,
}));
