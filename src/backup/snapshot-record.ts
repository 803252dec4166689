// The archive_snapshot governance record (canonical-model.md §A.2.17, R-32…R-34): what was archived, its
// hash and detached signature, where its copies are and when each was last verified.
import { buildRecord, mintId, type CanonicalRecord } from '../model/index.js';
import { instantToLocalDate, schoolYearOfDate } from '../model/dates.js';

export interface SnapshotCopy {
  medium: string;
  siteRoom: string;
  /** Absolute path of the copy's directory (the model allows a copy without one, e.g. a tape in a safe). */
  location?: string;
  storedAt: string;
  /** The last check this copy passed (its write's own, then each re-verification's). */
  verifiedAt?: string;
  /**
   * The last check of this copy, passed or failed. Re-verification goes by it: by verifiedAt, which a damaged copy
   * never gets again, the same damaged snapshots came first every night and no other was ever re-hashed.
   */
  checkedAt?: string;
  /**
   * When the last check found this copy damaged; removed when a later check passes. A damaged copy keeps its old
   * verifiedAt, so without this a copy found damaged still looked verified (and prune --expired kept it as the
   * school's newest good backup while removing the one that was).
   */
  lastCheckFailedAt?: string;
}

/** When a copy was last checked: a copy never re-checked since records had checkedAt was last checked when verified. */
export function lastCheckOf(c: SnapshotCopy): string | undefined {
  return c.checkedAt ?? c.verifiedAt;
}

/**
 * Whether a copy's latest check passed. A record written before lastCheckFailedAt existed cannot tell a copy found
 * damaged then: its copies count as passing until their next check.
 */
export function copyPasses(c: SnapshotCopy): boolean {
  return c.verifiedAt !== undefined && c.lastCheckFailedAt === undefined;
}

/** A copy with one check's outcome recorded at `at`. */
export function withCheck(c: SnapshotCopy, ok: boolean, at: string): SnapshotCopy {
  if (!ok) return { ...c, checkedAt: at, lastCheckFailedAt: at };
  const { lastCheckFailedAt: _repaired, ...rest } = c;
  return { ...rest, verifiedAt: at, checkedAt: at };
}

export interface SnapshotFields {
  organizationId: string;
  schoolYear: number;
  kind: 'class_journal' | 'summary_sheet' | 'nightly_backup';
  homeroomClassId?: string;
  createdAt: string;
  /** SHA-256 of manifest.json, which lists the SHA-256 of every file. */
  manifestSha256: string;
  signature: string;
  signerCertificate?: string;
  retainUntil: string;
  copies: SnapshotCopy[];
  /** A yearly-archive snapshot made again because the year's data changed (a correction, an August retake): the one it replaces, which is kept. */
  supersedes?: string;
}

export type ArchiveSnapshotRecord = Extract<CanonicalRecord, { entity: 'archive_snapshot' }>;

/**
 * The school year a moment falls in, by its ending year (2025-10-01 → 2026), as the dataset counts it: of the day it
 * is in the school's zone. Before, of its UTC day: a backup made in the first hours of 1 September at UTC+3…+5
 * (`2026-08-31T20:30:00Z`, 00:30 in Samara) was recorded as the year that had just ended.
 */
export function schoolYearOf(instant: string, timeZone: string): number {
  return schoolYearOfDate(instantToLocalDate(instant, timeZone));
}

/**
 * The model's ArchiveSnapshot.contentHash shares its name with the envelope's record hash, and buildRecord
 * writes the record hash there. So the archive's own hash (of manifest.json) is kept in
 * `ext.manifestSha256`; manifestHashOf reads it.
 */
export function snapshotRecord(fields: SnapshotFields, runId: string, id: string = mintId()): ArchiveSnapshotRecord {
  const { manifestSha256, supersedes, ...business } = fields;
  return buildRecord('archive_snapshot', { ...business, hashAlgorithm: 'SHA-256' }, {
    id,
    sourceRefs: [],
    ext: { manifestSha256, ...(supersedes ? { supersedes } : {}) },
    provenance: {
      system: 'gateway', instance: 'backup', fetchedAt: fields.createdAt, payloadHash: manifestSha256, runId, mapperVersion: 'backup-1',
    },
  }) as ArchiveSnapshotRecord;
}

export function manifestHashOf(s: ArchiveSnapshotRecord): string {
  const h = s.ext?.manifestSha256;
  if (typeof h !== 'string') throw new Error(`archive_snapshot ${s.id} has no ext.manifestSha256: not written by the backup module`);
  return h;
}

/** The fields snapshotRecord takes, read back from a stored record (to record a new verifiedAt). */
export function fieldsOf(s: ArchiveSnapshotRecord): SnapshotFields {
  return {
    organizationId: s.organizationId, schoolYear: s.schoolYear, kind: s.kind,
    ...(s.homeroomClassId ? { homeroomClassId: s.homeroomClassId } : {}),
    createdAt: s.createdAt, manifestSha256: manifestHashOf(s), signature: s.signature,
    ...(s.signerCertificate ? { signerCertificate: s.signerCertificate } : {}),
    retainUntil: s.retainUntil, copies: s.copies,
    ...(typeof s.ext?.supersedes === 'string' ? { supersedes: s.ext.supersedes } : {}),
  };
}
