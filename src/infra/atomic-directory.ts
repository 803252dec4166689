// A directory of files that appears under its name only when complete (the ЭлЖур import package, platforms.md §4.4):
// written into a hidden sibling directory and renamed into place. Written file by file into the directory itself, a
// crash or a full disk left CSV files without manifest.json — which the support team's loader refuses — or, over an
// earlier package, a mix of the two. A directory already there is replaced only when it holds nothing but files
// `isOwnFile` accepts (an earlier package); anything else in it is refused, naming the path, never deleted.
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './operator-errors.js';
import { hiddenPathOf, notWritten, partialPathOf, removeKilledLeftovers, syncDirectory, writeFileDurably } from './atomic-file.js';

export interface DirectoryOutput {
  /** A file name an earlier output of this kind may hold: a directory holding only such files is replaced. */
  isOwnFile(name: string): boolean;
  /** What the directory is, for the refusal ("an ЭлЖур import package"). */
  what: string;
}

/** The directory `requested` names (a symbolic link's target: the link stays a link), and what it holds now. */
function existing(requested: string): { dir: string; names?: string[] } {
  if (!existsSync(requested)) return { dir: path.resolve(requested) };
  const dir = realpathSync(requested);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${requested} is not a directory: give a new or an empty directory, or an earlier package's`);
  return { dir, names: readdirSync(dir) };
}

/** Writes `files` (name → text) as the whole content of `requested`; returns the directory written. */
export function writeDirectoryAtomic(requested: string, files: ReadonlyMap<string, string>, kind: DirectoryOutput): string {
  const { dir, names } = existing(requested);
  const foreign = (names ?? []).filter((n) => !kind.isOwnFile(n) || !lstatSync(path.join(dir, n)).isFile());
  if (foreign.length) {
    throw new UsageError(`${requested} holds ${foreign.length} file(s) that are not part of ${kind.what} (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}): give a new or an empty directory; nothing was written`);
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  const partial = partialPathOf(dir);
  const aside = hiddenPathOf(dir, 'old');
  try {
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial);
    // Each file and the directory itself reach the disk before the rename makes them the package (atomic-file.ts).
    for (const [name, text] of files) writeFileDurably(path.join(partial, name), text);
    syncDirectory(partial);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw notWritten(dir, e, `${kind.what} already there`);
  }
  // An empty directory is replaced by the rename itself; an earlier package is moved aside first, put back if the new
  // one cannot take its name, and removed once it has.
  const replacing = (names ?? []).length > 0;
  try {
    if (replacing) {
      // A copy already under this process's aside name is an earlier process's with the same machine name and id (a
      // container's node runs as pid 1 each time), killed before it removed it; the whole package now under the name
      // is newer, so that copy is no one's only one. Before, the rename onto it failed every write from then on.
      rmSync(aside, { recursive: true, force: true });
      renameSync(dir, aside);
    }
    try {
      renameSync(partial, dir);
    } catch (e) {
      if (replacing) renameSync(aside, dir);
      throw e;
    }
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw notWritten(dir, e, `${kind.what} already there`);
  }
  syncDirectory(path.dirname(dir));
  if (replacing) rmSync(aside, { recursive: true, force: true });
  // Only now: a killed writer's `.DIR.old-<host>-<pid>` may be the one copy of the earlier package until this one is in place.
  removeKilledLeftovers(dir);
  return dir;
}
