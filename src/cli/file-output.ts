// An output file that appears under its name only when complete, as src/infra/atomic-file.ts writes one, but streamed
// (a school's NDJSON does not fit in one string). An interrupted `generate --out` used to
// leave a cut-off NDJSON file that `validate` accepted as a smaller school; now Ctrl-C, SIGTERM or an error (a full disk) removes
// the temporary file, and a SIGKILL leaves only a `.….partial-<host>-<pid>` file, never the final name.
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { destinationOf, notWritten, partialPathOf, writeFileAtomic } from '../infra/atomic-file.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export interface FileOutput {
  stream: WriteStream;
  /** Flushes, closes and renames the temporary file to its final name. */
  commit(): Promise<void>;
  /** Removes the temporary file (after an error). */
  abandon(): void;
  /** Removes the temporary file and returns the error to throw: the file named, with what stopped the write. */
  fail(e: unknown): Error;
}

export async function openFileOutput(requested: string): Promise<FileOutput> {
  const { file, direct } = destinationOf(requested);
  if (direct) return directOutput(file);
  const partial = partialPathOf(file);
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
  const abandon = () => {
    removeHandlers();
    stream.destroy();
    rmSync(partial, { force: true });
  };
  // A file that cannot be opened (a missing folder) is one clear error, not an unhandled stream event.
  await once(stream, 'open');
  // A write that fails later (a full disk) is seen by the writer (ndjson.ts writeLine) and by commit(); without a
  // listener the stream's 'error' event ended the process with a stack trace and left the temporary file.
  stream.on('error', () => {});
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
        throw notWritten(file, e);
      } finally {
        removeHandlers();
      }
    },
    abandon,
    fail(e) {
      abandon();
      return notWritten(file, e);
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
    fail(e) {
      stream.destroy();
      return notWritten(file, e, 'what was written before');
    },
  };
}

/**
 * Writes `text` as the whole of `file` the same way (src/infra/atomic-file.ts): a full disk or a crash mid-write leaves
 * the previous file as it was (writeFileSync truncates it first), never half of the new one.
 */
export async function writeFileOutput(file: string, text: string): Promise<void> {
  writeFileAtomic(file, text);
}
