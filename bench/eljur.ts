// ЭлЖур read benchmark: a 1,000-pupil school for one quarter from the emulator, in `out_format=json` or `xml`
// (BENCH_FORMAT). For XML, JSON.parse is timed on the same data written as JSON (bench/kit/platform-bench.ts).
//
//   npx tsx bench/eljur.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS, BENCH_FORMAT override the defaults)
import { parseEljurXml } from '../src/mappers/eljur/xml.js';
import { eljurBenchConfig } from './kit/bench-configs.js';
import { report, runPlatformBench } from './kit/platform-bench.js';

const format = process.env.BENCH_FORMAT === 'xml' ? 'xml' : 'json';
report(await runPlatformBench({
  platform: 'eljur',
  rps: 20,
  label: { format },
  connectorConfig: (emu, rateLimit) => eljurBenchConfig(emu, rateLimit, format),
  parseBaseline: (b) => {
    if (typeof b.payload !== 'string') { const t = JSON.stringify(b.payload); return { json: t, received: t }; }
    return { json: JSON.stringify(parseEljurXml(b.payload)), received: b.payload };
  },
}), `eljur-${format}`);
