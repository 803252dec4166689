// `npm run bench`: the foundation's figures on this machine — synthetic-school generation rate and
// canonical-store upsert throughput for one school-year of a 1,000-pupil school (first load and an
// unchanged re-load) on PGlite and PostgreSQL. Each measurement runs in its own process so one
// backend's memory (PGlite's WASM heap is ~0.8 GB by itself) never shows up in another's peak.
// The store figures time the store alone (the school is generated before the clock starts); peak memory
// is taken from a separate streaming run. Prints a table and writes bench/results/foundation.json.
//
//   npm run bench                 all measurements
//   npx tsx bench/run.ts generate|pglite|postgres   one measurement, JSON on stdout
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRecords } from '../src/emulators/dataset/index.js';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { benchStore } from './store-bench.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHOOL = { seed: 1, pupils: Number(process.env.BENCH_PUPILS ?? 1000) };

async function measureGeneration() {
  let peak = process.memoryUsage().rss;
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  let n = 0;
  for (const r of generateRecords(SCHOOL)) {
    counts[r.entity] = (counts[r.entity] ?? 0) + 1;
    if (++n % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { kind: 'generate', records: n, seconds, recordsPerSec: Math.round(n / seconds), peakRssMb: Math.round(peak / 2 ** 20), counts };
}

/**
 * Store throughput: the school is generated first (not timed), so the two passes measure the store alone.
 * Memory is measured separately by `stream`, where records flow from the generator into PostgreSQL.
 */
async function measureStore(backend: 'pglite' | 'postgres') {
  if (backend === 'postgres' && !(await findPostgres())) return { kind: backend, skipped: 'no PostgreSQL (set DATABASE_URL)' };
  const records = [...generateRecords(SCHOOL)];
  const r = await benchStore(backend, records);
  return { kind: backend, ...r };
}

/** Peak memory of the streaming path: generate → validate → PostgreSQL, nothing held in memory. */
async function measureStream() {
  if (!(await findPostgres())) return { kind: 'stream', skipped: 'no PostgreSQL (set DATABASE_URL)' };
  const r = await benchStore('postgres', () => generateRecords(SCHOOL));
  return { kind: 'stream', seconds: r.firstLoad.seconds, peakRssMb: Math.max(r.firstLoad.peakRssMb, r.reload.peakRssMb) };
}

async function one(kind: string) {
  if (kind === 'generate') return measureGeneration();
  if (kind === 'pglite' || kind === 'postgres') return measureStore(kind);
  if (kind === 'stream') return measureStream();
  throw new Error(`unknown measurement "${kind}" (generate, pglite, postgres, stream)`);
}

function runChild(kind: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'run.ts'), kind], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20, env: process.env,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

type Row = Record<string, any>;

async function main() {
  const arg = process.argv[2];
  if (arg) {
    process.stdout.write(`${JSON.stringify(await one(arg))}\n`);
    return;
  }
  process.stderr.write(`bench: one school-year of a ${SCHOOL.pupils}-pupil school, seed ${SCHOOL.seed}\n`);
  const gen = runChild('generate') as Row;
  process.stderr.write(`generation: ${gen.records} records in ${gen.seconds.toFixed(1)} s\n`);
  const stores = ['postgres', 'pglite'].map((b) => runChild(b) as Row);
  const stream = runChild('stream') as Row;
  const lines = [
    `records per entity: ${Object.entries(gen.counts).map(([e, n]) => `${e} ${n}`).join(', ')}`,
    '',
    'measurement                  records   seconds   records/s   peak RSS MB   target',
    `generate (stream)          ${String(gen.records).padStart(9)} ${gen.seconds.toFixed(1).padStart(9)} ${String(gen.recordsPerSec).padStart(11)} ${String(gen.peakRssMb).padStart(13)}   —`,
  ];
  for (const s of stores) {
    if (s.skipped) {
      lines.push(`${s.kind.padEnd(27)} skipped: ${s.skipped}`);
      continue;
    }
    const t = s.targets;
    lines.push(`${`${s.backend} first load`.padEnd(27)} ${String(s.records).padStart(9)} ${s.firstLoad.seconds.toFixed(1).padStart(9)} ${String(Math.round(s.firstLoad.rowsPerSec)).padStart(11)} ${String(s.firstLoad.peakRssMb).padStart(13)}   ≤ ${t.firstLoadMaxSeconds} s: ${t.firstLoadMet ? 'met' : 'NOT met'}`);
    lines.push(`${`${s.backend} unchanged re-load`.padEnd(27)} ${String(s.records).padStart(9)} ${s.reload.seconds.toFixed(1).padStart(9)} ${String(Math.round(s.reload.rowsPerSec)).padStart(11)} ${String(s.reload.peakRssMb).padStart(13)}   ≥ 3× faster: ${s.reloadSpeedup.toFixed(1)}× ${t.reloadSpeedupMet ? 'met' : 'NOT met'}`);
  }
  if (!stream.skipped) {
    lines.push('', `streaming load (generate → validate → PostgreSQL, ${stream.seconds.toFixed(1)} s): peak memory ${stream.peakRssMb} MB (target ≤ 500 MB: ${stream.peakRssMb <= 500 ? 'met' : 'NOT met'})`);
  }
  const pgl = stores.find((s) => s.backend === 'pglite');
  if (pgl && !pgl.skipped) lines.push(`PGlite peak RSS (includes its ~0.8 GB WebAssembly heap): ${Math.max(pgl.firstLoad.peakRssMb, pgl.reload.peakRssMb)} MB`);
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(path.join(here, 'results'), { recursive: true });
  const file = path.join(here, 'results', 'foundation.json');
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), school: SCHOOL, generation: gen, stores, stream }, null, 2)}\n`);
  process.stdout.write(`written: ${path.relative(process.cwd(), file)}\n`);
}

await main();
