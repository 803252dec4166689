// Rebuilds a store from one backup copy (DECISIONS.md §8, R-35): verified first, then written in one
// transaction into an empty store — records with their versions, statuses and content hashes, the
// crosswalk with its row ids, the change log, cursors and ledger — so the result equals the source.
import path from 'node:path';
import { ENTITY_ORDER, recomputeHash } from '../model/index.js';
import type { CanonicalStore, SqlExecutor } from '../store/index.js';
import { schemaVersion } from './export.js';
import { readNdjsonGz } from './gzip-ndjson.js';
import type { Manifest } from './manifest.js';
import type { ArchiveVerifier } from './signer.js';
import { advanceSequences, insertRecords, insertRows, linkSuperseded, SIDE_TABLES, tableSizes, type SideTable } from './store-tables.js';
import { isUnlistedFile, verifyBackup, type VerifyProblem } from './verify.js';

const BATCH = 1_000;

export class RestoreError extends Error {
  constructor(message: string, readonly problems: VerifyProblem[] = []) {
    super(problems.length ? `${message}:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join('\n')}` : message);
    this.name = 'RestoreError';
  }
}

export interface RestoreResult {
  backupId: string;
  records: Record<string, number>;
  tables: Record<string, number>;
  /** Crosswalk rows whose successor row was not in the backup (school backups only; the link stays empty). */
  crosswalkLinksOutside: number;
  /** Files in the copy the manifest does not list: not read, named so the operator can see what touched the copy. */
  ignoredFiles: string[];
}

async function restoreRecords(tx: SqlExecutor, dir: string, file: string, entity: string, sha256: string): Promise<number> {
  let batch: Record<string, unknown>[] = [];
  let n = 0;
  for await (const rec of readNdjsonGz<Record<string, unknown>>(path.join(dir, file), sha256)) {
    n++;
    // The signature covers the file, not each record's own hash: check it too, so a store never gets a
    // record whose contentHash is not its content's.
    if (rec.entity !== entity) throw new RestoreError(`${file} line ${n}: a ${String(rec.entity)} record in the ${entity} file`);
    if (recomputeHash(rec) !== rec.contentHash) throw new RestoreError(`${file} line ${n}: ${entity} ${String(rec.id)} does not match its contentHash`);
    batch.push(rec);
    if (batch.length >= BATCH) {
      await insertRecords(tx, batch);
      batch = [];
    }
  }
  await insertRecords(tx, batch);
  return n;
}

async function restoreTable(tx: SqlExecutor, dir: string, file: string, sha256: string, table: SideTable, outside: { n: number }): Promise<number> {
  let batch: Record<string, unknown>[] = [];
  let pairs: { id: number; supersededBy: number }[] = [];
  let n = 0;
  for await (const row of readNdjsonGz<Record<string, unknown>>(path.join(dir, file), sha256)) {
    n++;
    batch.push(row);
    if (table === 'crosswalk' && row.superseded_by !== null && row.superseded_by !== undefined) {
      pairs.push({ id: Number(row.id), supersededBy: Number(row.superseded_by) });
    }
    if (batch.length >= BATCH) {
      await insertRows(tx, table, batch);
      batch = [];
    }
  }
  await insertRows(tx, table, batch);
  // Every row exists now: the links to later rows can be written (pairs are few: key changes only).
  for (let i = 0; i < pairs.length; i += BATCH) {
    const part = pairs.slice(i, i + BATCH);
    outside.n += part.length - (await linkSuperseded(tx, part));
  }
  pairs = [];
  return n;
}

function checkCount(what: string, got: number, want: number | undefined): void {
  if (got !== want) throw new RestoreError(`${what}: restored ${got}, the manifest says ${want ?? 'nothing'}`);
}

/** A copy `checkBackup` found whole: what the restore then writes, with no store needed to find it out. */
export interface CheckedBackup {
  dir: string;
  manifest: Manifest;
  /** Files in the copy the manifest does not list (not read). */
  ignoredFiles: string[];
}

/**
 * Everything a restore checks before it writes, without a store: the copy (hashes, signature, sizes, lines), its kind
 * and its store schema. The CLI calls it before it opens or creates the target, so a damaged copy leaves no empty
 * migrated store (PGlite directory, PostgreSQL schema) behind.
 */
export async function checkBackup(dir: string, verifier: ArchiveVerifier): Promise<CheckedBackup> {
  const check = await verifyBackup(dir, verifier);
  // A stray file beside the listed ones does not stop a restore: only listed files are read, each checked again as it is.
  const blocking = check.problems.filter((p) => !isUnlistedFile(p));
  if (blocking.length || !check.manifest) throw new RestoreError(`backup ${dir} failed verification; nothing was restored`, blocking);
  const ignoredFiles = check.problems.filter(isUnlistedFile).map((p) => p.file);
  const manifest: Manifest = check.manifest;
  if (manifest.kind !== 'nightly_backup') throw new RestoreError(`backup ${dir} is a ${manifest.kind} archive, not a store backup`);
  if (manifest.schemaVersion > schemaVersion()) {
    throw new RestoreError(`backup ${manifest.backupId} has store schema ${manifest.schemaVersion}; this version knows up to ${schemaVersion()}: upgrade first`);
  }
  // A new entity needs no store migration, so a newer version's backup can pass the schema check. Its records written
  // here would make every later backup of this store fail (export.ts refuses entities it does not know), and this
  // version could not read them anyway. A table it does not know is refused here too, before the target is opened.
  const known = new Set<string>(ENTITY_ORDER);
  const unknown = manifest.files.filter((f) => (f.kind === 'records' && !known.has(f.name)) || (f.kind === 'table' && !Object.hasOwn(SIDE_TABLES, f.name)));
  if (unknown.length) {
    throw new RestoreError(`backup ${manifest.backupId} holds ${unknown.map((f) => `${f.kind === 'records' ? 'records of entity' : 'table'} ${f.name}`).join(', ')}, which this version does not know (made by a newer version?): upgrade first; nothing was restored`);
  }
  return { dir, manifest, ignoredFiles };
}

/** Restores `dir` into `store`, which must be empty. Verifies the copy (hashes, signature) before writing anything. */
export async function restoreBackup(dir: string, store: CanonicalStore, verifier: ArchiveVerifier): Promise<RestoreResult> {
  return restoreChecked(await checkBackup(dir, verifier), store);
}

/**
 * Writes a copy `checkBackup` passed into `store`, which must be empty. Every file is hashed again as it is read: one
 * that changed since the check fails the restore, and the transaction writes nothing.
 */
export async function restoreChecked(checked: CheckedBackup, store: CanonicalStore): Promise<RestoreResult> {
  const { dir, manifest, ignoredFiles } = checked;
  const records: Record<string, number> = {};
  const tables: Record<string, number> = {};
  const outside = { n: 0 };
  await store.driver.transaction(async (tx) => {
    const sizes = await tableSizes(tx);
    const busy = Object.entries(sizes).filter(([, n]) => n > 0);
    if (busy.length) throw new RestoreError(`restore goes into an empty store only; this one holds ${busy.map(([t, n]) => `${n} ${t}`).join(', ')}`);
    for (const f of manifest.files.filter((x) => x.kind === 'records')) {
      records[f.name] = await restoreRecords(tx, dir, f.path, f.name, f.sha256);
      checkCount(f.path, records[f.name], manifest.counts.records[f.name]?.total);
    }
    for (const f of manifest.files.filter((x) => x.kind === 'table')) {
      tables[f.name] = await restoreTable(tx, dir, f.path, f.sha256, f.name as SideTable, outside);
      checkCount(f.path, tables[f.name], manifest.counts.tables[f.name]);
    }
    // In a whole-store backup every successor row is there: a missing one means a broken backup (rolled back).
    if (outside.n > 0 && manifest.source.scope === 'store') throw new RestoreError(`${outside.n} crosswalk supersededBy link(s) point at rows missing from a whole-store backup`);
    await advanceSequences(tx, manifest.source.storeVersion);
  });
  return { backupId: manifest.backupId, records, tables, crosswalkLinksOutside: outside.n, ignoredFiles };
}
