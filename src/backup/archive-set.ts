// One signed archive document set of the yearly archive: a directory of documents (CSV, HTML) with a
// manifest and detached signature, like a backup, written to the first destination, copied to the others,
// each copy verified, and recorded as an archive_snapshot with its retention.
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CanonicalStore } from '../store/index.js';
import { checkDestinationRoots, checkDestinations, copyTo, destinationError, isFileSystemError, newBackupId, publishCopies, removeUnrecorded, verifiedCopy, type BackupDestination } from './destinations.js';
import { DocumentFile } from './documents/document-file.js';
import { makeDirectoryOnMedium } from './medium-directory.js';
import { schemaVersion, seal } from './export.js';
import { BACKUP_FORMAT, FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './manifest.js';
import { retainUntil } from './retention.js';
import { checkKeyPair, type ArchiveSigner, type ArchiveVerifier } from './signer.js';
import { snapshotRecord, type ArchiveSnapshotRecord } from './snapshot-record.js';

export interface ArchiveSetSpec {
  kind: 'class_journal' | 'summary_sheet';
  organizationId: string;
  schoolYear: number;
  homeroomClassId?: string;
  createdAt: string;
  runId: string;
  /** The snapshot of the same class (or school) this one replaces: kept, and named in the new record. */
  supersedes?: string;
}

export interface ArchiveSetDeps {
  store: CanonicalStore;
  destinations: BackupDestination[];
  signer: ArchiveSigner;
  verifier: ArchiveVerifier;
}

export class ArchiveSet {
  private readonly docs: DocumentFile[] = [];
  private constructor(private readonly deps: ArchiveSetDeps, private readonly spec: ArchiveSetSpec, readonly id: string, private readonly rel: string, private readonly partial: string) {}

  static async open(deps: ArchiveSetDeps, spec: ArchiveSetSpec): Promise<ArchiveSet> {
    checkDestinations(deps.destinations);
    await checkKeyPair(deps.signer, deps.verifier);
    await checkDestinationRoots(deps.destinations);
    const id = newBackupId(spec.kind, spec.createdAt);
    const rel = path.join('archive', String(spec.schoolYear), id);
    const root = path.resolve(deps.destinations[0].path);
    const partial = `${path.join(root, rel)}.partial`;
    try {
      await makeDirectoryOnMedium(root, path.dirname(partial));
      await mkdir(partial);
    } catch (e) {
      throw destinationError(deps.destinations[0], e);
    }
    return new ArchiveSet(deps, spec, id, rel, partial);
  }

  document(file: string, name: string): DocumentFile {
    const d = new DocumentFile(path.join(this.partial, file), file, name, (e) => (isFileSystemError(e) ? destinationError(this.deps.destinations[0], e) : e as Error));
    this.docs.push(d);
    return d;
  }

  async abort(): Promise<void> {
    for (const d of this.docs) d.destroy();
    await rm(this.partial, { recursive: true, force: true });
  }

  /**
   * Seals, copies, verifies every copy and stores the archive_snapshot record. With `unlessSameAs` (the documents of
   * the snapshot this one would supersede, path → SHA-256), a set whose documents are byte for byte those is
   * discarded instead, and null returned: nothing changed since.
   */
  async finish(opts: { unlessSameAs?: ReadonlyMap<string, string> | null } = {}): Promise<ArchiveSnapshotRecord | null> {
    const { store, destinations, signer, verifier } = this.deps;
    const s = this.spec;
    let snapshot: ArchiveSnapshotRecord;
    const partials: { dest: BackupDestination; partial: string }[] = [];
    try {
      const files = [];
      for (const d of this.docs) files.push(await d.close());
      const same = opts.unlessSameAs;
      if (same && same.size === files.length && files.every((f) => same.get(f.path) === f.sha256)) {
        await rm(this.partial, { recursive: true, force: true });
        return null;
      }
      const manifest: Manifest = {
        format: BACKUP_FORMAT, formatVersion: FORMAT_VERSION, backupId: this.id, kind: s.kind, createdAt: s.createdAt, schemaVersion: schemaVersion(),
        source: {
          backend: store.backend, scope: s.homeroomClassId ? 'homeroom_class' : 'school', organizationId: s.organizationId,
          ...(s.homeroomClassId ? { homeroomClassId: s.homeroomClassId } : {}), schoolYear: s.schoolYear,
          storeVersion: await store.currentVersion(), runId: s.runId,
        },
        counts: { records: {}, tables: {} },
        files,
        signer: { kind: signer.kind, certificateHash: await signer.certificateHash() },
      };
      const sealed = await seal(this.partial, manifest, signer);
      const [first, ...others] = destinations;
      partials.push({ dest: first, partial: this.partial });
      const copies = [await verifiedCopy(this.partial, first, verifier, new Date().toISOString())];
      for (const dest of others) {
        const partial = await copyTo(this.partial, dest, this.rel);
        partials.push({ dest, partial });
        copies.push(await verifiedCopy(partial, dest, verifier, new Date().toISOString()));
      }
      snapshot = snapshotRecord({
        organizationId: s.organizationId, schoolYear: s.schoolYear, kind: s.kind, ...(s.homeroomClassId ? { homeroomClassId: s.homeroomClassId } : {}),
        createdAt: s.createdAt, manifestSha256: sealed.manifestSha256, signature: sealed.signature, signerCertificate: manifest.signer.certificateHash,
        retainUntil: retainUntil(s.kind, s.createdAt), copies, ...(s.supersedes ? { supersedes: s.supersedes } : {}),
      }, s.runId);
      await store.upsert(snapshot, { runId: s.runId });
    } catch (e) {
      await rm(this.partial, { recursive: true, force: true });
      await removeUnrecorded(destinations, this.rel);
      throw isFileSystemError(e) ? destinationError(destinations[0], e) : e;
    }
    // Recorded: the copies get their final names (a crash before the record leaves only `.partial`, swept later).
    await publishCopies(partials);
    return snapshot;
  }
}

/**
 * The documents of an archived snapshot (path → SHA-256), from the manifest of its first readable copy; null when no
 * copy can be read (the caller then archives again rather than assume nothing changed).
 */
export async function archivedDocuments(snapshot: ArchiveSnapshotRecord): Promise<Map<string, string> | null> {
  for (const c of snapshot.copies) {
    if (!c.location) continue;
    try {
      const manifest = JSON.parse(await readFile(path.join(c.location, MANIFEST_FILE), 'utf8')) as Pick<Manifest, 'files'>;
      return new Map(manifest.files.filter((f) => f.kind === 'document').map((f) => [f.path, f.sha256]));
    } catch {
      // this copy is unreadable: try the next
    }
  }
  return null;
}

