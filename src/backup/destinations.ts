// Backup destinations (R-33): at least two, on different media in different rooms. A backup is written
// to the first, copied to the others, and every copy is verified from its own bytes before it counts.
import { randomUUID } from 'node:crypto';
import { cp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { distinctSites } from '../config/site-key.js';
import { syncCopy, syncDirectory } from './durable.js';
import { makeDirectoryOnMedium } from './medium-directory.js';
import type { SnapshotCopy } from './snapshot-record.js';
import type { ArchiveVerifier } from './signer.js';
import { verifyBackup, type VerifyProblem } from './verify.js';

export interface BackupDestination {
  name: string;
  medium: string;
  room: string;
  path: string;
}

export class BackupConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupConfigError';
  }
}

export class CopyVerificationError extends Error {
  constructor(readonly destination: string, readonly location: string, readonly problems: VerifyProblem[]) {
    super(`backup copy on ${destination} (${location}) failed verification after writing:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join('\n')}`);
    this.name = 'CopyVerificationError';
  }
}

export function checkDestinations(dests: BackupDestination[]): void {
  if (dests.length < 2) throw new BackupConfigError(`R-33: backup.destinations lists ${dests.length}; at least two are needed`);
  // Case, spacing and ё/е do not make two rooms or two media (config/site-key.ts).
  if (distinctSites(dests.map((d) => d.room)) < 2) throw new BackupConfigError('R-33: backup.destinations must be in at least two different rooms');
  if (distinctSites(dests.map((d) => d.medium)) < 2) throw new BackupConfigError('R-33: backup.destinations must be on at least two different media');
  const paths = dests.map((d) => path.resolve(d.path));
  if (new Set(paths).size < paths.length) throw new BackupConfigError('backup.destinations: two destinations share one path');
}

/**
 * Every destination's own directory must exist already: the gateway never makes it. The operator makes it once on the
 * mounted medium; a medium that is not mounted then shows as that directory missing. Were it made on the fly, a NAS
 * share not mounted at /mnt/nas would get /mnt/nas/journal-backup on the system disk, and the copy there would be
 * recorded as the NAS's, in the other room, verified — with every later night passing too.
 */
export async function checkDestinationRoots(dests: readonly BackupDestination[]): Promise<void> {
  for (const d of dests) {
    const at = path.resolve(d.path);
    const st = await stat(at).catch((e: NodeJS.ErrnoException) => e);
    if (st instanceof Error) {
      const what = st.code === 'ENOENT' ? 'does not exist' : `cannot be read (${st.code ?? st.message})`;
      throw new BackupConfigError(`backup destination ${d.name} (medium ${d.medium}, ${d.room}): its directory ${at} ${what}. `
        + `The gateway never creates a destination's directory: is medium ${d.medium} mounted? Mount it, and if this is its first use, `
        + `create the directory once on the mounted medium (mkdir ${at}) and give the gateway's account write access`);
    }
    if (!st.isDirectory()) throw new BackupConfigError(`backup destination ${d.name} (medium ${d.medium}, ${d.room}): ${at} is not a directory`);
  }
}

/**
 * R-33 in fact, not in name: two destinations on one file system are one medium, whatever the config calls them. The
 * usual cause is a share that is not mounted: its mount point is then a directory of the local disk, and the "NAS"
 * copy would land next to the first one. Refused unless `allowOneDevice` (a trial on one machine: the demo). Each
 * destination's directory must exist first, allowed or not (checkDestinationRoots).
 */
export async function checkSeparateDevices(dests: readonly BackupDestination[], allowOneDevice = false): Promise<void> {
  await checkDestinationRoots(dests);
  if (allowOneDevice) return;
  const seen = new Map<number, BackupDestination>();
  for (const d of dests) {
    const { dev } = await stat(path.resolve(d.path));
    const other = seen.get(dev);
    if (other) {
      throw new BackupConfigError(`R-33: backup destinations ${other.name} (${other.path}) and ${d.name} (${d.path}) are on one device `
        + '(one file system): is a share or disk not mounted? Mount it; for a trial on one machine set backup.allowOneDevice: true');
    }
    seen.set(dev, d);
  }
}

/** `nightly-20260115T020000Z-1a2b3c4d`: sortable by time, unique across workers. */
export function newBackupId(kind: string, at: string): string {
  return `${kind.replace(/_/g, '-')}-${at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

/** An error from the file system (it names a system call), as opposed to one from the store or a check. */
export const isFileSystemError = (e: unknown): boolean => e instanceof Error && (e as NodeJS.ErrnoException).syscall !== undefined;

/**
 * An error while writing to a destination, naming it: "ENOSPC: no space left on device, write" alone says not
 * which medium filled up.
 */
export function destinationError(dest: BackupDestination, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  return new Error(`backup to ${dest.name} (${dest.medium}, ${dest.path}): ${whatIsWrong(err)}${err.message}`, { cause: e });
}

function whatIsWrong(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT') return 'the medium is full: ';
  if (err.code === 'EROFS') return 'the medium is read-only: ';
  if (err.code === 'EIO') return 'the medium reported an I/O error: ';
  // Only where the call was a write: an EACCES while reading is another matter.
  if ((err.code === 'EACCES' || err.code === 'EPERM') && (err.syscall === 'mkdir' || err.syscall === 'write' || err.syscall === 'rename')) return 'the medium is not writable: ';
  return '';
}

const PARTIAL = '.partial';
/** Where a copy is written until its backup is recorded. */
export const partialOf = (finalPath: string) => `${finalPath}${PARTIAL}`;

/**
 * Copies a sealed backup directory to another destination as `<relPath>.partial` and returns that path; it gets its
 * final name only once the backup is recorded (publishCopies). `relPath` defaults to the final directory name.
 */
export async function copyTo(sourceDir: string, dest: BackupDestination, relPath = path.basename(sourceDir).replace(/\.partial$/, '')): Promise<string> {
  const root = path.resolve(dest.path);
  const partial = partialOf(path.join(root, relPath));
  await checkDestinationRoots([dest]);
  try {
    await makeDirectoryOnMedium(root, path.dirname(partial));
    await cp(sourceDir, partial, { recursive: true, errorOnExist: true, force: false });
  } catch (e) {
    // The cleanup's own failure (the destination is a file, say) must not hide why the copy failed.
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw destinationError(dest, e);
  }
  return partial;
}

/**
 * Gives every copy of a recorded backup its final name. A backup exists once its snapshot record does, so every copy
 * stays `.partial` until then: a run killed after its first copy (SIGKILL, a power cut) left a whole, final-named copy
 * of the school's personal data that no command listed, verified, pruned or swept. A copy that cannot be renamed now
 * stays `.partial`; the leftover sweep finds it recorded and renames it (leftovers.ts).
 */
export async function publishCopies(copies: readonly { dest: BackupDestination; partial: string }[]): Promise<void> {
  const failed: string[] = [];
  for (const { dest, partial } of copies) {
    const where = `${dest.name} (${dest.medium}, ${dest.path})`;
    const renamed = await rename(partial, partial.slice(0, -PARTIAL.length)).then(() => true, (e: Error) => { failed.push(`${where}: ${e.message}`); return false; });
    // The rename is on the medium only once the directory holding it is synced: a power cut would undo it, leaving the
    // copy `.partial` — which the sweep then completes, as for a rename that failed.
    if (renamed) await syncDirectory(path.dirname(partial)).catch((e: Error) => { failed.push(`${where}: renamed, but the rename may not be on the medium (${e.message})`); });
  }
  if (failed.length) {
    throw new Error(`the backup is recorded, but ${failed.length} cop${failed.length === 1 ? 'y' : 'ies'} could not be put under the final name: ${failed.join('; ')}. `
      + 'The next backup or `backup prune` finishes it; until then `backup verify` reports the copy as missing');
  }
}

/**
 * Removes, on every destination, what a failed run wrote of one backup (`relPath`, whole or `.partial`). A backup
 * exists only once its snapshot record does: copies left by a run that failed at its second medium were full
 * copies of the school's personal data that no command listed, verified or pruned.
 */
export async function removeUnrecorded(dests: readonly BackupDestination[], relPath: string): Promise<void> {
  for (const d of dests) {
    const target = path.join(path.resolve(d.path), relPath);
    for (const p of [target, `${target}.partial`]) await rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Forces a copy just written (still `.partial`) to its medium, then verifies it; throws CopyVerificationError naming
 * the destination and each problem. The copy is recorded under its final location.
 */
export async function verifiedCopy(written: string, dest: BackupDestination, verifier: ArchiveVerifier, storedAt: string): Promise<SnapshotCopy> {
  // Before the verify: it would read the page cache, and a write-back error (EIO, a NAS's quota) would go unreported.
  await syncCopy(written).catch((e) => { throw destinationError(dest, e); });
  const r = await verifyBackup(written, verifier);
  if (!r.ok) throw new CopyVerificationError(dest.name, written, r.problems);
  const location = written.endsWith(PARTIAL) ? written.slice(0, -PARTIAL.length) : written;
  return { medium: dest.medium, siteRoom: dest.room, location, storedAt, verifiedAt: new Date().toISOString() };
}
