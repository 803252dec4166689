// A file that appears under its name only when complete: written as a hidden temporary file beside it (the same
// directory, so the rename cannot cross file systems) and renamed at the end. writeFileSync truncates the file first,
// so a full disk or a crash mid-write left half a report where last night's whole one had been; now an error leaves
// the file that was there as it was, and a SIGKILL leaves only a `.….partial-<host>-<pid>` file, never half of the final name
// (the next write of the same output removes it).
// The temporary file is flushed to the disk before the rename and the directory after it: without that, a power loss
// soon after could leave the new name pointing at an empty file (the rename reached the disk before the data did).
// One place for `report --out`, `generate --out` (cli/file-output.ts), run summaries and migration reports.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { processRunning } from './process-running.js';

/**
 * Where a write to `file` really goes: a symbolic link's target (the link stays a link; renaming over it made it a
 * plain file), and whether that is a device or a pipe (`--out /dev/stdout` in a cron line, a FIFO), which is written as
 * it is — there is no file to keep whole, and no temporary file can be made beside `/dev/stdout`.
 */
export function destinationOf(file: string): { file: string; direct: boolean } {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return { file, direct: false }; // not there yet: a new file
  }
  return { file: real, direct: !statSync(real).isFile() };
}

/** Writes `text` to a new `file` and flushes it to the disk before returning. */
export function writeFileDurably(file: string, text: string): void {
  const fd = openSync(file, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a directory's entries (a rename into it) to the disk. A file system that cannot sync a directory (some
 * network and Windows ones answer EISDIR, EINVAL or EPERM) is left as it is: the rename itself has been made.
 */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) {
      throw new Error(`${dir}: written, but not flushed to the disk: ${(e as Error).message}`, { cause: e });
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Who writes a hidden file: this machine's name and this process's id. A process id says nothing about another machine
 * (two workers writing reports to one shared directory, containers with their own process ids), so only the machine
 * that wrote a leftover judges it by its process id; other machines wait for it to age (removeKilledLeftovers). The
 * name keeps letters, digits, dots and dashes: it becomes part of a file name.
 */
const writerHost = (): string => hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
const writer = (): string => `${writerHost()}-${process.pid}`;

/** The hidden name beside `file` (or a directory) that this process writes before the rename (`partial`), or moves
 *  an earlier package to while the new one takes its name (`old`). */
export const hiddenPathOf = (file: string, kind: 'partial' | 'old' = 'partial'): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${kind}-${writer()}`);

export const partialPathOf = (file: string): string => hiddenPathOf(file, 'partial');

/**
 * How long a hidden file of another machine (or one named before machines were) stays untouched before it counts as
 * left for good. No write of one output lasts that long — a report or a package is written in seconds, and each file
 * written into a `.partial` directory changes the directory's own mtime — so a leftover that old has no live writer.
 * A day, not minutes: a slow network share and clocks a few minutes apart between machines still leave a wide margin.
 * The directory's own mtime is enough (its files are not walked): a package is flat, so the newest file creation in a
 * `.partial` is the directory's mtime; an `.old` keeps the time the earlier package was written (a rename does not
 * change it), so it can look old the moment it is moved aside — but it is removed only after this write has put a whole
 * package under the name, and its writer needs it only to put it back if its own second rename fails.
 */
export const FOREIGN_LEFTOVER_AFTER_MS = 24 * 3_600_000;

/** Not modified for FOREIGN_LEFTOVER_AFTER_MS; a name gone meanwhile (another writer removed it) is not. */
function untouchedForLong(file: string): boolean {
  try {
    return Date.now() - lstatSync(file).mtimeMs > FOREIGN_LEFTOVER_AFTER_MS;
  } catch {
    return false;
  }
}

/**
 * Removes what a killed writer of `file` (or a package directory) left beside it: its `.NAME.partial-<host>-<pid>`
 * and, for a package being replaced, `.NAME.old-<host>-<pid>` (the earlier package, moved aside; a new one is about to
 * take the name). This machine's are removed once their process no longer runs: one that runs may be writing the same
 * output right now. Another machine's process cannot be asked, so its leftovers are judged by age alone
 * (FOREIGN_LEFTOVER_AFTER_MS): left for that machine's next write, they stayed for good where each run has a new host
 * name (`docker run`, a Kubernetes pod), an `.old` being a whole package each time. A name without a machine
 * (`.NAME.partial-<pid>`, written before the machine was named) goes when no process of this machine has that id, or
 * by the same age — its id may be another machine's process that this one also happens to run.
 * Before, each killed run left its hidden copy behind, a whole package each time, for an operator to find.
 */
export function removeKilledLeftovers(file: string): void {
  const dir = path.dirname(file);
  const leftover = new RegExp(`^\\.${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:partial|old)-(?:(.+)-)?(\\d+)$`);
  const myHost = writerHost();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no directory yet: nothing left there
  }
  for (const name of names) {
    const m = leftover.exec(name);
    if (!m) continue;
    const [, host, id] = m;
    const pid = Number(id);
    const leftoverPath = path.join(dir, name);
    const ownDead = pid !== 0 && pid !== process.pid && !processRunning(pid);
    const gone = host === myHost ? ownDead : host === undefined ? ownDead || untouchedForLong(leftoverPath) : untouchedForLong(leftoverPath);
    if (gone) rmSync(leftoverPath, { recursive: true, force: true });
  }
}

/** Node's own message ("EFBIG: file too large, write", "ENOSPC: no space left on device") names no file. */
export const notWritten = (file: string, e: unknown, kept = 'a file already there'): Error =>
  new Error(`${file} not written (${kept} is left as it was): ${(e as Error).message}`, { cause: e });

/**
 * Writes each `[file, text]` whole. Every temporary file is written before any is renamed, so a failure while writing
 * leaves every earlier file as it was (a report's JSON and HTML stay a pair) and no temporary file behind.
 */
export function writeFilesAtomic(files: readonly (readonly [string, string])[]): void {
  const staged: { file: string; partial?: string; text: string }[] = files.map(([requested, text]) => {
    const { file, direct } = destinationOf(requested);
    return { file, text, partial: direct ? undefined : partialPathOf(file) };
  });
  let current = staged[0]?.file ?? '';
  try {
    for (const s of staged) {
      current = s.file;
      if (s.partial) writeFileDurably(s.partial, s.text);
    }
    for (const s of staged) {
      current = s.file;
      if (s.partial) renameSync(s.partial, s.file);
      else writeFileSync(s.file, s.text, { flag: 'a' }); // a device or a pipe: written straight through
    }
  } catch (e) {
    for (const s of staged) if (s.partial) rmSync(s.partial, { force: true });
    throw notWritten(current, e);
  }
  for (const dir of new Set(staged.filter((s) => s.partial).map((s) => path.dirname(s.file)))) syncDirectory(dir);
  // After the new files are in place, so a failed write leaves everything beside them as it was.
  for (const s of staged) if (s.partial) removeKilledLeftovers(s.file);
}

export const writeFileAtomic = (file: string, text: string): void => writeFilesAtomic([[file, text]]);
