// The file a command reads (a payload for `map`, canonical NDJSON for `validate` and `eljur-package`), checked before
// anything is read: a wrong path is a wrong command line (exit 64) and the message names it — Node's own error said
// "ENOENT: no such file or directory, open …" as exit 1, and for a directory "EISDIR: illegal operation on a
// directory, read" without the path.
import { statSync } from 'node:fs';
import { UsageError } from '../infra/operator-errors.js';

/** `what` says what the command expects there, e.g. "canonical NDJSON file". */
export function checkInputFile(file: string, what: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${file}: no such file (expected a ${what})`);
    throw new Error(`${file}: cannot read the ${what}: ${code ?? String(e)}`);
  }
  if (!isFile) throw new UsageError(`${file} is a directory, not a ${what}`);
}
