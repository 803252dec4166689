// Getting a copy's bytes onto its medium before the run calls the copy verified. A verify right after
// writing reads the page cache, not the disk or the NAS: without fsync a write-back error (a failing disk's EIO, a
// NAS's ENOSPC or quota) is never reported, and a power cut minutes after the nightly run leaves empty or missing
// files under a snapshot the store records as verified.
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A new file's write stream (`wx`: a backup never overwrites) that fsyncs before it closes. The sync runs on the fd
 * that wrote the bytes, so a write-back error surfaces as the stream's error and fails the pipeline.
 */
export const durableWriteStream = (file: string): WriteStream => createWriteStream(file, { flags: 'wx', flush: true });

/** writeFile of a new file, fsynced before it is closed (the manifest and its signature). */
export const writeDurableFile = (file: string, data: string | Uint8Array): Promise<void> => writeFile(file, data, { flag: 'wx', flush: true });

async function syncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * fsync of a directory, so the entries made or renamed in it survive a power cut. Some network file systems refuse
 * fsync on a directory (EINVAL) because they commit directory changes on the server themselves: nothing more to do.
 */
export async function syncDirectory(dir: string): Promise<void> {
  await syncPath(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EINVAL' && e.code !== 'ENOTSUP' && e.code !== 'EOPNOTSUPP') throw e;
  });
}

/**
 * Every file and directory of a copy, then the directory that holds it, forced to the medium. Files written through
 * durableWriteStream are clean already (a second fsync costs nothing); a copy made by `cp` is synced here. An error
 * nobody has seen yet is reported to a newly opened fd too (Linux 4.16+), so re-opening the files loses none.
 */
export async function syncCopy(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const dirs: string[] = [];
  for (const e of entries) {
    const p = path.join(e.parentPath, e.name);
    if (e.isDirectory()) dirs.push(p);
    else if (e.isFile()) await syncPath(p);
  }
  // Deepest first: a directory's entry in its parent is synced after its own entries.
  for (const d of dirs.sort((a, b) => b.length - a.length)) await syncDirectory(d);
  await syncDirectory(dir);
  await syncDirectory(path.dirname(dir));
}
