// Store benchmark: first load and unchanged re-load of a stream of canonical records, on PostgreSQL or PGlite.
// Targets (a 1,000-pupil school year, ~600k records): first load ≤ 30 s on PostgreSQL, ≤ 90 s on PGlite;
// an unchanged re-load at least 3× faster than the first load.
//
//   npx tsx bench/store-bench.ts [pglite|postgres|both] [pupils]   — quick check with synthetic records
//
// benchStore() is what bench/run.ts calls with the dataset generator's records.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPostgres } from '../src/infra/postgres-probe.js';
import {
  attendanceId, buildRecord, lessonId, markId, naturalId, workId, type CanonicalRecord, type Provenance,
} from '../src/model/index.js';
import { dropSchema, openStore, type UpsertCounts } from '../src/store/index.js';

type Records = AsyncIterable<CanonicalRecord> | Iterable<CanonicalRecord>;

export interface PhaseResult {
  seconds: number;
  rowsPerSec: number;
  counts: UpsertCounts;
  /** Highest resident set size sampled during the phase (MB). PGlite's WASM instance alone holds ~0.8 GB. */
  peakRssMb: number;
}

export interface StoreBenchResult {
  backend: 'pglite' | 'postgres';
  records: number;
  firstLoad: PhaseResult;
  reload: PhaseResult;
  /** firstLoad.seconds / reload.seconds (target ≥ 3). */
  reloadSpeedup: number;
  targets: { firstLoadMaxSeconds: number; firstLoadMet: boolean; reloadSpeedupMet: boolean };
  /** Where the data went: PostgreSQL schema or PGlite directory (removed afterwards). */
  location: string;
}

export interface StoreBenchOptions {
  batchSize?: number;
  /** PostgreSQL URL (default: DATABASE_URL, else the local server if it answers). */
  databaseUrl?: string;
  /** PGlite directory (default: a fresh directory under the OS temp dir); removed afterwards unless keep. */
  dataDir?: string;
  keep?: boolean;
  onPhase?: (phase: 'first-load' | 're-load', result: PhaseResult) => void;
}

const TARGET_SECONDS = { postgres: 30, pglite: 90 } as const;

/**
 * Loads `records` twice into a fresh store and measures both passes. Pass an array or any re-iterable
 * collection, or a function returning a fresh stream per pass; a one-shot async generator is buffered in
 * memory for the second pass (which inflates the peak RSS figure).
 */
export async function benchStore(
  backend: 'pglite' | 'postgres',
  records: Records | (() => Records),
  opts: StoreBenchOptions = {},
): Promise<StoreBenchResult> {
  let source: () => Records;
  if (typeof records === 'function') source = records;
  else if (isOneShot(records)) {
    const buffered: CanonicalRecord[] = [];
    const tee = async function* () {
      for await (const r of records as AsyncIterable<CanonicalRecord>) {
        buffered.push(r);
        yield r;
      }
    };
    let first = true;
    source = () => (first ? ((first = false), tee()) : buffered);
  } else source = () => records;

  let location: string;
  let cleanup: () => Promise<void>;
  let store;
  if (backend === 'postgres') {
    const url = opts.databaseUrl ?? (await findPostgres());
    if (!url) throw new Error('benchStore postgres: no DATABASE_URL and no PostgreSQL answering on 127.0.0.1:5432');
    const schema = `jg_bench_${randomBytes(4).toString('hex')}`;
    store = await openStore({ databaseUrl: url, schema });
    location = `schema ${schema}`;
    cleanup = async () => {
      if (!opts.keep) await dropSchema(url, schema);
    };
  } else {
    const dir = opts.dataDir ?? path.join(os.tmpdir(), `jg-bench-${randomBytes(4).toString('hex')}`);
    store = await openStore({ databaseUrl: null, dataDir: dir });
    location = dir;
    cleanup = async () => {
      if (!opts.keep && !dir.startsWith('memory://')) await rm(dir, { recursive: true, force: true });
    };
  }

  try {
    const run = async (phase: 'first-load' | 're-load', runId: string): Promise<PhaseResult> => {
      const sampler = rssSampler();
      const t0 = performance.now();
      const counts = await store.upsertMany(source(), { runId, batchSize: opts.batchSize });
      const seconds = (performance.now() - t0) / 1000;
      const result = { seconds, rowsPerSec: Math.round(counts.total / seconds), counts, peakRssMb: sampler.stop() };
      opts.onPhase?.(phase, result);
      return result;
    };
    const firstLoad = await run('first-load', 'bench-first');
    const reload = await run('re-load', 'bench-reload');
    const reloadSpeedup = firstLoad.seconds / reload.seconds;
    return {
      backend, records: firstLoad.counts.total, firstLoad, reload, reloadSpeedup, location,
      targets: {
        firstLoadMaxSeconds: TARGET_SECONDS[backend],
        firstLoadMet: firstLoad.seconds <= TARGET_SECONDS[backend],
        reloadSpeedupMet: reloadSpeedup >= 3,
      },
    };
  } finally {
    await store.close();
    await cleanup();
  }
}

function isOneShot(r: Records): boolean {
  const it = (r as AsyncIterable<unknown>)[Symbol.asyncIterator] ?? (r as Iterable<unknown>)[Symbol.iterator];
  return typeof it === 'function' && (it.call(r) as unknown) === r;
}

function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024);
    },
  };
}

// ---- synthetic school year for a quick check (the real generator lives in src/emulators/dataset) ----

export interface SyntheticOptions {
  pupils?: number;
  classSize?: number;
  weeks?: number;
  lessonsPerWeek?: number;
  marksPerLesson?: number;
  absencesPerLesson?: number;
  seed?: number;
}

/**
 * Lessons, works, marks and attendance for one school year, deterministic from the seed. Defaults give a
 * 1,000-pupil school: 40 classes × 30 lessons/week × 34 weeks ≈ 41k lessons + 41k works + 350k marks + 166k
 * attendance records ≈ 600k records.
 */
export function* syntheticSchoolYear(o: SyntheticOptions = {}): Generator<CanonicalRecord> {
  const pupils = o.pupils ?? 1_000;
  const classSize = o.classSize ?? 25;
  const weeks = o.weeks ?? 34;
  const perWeek = o.lessonsPerWeek ?? 30;
  const marksPer = o.marksPerLesson ?? 8.6;
  const absPer = o.absencesPerLesson ?? 4;
  let s = o.seed ?? 1;
  const rnd = () => ((s = (s * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x80000000);
  const school = naturalId('organization', 'bench-school');
  const year = naturalId('academic_session', school, 2025);
  const scale = naturalId('mark_scale', 'ru5');
  const prov: Provenance = {
    system: 'synthetic', instance: 'bench', fetchedAt: '2026-05-31T12:00:00Z', payloadHash: 'bench', runId: 'gen', mapperVersion: '1',
  };
  const ref = (sourceId: string, kind: string) => [{ system: 'synthetic' as const, instance: 'bench', sourceId, kind }];
  const classes = Math.ceil(pupils / classSize);
  const raws = ['2', '3', '4', '5', '4', '5', '3', '5'];
  for (let c = 0; c < classes; c++) {
    const students = Array.from({ length: Math.min(classSize, pupils - c * classSize) }, (_, i) => naturalId('person', 'pupil', c, i));
    const teacher = naturalId('person', 'teacher', c);
    for (let w = 0; w < weeks; w++) {
      for (let l = 0; l < perWeek; l++) {
        const day = Math.floor(l / 6);
        const date = new Date(Date.UTC(2025, 8, 1 + w * 7 + day)).toISOString().slice(0, 10);
        const section = naturalId('section', c, l % 12);
        const lid = lessonId(section, date, (l % 6) + 1);
        const recordedAt = `${date}T10:00:00Z`;
        yield buildRecord('lesson', {
          sectionId: section, date, lessonNumber: (l % 6) + 1, scheduledTeacherId: teacher, lessonStatus: 'held',
          topic: `Тема ${w}.${l}`, recordedAt, recordedBy: teacher,
        }, { id: lid, sourceRefs: ref(`L${c}-${w}-${l}`, 'lesson'), provenance: prov });
        const wid = workId(lid, 'answer');
        yield buildRecord('work', {
          sectionId: section, lessonId: lid, workTypeCode: 'answer', title: 'Ответ на уроке', assignedDate: date,
          gradingPeriodId: year, scaleId: scale,
        }, { id: wid, sourceRefs: ref(`W${c}-${w}-${l}`, 'work'), provenance: prov });
        const nMarks = Math.floor(marksPer) + (rnd() < marksPer % 1 ? 1 : 0);
        const start = Math.floor(rnd() * students.length);
        for (let m = 0; m < nMarks && m < students.length; m++) {
          const student = students[(start + m) % students.length];
          const raw = raws[Math.floor(rnd() * raws.length)];
          yield buildRecord('mark', {
            studentId: student, workId: wid, lessonId: lid, slot: 1, raw, base: Number(raw), modifier: 'none', numeric: Number(raw),
            state: 'graded', weightApplied: 10, markDate: date, recordedAt, recordedBy: teacher,
          }, { id: markId(student, lid, 1), sourceRefs: ref(`M${c}-${w}-${l}-${m}`, 'mark'), provenance: prov });
        }
        for (let a = 0; a < absPer && a < students.length; a++) {
          const student = students[(start + nMarks + a) % students.length];
          yield buildRecord('attendance_record', {
            studentId: student, lessonId: lid, kind: 'absent', reason: a % 2 ? 'illness' : 'unexcused', rawCode: a % 2 ? 'Б' : 'Н',
            recordedAt, recordedBy: teacher,
          }, { id: attendanceId(student, lid), sourceRefs: ref(`A${c}-${w}-${l}-${a}`, 'attendance'), provenance: prov });
        }
      }
    }
  }
}

async function main(argv: string[]) {
  const which = argv[0] ?? 'both';
  const pupils = Number(argv[1] ?? 1_000);
  const t0 = performance.now();
  const records = [...syntheticSchoolYear({ pupils })];
  const genSeconds = (performance.now() - t0) / 1000;
  process.stdout.write(`generated ${records.length} records for ${pupils} pupils in ${genSeconds.toFixed(1)} s (not counted below)\n`);
  const backends = which === 'both' ? (['postgres', 'pglite'] as const) : [which as 'postgres' | 'pglite'];
  for (const b of backends) {
    const r = await benchStore(b, records, {
      onPhase: (phase, p) => process.stdout.write(
        `${b.padEnd(8)} ${phase.padEnd(10)} ${p.seconds.toFixed(1).padStart(6)} s  ${String(p.rowsPerSec).padStart(7)} rows/s  ` +
          `peak RSS ${p.peakRssMb} MB  created ${p.counts.created} updated ${p.counts.updated} unchanged ${p.counts.unchanged}\n`,
      ),
    });
    process.stdout.write(
      `${b.padEnd(8)} first load ${r.targets.firstLoadMet ? 'meets' : 'MISSES'} ≤ ${r.targets.firstLoadMaxSeconds} s; ` +
        `re-load ${r.reloadSpeedup.toFixed(1)}× faster (${r.targets.reloadSpeedupMet ? 'meets' : 'MISSES'} ≥ 3×)\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
