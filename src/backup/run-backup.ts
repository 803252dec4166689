// `backup run` and the nightly-backup job: export the store to the first destination, copy to
// the others, verify every copy, record an archive_snapshot with its copies and retainUntil, then give the copies their
// final names (until the record exists they are `.partial`, which the leftover sweep removes after a crash).
import path from 'node:path';
import type { CanonicalStore } from '../store/index.js';
import { checkDestinationRoots, checkDestinations, copyTo, destinationError, isFileSystemError, newBackupId, publishCopies, removeUnrecorded, verifiedCopy, type BackupDestination } from './destinations.js';
import { exportStore } from './export.js';
import { recordedLocations, removeLeftovers, type Leftover } from './leftovers.js';
import { retainUntil } from './retention.js';
import { checkKeyPair, type ArchiveSigner, type ArchiveVerifier } from './signer.js';
import { schoolYearOf, snapshotRecord, type ArchiveSnapshotRecord, type SnapshotCopy } from './snapshot-record.js';

export interface RunBackupOptions {
  destinations: BackupDestination[];
  signer: ArchiveSigner;
  verifier: ArchiveVerifier;
  nightlyRetentionDays: number;
  runId: string;
  /** The organization the snapshot record belongs to; default: the store's only school. */
  organizationId?: string;
  /** The school's IANA zone, which the snapshot's school year is judged in; default: the organization record's. */
  timeZone?: string;
  /** Back up only that organization's school (and its platform instances' cursors); default: the whole store. */
  school?: { instances: string[] };
  schoolId?: string;
  region?: string;
  now?: () => Date;
  /** Progress: records written per entity, then each copy as it is verified. */
  onProgress?: (stage: string, done: number) => void;
}

export interface BackupRun {
  snapshot: ArchiveSnapshotRecord;
  copies: SnapshotCopy[];
  /** Compressed bytes of one copy. */
  bytes: number;
  records: number;
  /** The store's change-log version the backup is consistent at (what was written later is not in it). */
  storeVersion: number;
  /** Half-written directories of interrupted earlier runs, removed before this one (leftovers.ts). */
  leftoversRemoved: Leftover[];
}

/** The store's only school, when there is exactly one (a snapshot must name its organization). */
export async function soleSchool(store: CanonicalStore): Promise<string> {
  const schools: string[] = [];
  for await (const o of store.iterate('organization', { status: 'active' })) if ((o as { type?: string }).type === 'school') schools.push(o.id);
  if (schools.length !== 1) {
    throw new Error(`backup: the store holds ${schools.length} schools; say which organization the snapshot belongs to (--organization)`);
  }
  return schools[0];
}

/** The organization's zone (a school record has one); an organization without one has its UTC day. */
async function zoneOf(store: CanonicalStore, organizationId: string): Promise<string> {
  const zone = ((await store.get(organizationId)) as { timeZone?: unknown } | undefined)?.timeZone;
  return typeof zone === 'string' ? zone : 'UTC';
}

export async function runBackup(store: CanonicalStore, opts: RunBackupOptions): Promise<BackupRun> {
  checkDestinations(opts.destinations);
  await checkKeyPair(opts.signer, opts.verifier);
  await checkDestinationRoots(opts.destinations);
  const leftoversRemoved = await removeLeftovers(opts.destinations, { recorded: await recordedLocations(store), ...(opts.now ? { now: opts.now() } : {}) });
  const organizationId = opts.organizationId ?? (await soleSchool(store));
  const createdAt = (opts.now?.() ?? new Date()).toISOString();
  const backupId = newBackupId('nightly_backup', createdAt);
  const [first, ...others] = opts.destinations;
  const primary = path.join(path.resolve(first.path), backupId);
  let written: Awaited<ReturnType<typeof writeAndRecord>>;
  try {
    written = await writeAndRecord(store, opts, { organizationId, createdAt, backupId, first, others, primary });
  } catch (e) {
    await removeUnrecorded(opts.destinations, backupId);
    throw e;
  }
  // Recorded: only now do the copies get their final names (never removed from here on: the record names them).
  await publishCopies(written.partials);
  const { partials: _p, ...run } = written;
  return { ...run, leftoversRemoved };
}

/** The backup written to every destination, each copy verified, then its snapshot record stored. */
async function writeAndRecord(
  store: CanonicalStore, opts: RunBackupOptions,
  b: { organizationId: string; createdAt: string; backupId: string; first: BackupDestination; others: BackupDestination[]; primary: string },
): Promise<Omit<BackupRun, 'leftoversRemoved'> & { partials: { dest: BackupDestination; partial: string }[] }> {
  const { organizationId, createdAt, backupId, first, others, primary } = b;
  const exported = await exportStore(store, primary, {
    leavePartial: true,
    signer: opts.signer, backupId, runId: opts.runId, organizationId, createdAt, ...(opts.school ? { school: opts.school } : {}),
    ...(opts.schoolId ? { schoolId: opts.schoolId } : {}), ...(opts.region ? { region: opts.region } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  }).catch((e) => { throw isFileSystemError(e) ? destinationError(first, e) : e; });
  opts.onProgress?.(`verifying copy 1 (${first.medium})`, 1);
  const partials = [{ dest: first, partial: exported.dir }];
  const copies = [await verifiedCopy(exported.dir, first, opts.verifier, new Date().toISOString())];
  for (const dest of others) {
    opts.onProgress?.(`copying and verifying copy ${copies.length + 1} (${dest.medium})`, copies.length + 1);
    const partial = await copyTo(exported.dir, dest);
    partials.push({ dest, partial });
    copies.push(await verifiedCopy(partial, dest, opts.verifier, new Date().toISOString()));
  }
  const snapshot = snapshotRecord({
    organizationId, schoolYear: schoolYearOf(createdAt, opts.timeZone ?? await zoneOf(store, organizationId)), kind: 'nightly_backup', createdAt,
    manifestSha256: exported.manifestSha256, signature: exported.signature, signerCertificate: exported.manifest.signer.certificateHash,
    retainUntil: retainUntil('nightly_backup', createdAt, opts.nightlyRetentionDays), copies,
  }, opts.runId);
  await store.upsert(snapshot, { runId: opts.runId });
  return {
    snapshot, copies, partials,
    bytes: exported.manifest.files.reduce((n, f) => n + f.bytes, 0),
    records: Object.values(exported.manifest.counts.records).reduce((n, c) => n + c.total, 0),
    storeVersion: exported.manifest.source.storeVersion,
  };
}
