// ЭПОС.Школа read benchmark: a 1,000-pupil school (Perm's zone) for one quarter from the emulator
// (bench/kit/platform-bench.ts).
//
//   npx tsx bench/epos.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { eposBenchConfig } from './kit/bench-configs.js';
import { report, runPlatformBench } from './kit/platform-bench.js';

report(await runPlatformBench({
  platform: 'epos',
  rps: 100,
  dataset: { timeZone: 'Asia/Yekaterinburg' },
  connectorConfig: eposBenchConfig,
}));
