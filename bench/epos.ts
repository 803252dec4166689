// ЭПОС.Школа benchmark (PLATFORM-SLICE.md "Benchmark"): read a 1,000-pupil school for one quarter from the
// emulator through the connector, map every batch. Reports wall time, requests, peak memory, records
// mapped per second, mapping cost (incl. zod validation of every platform record) against JSON.parse of the
// same bytes, and rate-limit utilisation (requests / (read seconds × budget)) with the emulator's observed
// peak rate, which must never exceed the budget. The emulator runs in its own process, so its arrival
// clock does not share the event loop with the mapper.
//
//   npx tsx bench/epos.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createEposConnector, eposConfig, eposDeclaration } from '../src/connectors/epos/index.js';
import { createLearningResolver } from '../src/connectors/learning-resolver.js';
import { mapContextFor } from '../src/connectors/mapping.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { startEposEmulator } from '../src/emulators/epos/index.js';
import type { EmulatorStatsSnapshot } from '../src/emulators/kit/index.js';
import type { StartupInfo } from '../src/emulators/kit/types.js';
import { eposMapper } from '../src/mappers/epos/index.js';

export interface BenchResult {
  platform: 'epos'; pupils: number; weeks: number; from: string; to: string; wallSeconds: number; requests: number; batches: number;
  records: number; quarantined: number; recordsMappedPerSec: number; peakRssMb: number; payloadMb: number; jsonParseMs: number; mapMs: number;
  mapToParseRatio: number; rateLimitRps: number; observedPeakRps: number; utilisation: number;
  targets: { ratioAtMost3: boolean; utilisationAtLeast90: boolean; neverExceeded: boolean };
}

export async function benchEpos(opts: { pupils?: number; weeks?: number; rps?: number } = {}): Promise<BenchResult> {
  const pupils = opts.pupils ?? Number(process.env.BENCH_PUPILS ?? 1000);
  const weeks = opts.weeks ?? Number(process.env.BENCH_WEEKS ?? 8); // the first quarter of 2025/2026
  const rps = opts.rps ?? Number(process.env.BENCH_RPS ?? 100);
  const emu = await spawnEmulator(pupils, weeks);
  const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
  const connector = createEposConnector(eposConfig.parse({
    baseUrl: emu.baseUrl, windowDays: 7, perPage: 1000, groupsPerRequest: 10,
    rateLimit: { requestsPerSecond: rps, concurrency: 8, windowMarginMs: Number(process.env.BENCH_MARGIN_MS ?? 300) },
    auth: { kind: 'password', login: admin.login, password: admin.password },
  }), { instance: 'bench' });
  const xwalk = new Map(emu.crosswalk.map((x) => [`${x.entity}:${x.sourceId}`, x.canonicalId]));
  const learning = createLearningResolver((e, id) => xwalk.get(`${e}:${id}`), 'epos');
  let peak = process.memoryUsage().rss;
  let batches = 0, records = 0, quarantined = 0, bytes = 0, parseMs = 0, mapMs = 0;
  const t0 = performance.now();
  await connector.open();
  try {
    for await (const b of connector.readSchool({ from: emu.from, to: emu.to })) {
      batches++;
      // The same bytes the connector received, parsed again only to time JSON.parse against the mapper.
      const text = JSON.stringify(b.payload);
      bytes += text.length;
      const p0 = performance.now();
      JSON.parse(text);
      const m0 = performance.now();
      parseMs += m0 - p0;
      const ctx = { ...mapContextFor(b, { system: 'epos', instance: 'bench', runId: 'bench', mapperVersion: eposDeclaration.mapperVersion, resolve: learning.resolve }), payloadHash: createHash('sha256').update(text).digest('hex') };
      const m = eposMapper(b.route, b.payload, ctx);
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
    platform: 'epos', pupils, weeks, from: emu.from, to: emu.to, wallSeconds: round(wallSeconds), requests: stats.total, batches, records, quarantined,
    recordsMappedPerSec: Math.round(records / (mapMs / 1000)), peakRssMb: Math.round(peak / 2 ** 20), payloadMb: round(bytes / 2 ** 20),
    jsonParseMs: round(parseMs), mapMs: round(mapMs), mapToParseRatio: round(ratio), rateLimitRps: rps, observedPeakRps: stats.peakRps,
    utilisation: round(utilisation), targets: { ratioAtMost3: ratio <= 3, utilisationAtLeast90: utilisation >= 0.9, neverExceeded: stats.peakRps <= rps },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
const self = fileURLToPath(import.meta.url);

interface ChildEmulator { baseUrl: string; info: StartupInfo; crosswalk: { entity: string; sourceId: string; canonicalId: string }[]; from: string; to: string; stats(): Promise<EmulatorStatsSnapshot>; close(): void }

async function spawnEmulator(pupils: number, weeks: number): Promise<ChildEmulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve-emulator', String(pupils), String(weeks)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  const first = await next() as { info: StartupInfo; crosswalk: ChildEmulator['crosswalk']; from: string; to: string };
  return {
    baseUrl: first.info.baseUrl, info: first.info, crosswalk: first.crosswalk, from: first.from, to: first.to,
    stats: async () => { child.stdin!.write('stats\n'); return (await next()) as unknown as EmulatorStatsSnapshot; },
    close: () => { child.stdin!.end(); },
  };
}

async function serveEmulator(pupils: number, weeks: number): Promise<void> {
  const school = generateSchool({ seed: 1, pupils, weeks, timeZone: 'Asia/Yekaterinburg' });
  const emu = await startEposEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  process.stdout.write(`${JSON.stringify({ info: emu.info, crosswalk: emu.crosswalk(), from: dates[0], to: dates.at(-1) })}\n`);
  for await (const line of createInterface({ input: process.stdin })) if (line === 'stats') process.stdout.write(`${JSON.stringify(emu.stats())}\n`);
  await emu.close();
}

if (process.argv[1] && path.resolve(process.argv[1]) === self && process.argv[2] === '--serve-emulator') {
  await serveEmulator(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const r = await benchEpos();
  const rows: [string, unknown][] = [
    ['school', `${r.pupils} pupils, ${r.weeks} weeks (${r.from} … ${r.to})`], ['wall time, s', r.wallSeconds], ['requests', r.requests],
    ['batches', r.batches], ['records mapped', r.records], ['quarantined', r.quarantined], ['records mapped / s', r.recordsMappedPerSec],
    ['peak RSS, MB', r.peakRssMb], ['payload, MB', r.payloadMb], ['JSON.parse, ms', r.jsonParseMs], ['map + validate, ms', r.mapMs],
    ['map / JSON.parse (≤ 3)', r.mapToParseRatio], ['rate limit, rps', r.rateLimitRps], ['observed peak, rps', r.observedPeakRps],
    ['utilisation (≥ 0.9)', r.utilisation],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(26)} ${String(v)}\n`);
  const dir = path.join(path.dirname(self), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'epos.json'), `${JSON.stringify(r, null, 2)}\n`);
}
