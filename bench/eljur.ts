// ЭлЖур benchmark (PLATFORM-SLICE.md "Benchmark"): read a 1,000-pupil school for one quarter from the
// emulator through the connector (a class per request: getdiary, getmarks, getfinalassessments), map every
// batch. Reports wall time, requests, peak memory, records mapped per second, mapping cost (incl. zod
// validation; for XML incl. the XML reading) against JSON.parse of the same data as JSON, and rate-limit
// utilisation with the emulator's observed peak rate, which must never exceed the budget.
//
//   npx tsx bench/eljur.ts        (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_FORMAT=json|xml override the defaults)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createEljurConnector, eljurConfig, eljurDeclaration } from '../src/connectors/eljur/index.js';
import { createLearningResolver } from '../src/connectors/learning-resolver.js';
import { mapContextFor } from '../src/connectors/mapping.js';
import type { EmulatorStatsSnapshot } from '../src/emulators/kit/index.js';
import type { StartupInfo } from '../src/emulators/kit/types.js';
import { eljurMapper, parseEljurXml } from '../src/mappers/eljur/index.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { startEljurEmulator } from '../src/emulators/eljur/index.js';

export interface BenchResult {
  platform: 'eljur';
  format: 'json' | 'xml';
  pupils: number;
  weeks: number;
  from: string;
  to: string;
  wallSeconds: number;
  requests: number;
  batches: number;
  records: number;
  quarantined: number;
  recordsMappedPerSec: number;
  peakRssMb: number;
  payloadMb: number;
  jsonParseMs: number;
  mapMs: number;
  mapToParseRatio: number;
  rateLimitRps: number;
  observedPeakRps: number;
  utilisation: number;
  targets: { ratioAtMost3: boolean; utilisationAtLeast90: boolean; neverExceeded: boolean };
}

export async function benchEljur(opts: { pupils?: number; weeks?: number; rps?: number; format?: 'json' | 'xml' } = {}): Promise<BenchResult> {
  const pupils = opts.pupils ?? Number(process.env.BENCH_PUPILS ?? 1000);
  const weeks = opts.weeks ?? Number(process.env.BENCH_WEEKS ?? 8); // the first quarter of 2025/2026
  const rps = opts.rps ?? Number(process.env.BENCH_RPS ?? 20);
  const format = opts.format ?? (process.env.BENCH_FORMAT === 'xml' ? 'xml' : 'json');
  // The emulator runs in its own process so its arrival clock does not share the mapper's event loop.
  const emu = await spawnEmulator(pupils, weeks);
  const { from, to } = emu;
  const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
  const connector = createEljurConnector(eljurConfig.parse({
    baseUrl: emu.baseUrl, devkey: emu.info.devkey, vendor: emu.info.vendor, format, timeZone: emu.info.timeZone, windowDays: 7,
    rateLimit: { requestsPerSecond: rps, concurrency: 8, windowMarginMs: Number(process.env.BENCH_MARGIN_MS ?? 150) },
    auth: { kind: 'credentials', login: admin.login, password: admin.password },
  }), { instance: 'bench' });
  const xwalk = new Map(emu.crosswalk.map((x) => [`${x.entity}:${x.sourceId}`, x.canonicalId]));
  const learning = createLearningResolver((e, id) => xwalk.get(`${e}:${id}`), 'eljur');
  let peak = process.memoryUsage().rss;
  let batches = 0;
  let records = 0;
  let quarantined = 0;
  let bytes = 0;
  let parseMs = 0;
  let mapMs = 0;
  const t0 = performance.now();
  await connector.open();
  try {
    for await (const b of connector.readSchool({ from, to })) {
      batches++;
      // Let requests whose rate permit was just stamped leave before the next long synchronous mapping:
      // a send delayed by a blocked event loop arrives bunched with later ones (the emulator counts arrivals).
      await new Promise((r) => setImmediate(r));
      // JSON.parse of the same data as JSON text (for XML: what the XML says, written as JSON), timed only.
      const received = typeof b.payload === 'string' ? b.payload : JSON.stringify(b.payload);
      const jsonText = typeof b.payload === 'string' ? JSON.stringify(parseEljurXml(b.payload)) : received;
      bytes += Buffer.byteLength(received);
      const p0 = performance.now();
      JSON.parse(jsonText);
      const m0 = performance.now();
      parseMs += m0 - p0;
      const ctx = { ...mapContextFor(b, { system: 'eljur', instance: 'bench', runId: 'bench', mapperVersion: eljurDeclaration.mapperVersion, resolve: learning.resolve }), payloadHash: createHash('sha256').update(received).digest('hex') };
      const m = eljurMapper(b.route, b.payload, ctx);
      learning.learn(m.records);
      mapMs += performance.now() - m0;
      records += m.records.length;
      quarantined += m.quarantine.length;
      if (batches % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
  } finally {
    await connector.close();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const stats = await emu.stats();
  emu.close();
  const utilisation = stats.total / (wallSeconds * rps);
  const ratio = mapMs / parseMs;
  return {
    platform: 'eljur', format, pupils, weeks, from, to, wallSeconds: round(wallSeconds), requests: stats.total, batches, records, quarantined,
    recordsMappedPerSec: Math.round(records / (mapMs / 1000)), peakRssMb: Math.round(peak / 2 ** 20), payloadMb: round(bytes / 2 ** 20),
    jsonParseMs: round(parseMs), mapMs: round(mapMs), mapToParseRatio: round(ratio), rateLimitRps: rps, observedPeakRps: stats.peakRps,
    utilisation: round(utilisation),
    targets: { ratioAtMost3: ratio <= 3, utilisationAtLeast90: utilisation >= 0.9, neverExceeded: stats.peakRps <= rps },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
const self = fileURLToPath(import.meta.url);

interface ChildEmulator { baseUrl: string; info: StartupInfo & { devkey: string; vendor: string; timeZone: string }; crosswalk: { entity: string; sourceId: string; canonicalId: string }[]; from: string; to: string; stats(): Promise<EmulatorStatsSnapshot>; close(): void }

async function spawnEmulator(pupils: number, weeks: number): Promise<ChildEmulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve-emulator', String(pupils), String(weeks)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  const first = await next() as unknown as Omit<ChildEmulator, 'stats' | 'close' | 'baseUrl'>;
  return {
    ...first, baseUrl: first.info.baseUrl,
    stats: async () => { child.stdin!.write('stats\n'); return (await next()) as unknown as EmulatorStatsSnapshot; },
    close: () => { child.stdin!.end(); },
  };
}

async function serveEmulator(pupils: number, weeks: number): Promise<void> {
  const school = generateSchool({ seed: 1, pupils, weeks });
  const emu = await startEljurEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  process.stdout.write(`${JSON.stringify({ info: emu.info, crosswalk: emu.crosswalk(), from: dates[0], to: dates.at(-1) })}\n`);
  for await (const line of createInterface({ input: process.stdin })) if (line === 'stats') process.stdout.write(`${JSON.stringify(emu.stats())}\n`);
  await emu.close();
}

if (process.argv[1] && path.resolve(process.argv[1]) === self && process.argv[2] === '--serve-emulator') {
  await serveEmulator(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const r = await benchEljur();
  const rows: [string, unknown][] = [
    ['school', `${r.pupils} pupils, ${r.weeks} weeks (${r.from} … ${r.to}), out_format=${r.format}`], ['wall time, s', r.wallSeconds], ['requests', r.requests],
    ['batches', r.batches], ['records mapped', r.records], ['quarantined', r.quarantined], ['records mapped / s', r.recordsMappedPerSec],
    ['peak RSS, MB', r.peakRssMb], ['payload, MB', r.payloadMb], ['JSON.parse, ms', r.jsonParseMs], ['map + validate, ms', r.mapMs],
    ['map / JSON.parse (≤ 3)', r.mapToParseRatio], ['rate limit, rps', r.rateLimitRps], ['observed peak, rps', r.observedPeakRps],
    ['utilisation (≥ 0.9)', r.utilisation],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(26)} ${String(v)}\n`);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `eljur${r.format === 'xml' ? '-xml' : ''}.json`), `${JSON.stringify(r, null, 2)}\n`);
}
