// An output file that appears under its name only when complete: written as a hidden temporary file beside it (the same
// directory, so the rename cannot cross file systems) and renamed at the end. An interrupted `generate --out` used to
// leave a cut-off NDJSON file that `validate` accepted as a smaller school; now Ctrl-C, SIGTERM or an error removes
// the temporary file, and a SIGKILL leaves only a `.….partial-<pid>` file, never the final name.
import { once } from 'node:events';
import { createWriteStream, realpathSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export interface FileOutput {
  stream: WriteStream;
  /** Flushes, closes and renames the temporary file to its final name. */
  commit(): Promise<void>;
  /** Removes the temporary file (after an error). */
  abandon(): void;
}

/**
 * Where `--out` really writes: a symbolic link's target (the link stays a link; renaming over it made it a plain
 * file), and whether that is a device or a pipe (`--out /dev/stdout` in a cron line, a FIFO), which is written as it
 * is — there is no file to keep whole, and no temporary file can be made beside `/dev/stdout`.
 */
function destinationOf(file: string): { file: string; direct: boolean } {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return { file, direct: false }; // not there yet: a new file
  }
  return { file: real, direct: !statSync(real).isFile() };
}

export async function openFileOutput(requested: string): Promise<FileOutput> {
  const { file, direct } = destinationOf(requested);
  if (direct) return directOutput(file);
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
  const stream = createWriteStream(partial);
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => {
    stream.destroy();
    rmSync(partial, { force: true });
    process.stderr.write(`journal-gateway: interrupted (${signal}): ${file} not written\n`);
    process.exit(SIGNAL_EXIT[signal]);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  const removeHandlers = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  // A file that cannot be opened (a missing folder) is one clear error, not an unhandled stream event.
  await once(stream, 'open');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    stream,
    async commit() {
      try {
        stream.end();
        await finished(stream);
        renameSync(partial, file);
      } catch (e) {
        rmSync(partial, { force: true });
        // Node's own message ("EFBIG: file too large, write", "ENOSPC: no space left on device") names no file.
        throw new Error(`${file} not written (a file already there is left as it was): ${(e as Error).message}`, { cause: e });
      } finally {
        removeHandlers();
      }
    },
    abandon() {
      removeHandlers();
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}

/** A device or pipe: written straight through. */
async function directOutput(file: string): Promise<FileOutput> {
  const stream = createWriteStream(file, { flags: 'a' });
  await once(stream, 'open');
  return {
    stream,
    async commit() {
      stream.end();
      await finished(stream);
    },
    abandon() {
      stream.destroy();
    },
  };
}

/**
 * Writes `text` as the whole of `file` the same way: a full disk or a crash mid-write leaves the previous file as it
 * was (writeFileSync truncates it first), never half of the new one.
 */
export async function writeFileOutput(file: string, text: string): Promise<void> {
  const output = await openFileOutput(file);
  try {
    output.stream.write(text);
  } catch (e) {
    output.abandon();
    throw e;
  }
  await output.commit();
}
