// АСУ РСО read benchmark: a 1,000-pupil school for one quarter from the emulator through the teacher
// journal routes (bench/kit/platform-bench.ts). Final marks (one report per pupil through the report queue)
// are measured apart: bench/asurso-finals.ts.
//
//   npx tsx bench/asurso.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { report, runPlatformBench } from './kit/platform-bench.js';
import { asursoBenchConfig } from './kit/bench-configs.js';

report(await runPlatformBench({ platform: 'asurso', rps: 50, capabilities: ['roster.read', 'journal.read'], connectorConfig: asursoBenchConfig }));
