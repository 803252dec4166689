// Writes one backup directory: gzip NDJSON per entity (tombstones included) and per side table (crosswalk,
// change log, cursors, outbound ledger), then the manifest and its detached signature (DECISIONS.md §8,
// Everything is read in one REPEATABLE READ transaction, so the files agree with each other even
// while syncs keep writing; the directory appears under its final name only once complete.
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ENTITY_ORDER, type EntityName } from '../model/index.js';
import { MIGRATIONS, type CanonicalStore, type EntityCounts, type SqlExecutor } from '../store/index.js';
import { writeDurableFile } from './durable.js';
import { writeNdjsonGz } from './gzip-ndjson.js';
import { manifestBytes, MANIFEST_FILE, SIGNATURE_FILE, BACKUP_FORMAT, FORMAT_VERSION, type Manifest, type ManifestFile } from './manifest.js';
import type { ArchiveSigner } from './signer.js';
import { buildSchoolScope } from './school-scope.js';
import { recordsOf, rowsOf, SIDE_TABLE_NAMES } from './store-tables.js';
import { sha256Hex } from '../model/hash.js';

export interface ExportOptions {
  signer: ArchiveSigner;
  backupId: string;
  runId: string;
  organizationId?: string;
  schoolId?: string;
  region?: string;
  /** Defaults to now. */
  createdAt?: string;
  /**
   * Export one school (organizationId) instead of the whole store: its records by reference (school-scope.ts),
   * the crosswalk, change log and ledger rows about them, and the cursors of `instances`.
   */
  school?: { instances: string[] };
  /** Called every 1,000 records written, per entity (the CLI's progress line). */
  onProgress?: (stage: string, done: number) => void;
  /**
   * Leave the sealed backup as `<dir>.partial` (returned as `dir`): the caller renames it once the backup is recorded
   * (destinations.ts publishCopies), so a run killed before that leaves only what the leftover sweep removes.
   */
  leavePartial?: boolean;
}

export interface ExportResult {
  dir: string;
  manifest: Manifest;
  /** SHA-256 of manifest.json: the snapshot's contentHash. */
  manifestSha256: string;
  /** Base64 of the detached signature. */
  signature: string;
}

export const schemaVersion = () => Math.max(...MIGRATIONS.map((m) => m.version));

async function* counting(records: AsyncIterable<Record<string, unknown>>, c: EntityCounts, tick?: (done: number) => void): AsyncGenerator<Record<string, unknown>> {
  for await (const r of records) {
    c.total++;
    c[r.status as 'active' | 'inactive' | 'deleted']++;
    if (tick && c.total % 1000 === 0) tick(c.total);
    yield r;
  }
}

async function unknownEntities(tx: SqlExecutor): Promise<string[]> {
  const r = await tx.query<{ entity: string }>('SELECT DISTINCT entity FROM canonical_records WHERE NOT (entity = ANY($1::text[]))', [[...ENTITY_ORDER]]);
  return r.rows.map((x) => x.entity);
}

export async function exportStore(store: CanonicalStore, dir: string, opts: ExportOptions): Promise<ExportResult> {
  const partial = `${dir}.partial`;
  // Not `recursive`: the directory it goes in is a destination's own, which must exist (destinations.ts
  // checkDestinationRoots); and a half-written backup of the same id in the way fails it: never overwrite.
  await mkdir(partial);
  try {
    await mkdir(path.join(partial, 'records'));
    const files: ManifestFile[] = [];
    const records: Record<string, EntityCounts> = {};
    const tables: Record<string, number> = {};
    if (opts.school && !opts.organizationId) throw new Error('backup: a school backup needs the school\'s organizationId');
    const scope = opts.school;
    const storeVersion = await store.driver.transaction(async (tx) => {
      // A school backup writes its scope into a temporary table, which a READ ONLY transaction forbids.
      await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ${scope ? '' : ', READ ONLY'}`);
      const stray = await unknownEntities(tx);
      if (stray.length) throw new Error(`backup: the store holds records of entities this version does not know: ${stray.join(', ')}`);
      if (scope) await buildSchoolScope(tx, opts.organizationId!, scope.instances);
      for (const entity of ENTITY_ORDER) {
        const c: EntityCounts = { total: 0, active: 0, inactive: 0, deleted: 0 };
        const rel = `records/${entity}.ndjson.gz`;
        const w = await writeNdjsonGz(path.join(partial, rel), counting(recordsOf(tx, entity as EntityName, scope), c, opts.onProgress && ((n) => opts.onProgress!(entity, n))));
        files.push({ path: rel, kind: 'records', name: entity, ...w });
        records[entity] = c;
      }
      for (const table of SIDE_TABLE_NAMES) {
        const rel = `${table}.ndjson.gz`;
        const w = await writeNdjsonGz(path.join(partial, rel), rowsOf(tx, table, scope));
        files.push({ path: rel, kind: 'table', name: table, ...w });
        tables[table] = w.lines;
      }
      const v = await tx.query<{ v: unknown }>('SELECT coalesce(max(version), 0) AS v FROM change_log');
      return Number(v.rows[0].v);
    });
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: FORMAT_VERSION,
      backupId: opts.backupId,
      kind: 'nightly_backup',
      createdAt: opts.createdAt ?? new Date().toISOString(),
      schemaVersion: schemaVersion(),
      source: {
        backend: store.backend, scope: scope ? 'school' : 'store',
        ...(opts.organizationId ? { organizationId: opts.organizationId } : {}),
        ...(opts.schoolId ? { schoolId: opts.schoolId } : {}),
        ...(opts.region ? { region: opts.region } : {}),
        storeVersion, runId: opts.runId,
      },
      counts: { records, tables },
      files,
      signer: { kind: opts.signer.kind, certificateHash: await opts.signer.certificateHash() },
    };
    const sealed = await seal(partial, manifest, opts.signer);
    if (opts.leavePartial) return { dir: partial, manifest, ...sealed };
    await rename(partial, dir);
    return { dir, manifest, ...sealed };
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}

/** Writes manifest.json and manifest.sig (base64 of the detached signature over manifest.json's bytes). */
export async function seal(dir: string, manifest: Manifest, signer: ArchiveSigner): Promise<{ manifestSha256: string; signature: string }> {
  const bytes = manifestBytes(manifest);
  const signature = Buffer.from(await signer.sign(bytes)).toString('base64');
  await writeDurableFile(path.join(dir, MANIFEST_FILE), bytes);
  await writeDurableFile(path.join(dir, SIGNATURE_FILE), `${signature}\n`);
  return { manifestSha256: sha256Hex(bytes), signature };
}
