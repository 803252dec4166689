// A file that appears under its name only when complete: written as a hidden temporary file beside it (the same
// directory, so the rename cannot cross file systems) and renamed at the end. writeFileSync truncates the file first,
// so a full disk or a crash mid-write left half a report where last night's whole one had been; now an error leaves
// the file that was there as it was, and a SIGKILL leaves only a `.….partial-<pid>` file, never half of the final name.
// One place for `report --out`, `generate --out` (cli/file-output.ts), run summaries and migration reports.
import { realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

/** The hidden temporary name beside `file` (or a directory) that this process writes before the rename. */
export const partialPathOf = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);

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
      if (s.partial) writeFileSync(s.partial, s.text);
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
}

export const writeFileAtomic = (file: string, text: string): void => writeFilesAtomic([[file, text]]);
