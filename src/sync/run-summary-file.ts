// The run summary as a file an operator attaches to a ticket (issue 10): one JSON file per CLI run under
// `<store.dataDir>/runs/`, named by its run id. Summaries hold counts and reasons only (run-summary.ts), so the
// file carries no personal data. Written whole (a temporary file renamed): a full disk never leaves half a summary. A store kept in memory (`memory://`) has no directory: nothing is written.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../infra/atomic-file.js';
import type { RunSummary } from './run-summary.js';

/** Writes `summaries` to `<dataDir>/runs/<runId>.json`; returns the path, or undefined for an in-memory store. */
export function writeRunSummaryFile(dataDir: string, summaries: readonly RunSummary[]): string | undefined {
  if (dataDir.startsWith('memory://') || summaries.length === 0) return undefined;
  const dir = path.resolve(dataDir, 'runs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${summaries[0].runId.replace(/[^\w.-]/g, '_')}.json`);
  writeFileAtomic(file, `${JSON.stringify(summaries, null, 2)}\n`);
  return file;
}
