// АСУ РСО final marks benchmark: a 1,000-pupil school after its first quarter, final marks only — one
// `reports/studenttotal` report per pupil through the report queue (queue → the queue hub: the emulator states
// 5.44, so the ASP.NET Core hub over one websocket → files/{id} HTML), plus the class lists that place them. The mapping ratio compares the HTML reader with
// JSON.parse of the same text as a JSON string (a floor, not a like-for-like parse).
//
//   npx tsx bench/asurso-finals.ts     (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { report, runPlatformBench } from './kit/platform-bench.js';
import { asursoBenchConfig } from './kit/bench-configs.js';

report(await runPlatformBench({
  platform: 'asurso', rps: 50, capabilities: ['finals.read'], label: { read: 'final marks (report queue)' }, connectorConfig: asursoBenchConfig,
}), 'asurso-finals');
