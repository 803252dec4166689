// The platform read benchmark (PLATFORM-SLICE.md "Benchmark"), shared by bench/<platform>.ts: read a school
// for a quarter from the platform's emulator through its connector and map every batch. Reports wall time,
// requests, peak memory, records mapped per second, mapping cost in wall time of the main thread (mapBatch as production runs it: zod validation of every platform
// record) against JSON.parse of the same data, and rate-limit use (requests / (read seconds × budget)) with
// the emulator's observed peak rate, which must never exceed the budget.
//
// The emulator runs in a child process (this file, `--serve-emulator`): in-process, its arrival clock would
// share the event loop with the mapper and bunch arrivals up, which distorts the peak rate it reports.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Capability, PlatformBatch } from '../../src/connectors/contract.js';
import { createLearningResolver } from '../../src/connectors/learning-resolver.js';
import { IdTable } from '../../src/connectors/id-table.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import { receivedBodyHash } from '../../src/connectors/http/received-body.js';
import { DEFAULT_WINDOW_MARGIN_MS } from '../../src/connectors/http/rate-limiter.js';
import { createConnectorFor, getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type DatasetOptions } from '../../src/emulators/dataset/index.js';
import type { EmulatorStatsSnapshot } from '../../src/emulators/kit/index.js';
import type { StartupInfo } from '../../src/emulators/kit/types.js';
import { sha256Hex } from '../../src/model/hash.js';
import { naturalId } from '../../src/model/ids.js';
import { recomputeHash } from '../../src/model/records.js';

export interface ChildEmulator {
  baseUrl: string;
  info: StartupInfo & Record<string, any>;
  crosswalk: { entity: string; sourceId: string; canonicalId: string }[];
  from: string;
  to: string;
  stats(): Promise<EmulatorStatsSnapshot>;
  /** CPU seconds the emulator's process has used so far (serving, generating its school, its garbage collection). */
  cpuSeconds(): Promise<number>;
  /** A teacher corrects `share` of the marks in the emulator's data (emulators with `correctMarks`); their platform ids. */
  correctMarks(share: number, seed: number): Promise<string[]>;
  close(): void;
}

export interface PlatformBenchSpec {
  /** Registry id (`dnevnik`, `asurso`, …). */
  platform: string;
  /** Default requests per second of the budget (BENCH_RPS overrides). */
  rps: number;
  /** Dataset options beyond size (e.g. the platform's region's time zone; `seed` 2 is the warm-up school's). */
  dataset?: Partial<DatasetOptions>;
  /** The connector's raw config for this emulator (validated by the platform's own schema). */
  connectorConfig(emu: ChildEmulator, rateLimit: { requestsPerSecond: number; concurrency: number; windowMarginMs: number }): unknown;
  /**
   * The text JSON.parse is timed on, and the bytes received (default: the payload as JSON for both; a platform
   * answering in XML gives the same data written as JSON).
   */
  parseBaseline?(b: PlatformBatch): { json: string; received: string };
  /** Extra figures for the printed table and the JSON (e.g. the answer format). */
  label?: Record<string, string>;
  /** What to read (default: everything the connector reads by default). */
  capabilities?: Capability[];
}

export interface BenchResult {
  platform: string;
  label: Record<string, string>;
  /** Pupils of the school read and mapped before the measured one (0: a cold process). */
  warmUpPupils: number;
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
  /** Time the envelope's hashing takes, re-run alone: SHA-256 content hash + one UUIDv5 id per record. */
  hashMs: number;
  /** SHA-256 of the received bodies, taken by the HTTP layer on receipt (provenance.payloadHash); not in mapMs. */
  receiptHashMs: number;
  /** Batches whose payload a connector assembled from several answers: mapBatch hashes them as canonical JSON (in mapMs). */
  assembledPayloads: number;
  /** (mapMs − hashMs) / jsonParseMs: mapping and validation without the envelope's hashing. */
  mapWithoutHashingRatio: number;
  mapToParseRatio: number;
  /**
   * Per route: records mapped and the time of JSON.parse and of mapping. (Wall time of the main thread: the
   * process's CPU time would also count V8's background GC threads, which run during whichever phase is timed.)
   */
  routes: Record<string, { records: number; parseMs: number; mapMs: number }>;
  rateLimitRps: number;
  windowMarginMs: number;
  observedPeakRps: number;
  utilisation: number;
  targets: { ratioAtMost3: boolean; utilisationAtLeast90: boolean; neverExceeded: boolean };
}

const self = fileURLToPath(import.meta.url);
const round = (x: number) => Math.round(x * 100) / 100;

export async function runPlatformBench(spec: PlatformBenchSpec, opts: { pupils?: number; weeks?: number; rps?: number } = {}): Promise<BenchResult> {
  const pupils = opts.pupils ?? Number(process.env.BENCH_PUPILS ?? 1000);
  const weeks = opts.weeks ?? Number(process.env.BENCH_WEEKS ?? 8); // the first quarter of 2025/2026
  const rps = opts.rps ?? Number(process.env.BENCH_RPS ?? spec.rps);
  const windowMarginMs = Number(process.env.BENCH_MARGIN_MS ?? DEFAULT_WINDOW_MARGIN_MS);
  const entry = getPlatform(spec.platform);
  const warmUpPupils = Number(process.env.BENCH_WARMUP_PUPILS ?? 100);
  if (warmUpPupils > 0) await warmUp(spec, warmUpPupils, weeks);
  const emu = await spawnEmulator(spec.platform, pupils, weeks, spec.dataset ?? {});
  const connector = createConnectorFor(spec.platform, spec.connectorConfig(emu, { requestsPerSecond: rps, concurrency: 8, windowMarginMs }), { instance: 'bench' });
  const xwalk = new IdTable(); // the crosswalk of the school's long-lived records, as the sync engine holds it
  for (const x of emu.crosswalk) xwalk.set(x.entity, x.sourceId, x.canonicalId);
  const { system, mapperVersion } = entry.declaration;
  const learning = createLearningResolver((e, id) => xwalk.get(e, id), system);
  const baseline = spec.parseBaseline ?? ((b: PlatformBatch) => { const t = JSON.stringify(b.payload); return { json: t, received: t }; });
  let peak = process.memoryUsage().rss;
  let batches = 0;
  let records = 0;
  let quarantined = 0;
  let bytes = 0;
  let parseMs = 0;
  let mapMs = 0;
  let hashMs = 0;
  let receiptHashMs = 0;
  const routes: BenchResult['routes'] = {};
  let assembled = 0;
  const t0 = performance.now();
  await connector.open();
  try {
    for await (const b of connector.readSchool({ from: emu.from, to: emu.to, capabilities: spec.capabilities })) {
      batches++;
      // The same data the connector received, parsed again only to time JSON.parse against the mapper.
      const { json, received } = baseline(b);
      bytes += Buffer.byteLength(received);
      const p0 = performance.now();
      JSON.parse(json);
      const m0 = performance.now();
      parseMs += m0 - p0;
      // The production path: mapBatch stamps provenance with the payload hash (the received bytes' hash, taken
      // by the HTTP layer on receipt; canonical JSON for a payload the connector assembled) and maps.
      const m = mapBatch(entry.mapper, b, { system, instance: 'bench', runId: 'bench', mapperVersion, resolve: learning.resolve });
      learning.learn(m.records);
      const m1 = performance.now();
      mapMs += m1 - m0;
      const perRoute = routes[b.route] ??= { records: 0, parseMs: 0, mapMs: 0 };
      perRoute.records += m.records.length;
      perRoute.parseMs += m0 - p0;
      perRoute.mapMs += m1 - m0;
      // The hashing every record's envelope needs (canonical-model.md: hex SHA-256 content hash, UUIDv5 event
      // ids), re-run alone on the same records so the report shows how much of the mapping cost it is: the content
      // hash through the entity's known keys, as the mapper takes it (recomputeHash; the general canonical-JSON path
      // this re-run took before cost about twice the mapper's own, so "without hashing" read too low), one id each.
      const h0 = performance.now();
      for (const r of m.records) recomputeHash(r as unknown as Record<string, unknown>);
      for (const r of m.records) naturalId(r.entity, r.id);
      hashMs += performance.now() - h0;
      if (receivedBodyHash(b.payload) === undefined && typeof b.payload === 'object') assembled++;
      // What the HTTP layer spent hashing this body on receipt (not mapping: it happens once per answer).
      const r0 = performance.now();
      if (receivedBodyHash(b.payload) !== undefined) sha256Hex(received);
      receiptHashMs += performance.now() - r0;
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
    platform: spec.platform, label: spec.label ?? {}, warmUpPupils, pupils, weeks, from: emu.from, to: emu.to, wallSeconds: round(wallSeconds), requests: stats.total, batches, records,
    quarantined, recordsMappedPerSec: Math.round(records / (mapMs / 1000)), peakRssMb: Math.round(peak / 2 ** 20), payloadMb: round(bytes / 2 ** 20),
    jsonParseMs: round(parseMs), mapMs: round(mapMs), mapToParseRatio: round(ratio), routes, hashMs: round(hashMs), receiptHashMs: round(receiptHashMs), assembledPayloads: assembled, mapWithoutHashingRatio: round((mapMs - hashMs) / parseMs), rateLimitRps: rps, windowMarginMs, observedPeakRps: stats.peakRps,
    utilisation: round(utilisation), targets: { ratioAtMost3: ratio <= 3, utilisationAtLeast90: utilisation >= 0.9, neverExceeded: stats.peakRps <= rps },
  };
}

/**
 * Reads and maps another, smaller school (another seed: none of its ids, so none of the mappers' caches, carry
 * over) before the measured one. A worker maps school after school; from its second school on its mappers run as
 * optimised code, and that steady state is what the mapping cost is about. A fresh process maps its first school
 * partly in the interpreter — BENCH_WARMUP_PUPILS=0 measures that instead (docs/platforms/*.md give both).
 */
async function warmUp(spec: PlatformBenchSpec, pupils: number, weeks: number): Promise<void> {
  const entry = getPlatform(spec.platform);
  const emu = await spawnEmulator(spec.platform, pupils, weeks, { ...spec.dataset, seed: 2 });
  try {
    // Its own instance name: the measured read must not share (or inherit the options of) this read's rate gate.
    const connector = createConnectorFor(spec.platform, spec.connectorConfig(emu, { requestsPerSecond: 5000, concurrency: 8, windowMarginMs: 0 }), { instance: 'bench-warm-up' });
    const xwalk = new IdTable();
    for (const x of emu.crosswalk) xwalk.set(x.entity, x.sourceId, x.canonicalId);
    const { system, mapperVersion } = entry.declaration;
    const learning = createLearningResolver((e, id) => xwalk.get(e, id), system);
    await connector.open();
    try {
      for await (const b of connector.readSchool({ from: emu.from, to: emu.to, capabilities: spec.capabilities })) {
        learning.learn(mapBatch(entry.mapper, b, { system, instance: 'bench-warm-up', runId: 'warm-up', mapperVersion, resolve: learning.resolve }).records);
      }
    } finally {
      await connector.close();
    }
  } finally {
    emu.close();
  }
}

/** Prints the result as a table and writes `bench/results/<name>.json`. */
export function report(r: BenchResult, name = r.platform): void {
  const rows: [string, unknown][] = [
    ['school', `${r.pupils} pupils, ${r.weeks} weeks (${r.from} … ${r.to})`],
    ['mapped before (warm-up)', r.warmUpPupils > 0 ? `a ${r.warmUpPupils}-pupil school` : 'nothing (cold process)'], ...Object.entries(r.label), ['wall time, s', r.wallSeconds],
    ['requests', r.requests], ['batches', r.batches], ['records mapped', r.records], ['quarantined', r.quarantined],
    ['records mapped / s', r.recordsMappedPerSec], ['peak RSS, MB', r.peakRssMb], ['payload, MB', r.payloadMb], ['JSON.parse, ms', r.jsonParseMs],
    ['map + validate, ms', r.mapMs], ['map / JSON.parse (≤ 3)', r.mapToParseRatio],
    ['of which hashing, ms', r.hashMs],
    ['without hashing / parse', r.mapWithoutHashingRatio], ['assembled payloads', r.assembledPayloads],
    ['receipt hashing, ms', r.receiptHashMs], ['rate limit, rps', r.rateLimitRps],
    ['limiter margin, ms', r.windowMarginMs], ['observed peak, rps', r.observedPeakRps], ['utilisation (≥ 0.9)', r.utilisation],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(26)} ${String(v)}\n`);
  process.stdout.write('ms by route (records, JSON.parse, map, ratio):\n');
  for (const [route, x] of Object.entries(r.routes).sort((a, b) => b[1].mapMs - a[1].mapMs).slice(0, 8)) {
    process.stdout.write(`  ${route.padEnd(40)} ${String(x.records).padStart(7)} ${x.parseMs.toFixed(0).padStart(6)} ${x.mapMs.toFixed(0).padStart(6)} ${(x.mapMs / Math.max(x.parseMs, 0.001)).toFixed(2).padStart(7)}\n`);
  }
  const dir = path.join(path.dirname(self), '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
}

/** What an emulator is started with beside its dataset (e.g. a migration target's empty journal). */
export interface ChildEmulatorOptions {
  emptyJournal?: boolean;
}

/**
 * Starts a platform's emulator on a generated school in a child process (`dataset.seed` picks the school, default 1)
 * and talks to it over stdin/stdout: one JSON line per command.
 */
export async function spawnEmulator(platform: string, pupils: number, weeks: number, dataset: Partial<DatasetOptions>, start: ChildEmulatorOptions = {}): Promise<ChildEmulator> {
  // BENCH_EMULATOR_PROF=<dir>: a CPU profile of each emulator process (where a platform's answer time goes).
  const prof = process.env.BENCH_EMULATOR_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_EMULATOR_PROF] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', self, '--serve-emulator', platform, String(pupils), String(weeks), JSON.stringify(dataset), JSON.stringify(start)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  const first = await next() as { info: ChildEmulator['info']; crosswalk: ChildEmulator['crosswalk']; from: string; to: string };
  return {
    baseUrl: first.info.baseUrl, info: first.info, crosswalk: first.crosswalk, from: first.from, to: first.to,
    stats: async () => { child.stdin!.write('stats\n'); return (await next()) as unknown as EmulatorStatsSnapshot; },
    cpuSeconds: async () => { child.stdin!.write('cpu\n'); return Number((await next()).cpuSeconds); },
    correctMarks: async (share, seed) => {
      child.stdin!.write(`correct-marks ${share} ${seed}\n`);
      const answer = await next() as { changed?: string[]; error?: string };
      if (!answer.changed) throw new Error(`${platform} emulator: ${answer.error ?? 'no answer to correct-marks'}`);
      return answer.changed;
    },
    close: () => { child.stdin!.end(); },
  };
}

async function serveEmulator(platform: string, pupils: number, weeks: number, dataset: Partial<DatasetOptions>, start: ChildEmulatorOptions): Promise<void> {
  const school = generateSchool({ seed: 1, ...dataset, pupils, weeks });
  const emu = await getPlatform(platform).emulator.start({ dataset: school, ...start });
  const dates = school.all('lesson').map((l) => l.date).sort();
  const crosswalk = (emu as unknown as { crosswalk(): ChildEmulator['crosswalk'] }).crosswalk();
  process.stdout.write(`${JSON.stringify({ info: emu.info, crosswalk, from: dates[0], to: dates.at(-1) })}\n`);
  const correctable = emu as unknown as { correctMarks?(share: number, seed: number): string[] };
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = line.split(' ');
    if (command === 'stats') process.stdout.write(`${JSON.stringify(emu.stats())}\n`);
    else if (command === 'cpu') {
      const used = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
    }
    else if (command === 'correct-marks') {
      process.stdout.write(`${JSON.stringify(correctable.correctMarks
        ? { changed: correctable.correctMarks(Number(args[0]), Number(args[1])) }
        : { error: 'this emulator cannot correct marks' })}\n`);
    }
  }
  await emu.close();
}

if (process.argv[1] && path.resolve(process.argv[1]) === self && process.argv[2] === '--serve-emulator') {
  await serveEmulator(process.argv[3], Number(process.argv[4]), Number(process.argv[5]), JSON.parse(process.argv[6] ?? '{}') as Partial<DatasetOptions>, JSON.parse(process.argv[7] ?? '{}') as ChildEmulatorOptions);
}
