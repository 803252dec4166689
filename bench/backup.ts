// Backup benchmark (issue 8): back up and restore one school-year of a 1,000-pupil school and compare every
// record's content hash. Reports wall time, bytes, records/s and peak memory (target ≤ 300 MB) for the backup
// (export to two destinations, each copy verified) and for the restore (verify + write into an empty store).
// Runs on PostgreSQL — PGlite's WASM heap alone is ~0.8 GB, so a memory target means nothing there; pass
// `pglite` to time it anyway. Each phase runs in its own process so one phase's memory never shows in another's.
//
//   npx tsx bench/backup.ts [postgres|pglite]        (BENCH_PUPILS, BENCH_WEEKS override the school size;
//                                                    BENCH_SCOPE=school backs up one school as the nightly job does)
//   npx tsx bench/backup.ts [postgres|pglite] archive
//     the yearly archive (R-31) of the same school instead: a class journal per homeroom class and the summary
//     sheet, each signed and written to two destinations and verified; wall time, bytes and peak RSS.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreBackup } from '../src/backup/restore.js';
import { schoolYearOfDate } from '../src/model/dates.js';
import { yearlyArchive } from '../src/backup/yearly-archive.js';
import { runBackup, soleSchool } from '../src/backup/run-backup.js';
import { Ed25519Signer, Ed25519Verifier } from '../src/backup/signer.js';
import { recordsOf } from '../src/backup/store-tables.js';
import { generateRecords } from '../src/emulators/dataset/index.js';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { ENTITY_ORDER, type EntityName } from '../src/model/index.js';
import { dropSchema, openStore, type CanonicalStore } from '../src/store/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHOOL = { seed: 1, pupils: Number(process.env.BENCH_PUPILS ?? 1000), ...(process.env.BENCH_WEEKS ? { weeks: Number(process.env.BENCH_WEEKS) } : {}) };
const PEAK_TARGET_MB = 300;
const SCOPE = process.env.BENCH_SCOPE === 'school' ? 'school' : 'store';

interface Where { backend: 'postgres' | 'pglite'; url?: string; schema?: string; dataDir?: string }

function open(w: Where): Promise<CanonicalStore> {
  return w.backend === 'postgres'
    ? openStore({ databaseUrl: w.url!, schema: w.schema!, poolSize: 2 })
    : openStore({ databaseUrl: null, dataDir: w.dataDir! });
}

/** Samples RSS every 50 ms while fn runs (RSS: what the machine actually gives the process). */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  const t0 = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, seconds: (performance.now() - t0) / 1000, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

async function phaseLoad(w: Where) {
  const store = await open(w);
  try {
    const t0 = performance.now();
    const counts = await store.upsertMany(generateRecords(SCHOOL), { runId: 'bench-load' });
    return { records: counts.total, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await store.close();
  }
}

/** A fresh Ed25519 key pair (the public half also as a file for restore) and two destinations in two rooms (R-33). */
async function archiveDeps(dir: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicFile = path.join(dir, 'public.pem');
  await writeFile(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  // Made here as the operator makes them once on each medium: the gateway never makes a destination's directory.
  for (const d of ['a', 'b']) await mkdir(path.join(dir, d), { recursive: true });
  return {
    signer: new Ed25519Signer(privateKey), verifier: new Ed25519Verifier(publicKey), publicFile,
    destinations: [
      { name: 'a', medium: 'disk-a', room: '101', path: path.join(dir, 'a') },
      { name: 'b', medium: 'disk-b', room: '204', path: path.join(dir, 'b') },
    ],
  };
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return total;
}

async function phaseBackup(w: Where, dir: string) {
  const store = await open(w);
  const { publicFile, ...k } = await archiveDeps(dir);
  try {
    const organizationId = SCOPE === 'school' ? await soleSchool(store) : undefined;
    const m = await measured(() => runBackup(store, {
      destinations: k.destinations,
      signer: k.signer, verifier: k.verifier, nightlyRetentionDays: 30, runId: 'bench-backup',
      // BENCH_SCOPE=school: what the nightly job does (one school, membership by reference); default: the whole store
      ...(organizationId ? { organizationId, school: { instances: [] } } : {}),
    }));
    return { seconds: m.seconds, peakRssMb: m.peakRssMb, records: m.result.records, bytesPerCopy: m.result.bytes, storeVersion: m.result.storeVersion, copy: m.result.copies[1].location!, publicFile };
  } finally {
    await store.close();
  }
}

/** The yearly archive of the school's year (the dataset's school_year session): every class journal and the summary sheet. */
async function phaseArchive(w: Where, dir: string) {
  const store = await open(w);
  const { publicFile: _p, ...k } = await archiveDeps(dir);
  try {
    const organizationId = await soleSchool(store);
    let schoolYear = 0;
    for await (const s of store.iterate('academic_session')) if (s.entity === 'academic_session' && s.kind === 'school_year') schoolYear = schoolYearOfDate(s.startDate);
    if (!schoolYear) throw new Error('bench archive: the dataset has no school_year session');
    const m = await measured(() => yearlyArchive(store, { organizationId, schoolYear, runId: 'bench-archive', destinations: k.destinations, signer: k.signer, verifier: k.verifier }));
    return {
      seconds: m.seconds, peakRssMb: m.peakRssMb, schoolYear,
      classJournals: m.result.classJournals.length, summarySheet: !!m.result.summarySheet,
      bytesPerCopy: await dirBytes(k.destinations[0].path), bytesBothCopies: (await dirBytes(k.destinations[0].path)) + (await dirBytes(k.destinations[1].path)),
    };
  } finally {
    await store.close();
  }
}

async function phaseRestore(w: Where, copy: string, publicFile: string) {
  const store = await open(w);
  try {
    const verifier = await Ed25519Verifier.fromFile(publicFile);
    const m = await measured(() => restoreBackup(copy, store, verifier));
    return { seconds: m.seconds, peakRssMb: m.peakRssMb, records: Object.values(m.result.records).reduce((a, b) => a + b, 0) };
  } finally {
    await store.close();
  }
}

/**
 * Streams both stores entity by entity in id order and counts records whose id, content hash, version or
 * status differ. Source records written after the backup (its own archive_snapshot) are left out.
 */
async function phaseCompare(a: Where, b: Where, storeVersion: number) {
  const [x, y] = [await open(a), await open(b)];
  try {
    let compared = 0;
    let differing = 0;
    for (const entity of ENTITY_ORDER) {
      const before = async function* () {
        for await (const r of recordsOf(x.driver, entity as EntityName)) if ((r.version as number) <= storeVersion) yield r;
      };
      const ia = before()[Symbol.asyncIterator]();
      const ib = recordsOf(y.driver, entity as EntityName)[Symbol.asyncIterator]();
      for (;;) {
        const [ra, rb] = [await ia.next(), await ib.next()];
        if (ra.done && rb.done) break;
        compared++;
        const p = ra.value as Record<string, unknown> | undefined;
        const q = rb.value as Record<string, unknown> | undefined;
        if (!p || !q || p.id !== q.id || p.contentHash !== q.contentHash || p.version !== q.version || p.status !== q.status) differing++;
      }
    }
    return { compared, differing };
  } finally {
    await x.close();
    await y.close();
  }
}

function child(args: string[]): Record<string, any> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'backup.ts'), ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20, env: process.env,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'phase') {
    const [phase, json, extra, extra2] = rest;
    const w = JSON.parse(json) as Where;
    const r = phase === 'load' ? await phaseLoad(w)
      : phase === 'backup' ? await phaseBackup(w, extra)
      : phase === 'restore' ? await phaseRestore(w, extra, extra2)
      : phase === 'archive' ? await phaseArchive(w, extra)
      : await phaseCompare(w, JSON.parse(extra) as Where, Number(extra2));
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const backend = (cmd ?? 'postgres') as 'postgres' | 'pglite';
  const mode = rest[0] ?? 'backup';
  if (mode !== 'backup' && mode !== 'archive') throw new Error(`bench backup: unknown mode "${mode}" (backup or archive)`);
  const url = backend === 'postgres' ? await findPostgres() : null;
  if (backend === 'postgres' && !url) throw new Error('no PostgreSQL (set DATABASE_URL), or run: npx tsx bench/backup.ts pglite');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'jg-bench-backup-'));
  const tag = randomBytes(4).toString('hex');
  const source: Where = backend === 'postgres' ? { backend, url: url!, schema: `bench_backup_src_${tag}` } : { backend, dataDir: path.join(tmp, 'src') };
  const target: Where = backend === 'postgres' ? { backend, url: url!, schema: `bench_backup_dst_${tag}` } : { backend, dataDir: path.join(tmp, 'dst') };
  try {
    process.stderr.write(`bench ${mode}: one school-year of a ${SCHOOL.pupils}-pupil school on ${backend}${mode === 'backup' ? `, scope ${SCOPE}` : ''}\n`);
    const load = child(['phase', 'load', JSON.stringify(source)]);
    process.stderr.write(`loaded ${load.records} records in ${load.seconds.toFixed(1)} s (not part of the figures)\n`);
    if (mode === 'archive') {
      const archive = child(['phase', 'archive', JSON.stringify(source), tmp]);
      process.stderr.write(`yearly archive: ${archive.classJournals} class journals + summary sheet, ${(archive.bytesPerCopy / 2 ** 20).toFixed(2)} MB a copy, ${archive.seconds.toFixed(1)} s, peak RSS ${archive.peakRssMb} MB\n`);
      const result = { backend, pupils: SCHOOL.pupils, records: load.records, archive, targets: { peakRssMb: PEAK_TARGET_MB, met: archive.peakRssMb <= PEAK_TARGET_MB } };
      mkdirSync(path.join(here, 'results'), { recursive: true });
      writeFileSync(path.join(here, 'results', `archive-${backend}.json`), `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const backup = child(['phase', 'backup', JSON.stringify(source), tmp]);
    process.stderr.write(`backup: ${backup.records} records, ${(backup.bytesPerCopy / 2 ** 20).toFixed(1)} MB a copy, ${backup.seconds.toFixed(1)} s, peak RSS ${backup.peakRssMb} MB\n`);
    const restore = child(['phase', 'restore', JSON.stringify(target), backup.copy, backup.publicFile]);
    process.stderr.write(`restore: ${restore.records} records, ${restore.seconds.toFixed(1)} s, peak RSS ${restore.peakRssMb} MB\n`);
    const compare = child(['phase', 'compare', JSON.stringify(source), JSON.stringify(target), String(backup.storeVersion)]);
    const { copy: _c, publicFile: _p, ...backupFigures } = backup;
    const result = {
      backend, scope: SCOPE, pupils: SCHOOL.pupils, records: load.records, backup: backupFigures, restore, compare,
      targets: { peakRssMb: PEAK_TARGET_MB, backupMet: backup.peakRssMb <= PEAK_TARGET_MB, restoreMet: restore.peakRssMb <= PEAK_TARGET_MB, identical: compare.differing === 0 },
    };
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', `backup-${backend}-${SCOPE}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    if (backend === 'postgres') for (const s of [source.schema!, target.schema!]) await dropSchema(url!, s).catch(() => {});
  }
}

await main();
