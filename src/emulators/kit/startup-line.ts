// The one JSON line a standalone emulator prints on start (PLATFORM-SLICE.md §1): how a person or a
// script reaches it. Logs go to stderr; this line goes to stdout alone.
import type { StartupInfo } from './types.js';

/** The startup line as a string (no trailing newline). Key order: platform, baseUrl, accounts, then ids. */
export function startupLine(info: StartupInfo): string {
  const { platform, baseUrl, accounts, ...ids } = info;
  return JSON.stringify({ platform, baseUrl, accounts, ...ids });
}

/** Prints {@link startupLine} plus a newline to `out` (stdout by default). */
export function printStartupLine(info: StartupInfo, out: NodeJS.WritableStream = process.stdout): void {
  out.write(`${startupLine(info)}\n`);
}
