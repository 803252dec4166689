// Backup destinations (R-33): at least two, on different media in different rooms. A backup is written
// to the first, copied to the others, and every copy is verified from its own bytes before it counts.
import { randomUUID } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
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
  if (new Set(dests.map((d) => d.room)).size < 2) throw new BackupConfigError('R-33: backup.destinations must be in at least two different rooms');
  if (new Set(dests.map((d) => d.medium)).size < 2) throw new BackupConfigError('R-33: backup.destinations must be on at least two different media');
  const paths = dests.map((d) => path.resolve(d.path));
  if (new Set(paths).size < paths.length) throw new BackupConfigError('backup.destinations: two destinations share one path');
}

/** The device of a path, or of its nearest existing parent when it is not there yet (a first backup). */
async function deviceOf(p: string): Promise<{ dev: number; at: string }> {
  for (let at = path.resolve(p); ; at = path.dirname(at)) {
    const st = await stat(at).catch(() => undefined);
    if (st) return { dev: st.dev, at };
    if (path.dirname(at) === at) throw new BackupConfigError(`backup destination ${p}: not even the file system root can be read`);
  }
}

/**
 * R-33 in fact, not in name: two destinations on one file system are one medium, whatever the config calls them. The
 * usual cause is a share that is not mounted: its mount point is then a directory of the local disk, and the "NAS"
 * copy would land next to the first one. Refused unless `allowOneDevice` (a trial on one machine: the demo).
 */
export async function checkSeparateDevices(dests: readonly BackupDestination[], allowOneDevice = false): Promise<void> {
  if (allowOneDevice) return;
  const seen = new Map<number, { dest: BackupDestination; at: string }>();
  for (const d of dests) {
    const { dev, at } = await deviceOf(d.path);
    const other = seen.get(dev);
    if (other) {
      throw new BackupConfigError(`R-33: backup destinations ${other.dest.name} (${other.dest.path}) and ${d.name} (${d.path}) are on one device `
        + `(${other.at} and ${at} are one file system): is a share or disk not mounted? Mount it; for a trial on one machine set backup.allowOneDevice: true`);
    }
    seen.set(dev, { dest: d, at });
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
  const full = err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'the medium is full: ' : '';
  return new Error(`backup to ${dest.name} (${dest.medium}, ${dest.path}): ${full}${err.message}`, { cause: e });
}

/**
 * Copies a finished backup directory to another destination (via .partial, renamed when whole), at
 * `relPath` under the destination (default: the same directory name).
 */
export async function copyTo(sourceDir: string, dest: BackupDestination, relPath = path.basename(sourceDir)): Promise<string> {
  const target = path.join(path.resolve(dest.path), relPath);
  const partial = `${target}.partial`;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await cp(sourceDir, partial, { recursive: true, errorOnExist: true, force: false });
    await rename(partial, target);
  } catch (e) {
    // The cleanup's own failure (the destination is a file, say) must not hide why the copy failed.
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw destinationError(dest, e);
  }
  return target;
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

/** Verifies a copy just written; throws CopyVerificationError naming the destination and each problem. */
export async function verifiedCopy(location: string, dest: BackupDestination, verifier: ArchiveVerifier, storedAt: string): Promise<SnapshotCopy> {
  const r = await verifyBackup(location, verifier);
  if (!r.ok) throw new CopyVerificationError(dest.name, location, r.problems);
  return { medium: dest.medium, siteRoom: dest.room, location, storedAt, verifiedAt: new Date().toISOString() };
}
