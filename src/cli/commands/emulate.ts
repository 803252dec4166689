// `journal-gateway emulate <p>`: runs a platform's emulator standalone on the synthetic school and
// prints one JSON line telling a person or a script how to use it (PLATFORM-SLICE.md §1).
import { printStartupLine } from '../../emulators/kit/index.js';
import type { FaultConfig } from '../../emulators/kit/faults.js';
import { parseCount, parsePort } from '../options.js';
import { UsageError } from '../../infra/operator-errors.js';
import { platformArgument } from '../platform-argument.js';

export async function run(platform: string, opts: { port: string; seed: string; pupils: string; emptyJournal?: boolean; faults?: string }): Promise<number> {
  const entry = platformArgument(platform);
  const faults = opts.faults ? parseFaults(opts.faults) : undefined;
  const emulator = await entry.emulator.start({
    port: parsePort('--port', opts.port),
    seed: parseCount('--seed', opts.seed, 0),
    pupils: parseCount('--pupils', opts.pupils, 1),
    emptyJournal: Boolean(opts.emptyJournal),
    ...(faults ? { faults } : {}),
  });
  printStartupLine(emulator.info);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
  process.stderr.write(`${JSON.stringify({ stopped: platform, stats: emulator.stats() })}\n`);
  return 0;
}

const FAULTS_EXAMPLE = `'{"errorRate":0.1,"latencyMs":50}'`;

function parseFaults(text: string): FaultConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--faults must be JSON, e.g. ${FAULTS_EXAMPLE}: ${(e as Error).message}`);
  }
  // Valid JSON of another shape (an array, a number, a string, null) started the emulator with no fault injected, and
  // the run looked clean: the operator meant an object of FaultConfig's fields.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--faults must be a JSON object of fault settings (errorRate, latencyMs, rateLimit, expireSessionAfter, malformedRecordRate, seed), e.g. ${FAULTS_EXAMPLE}; got ${text}`);
  }
  return value as FaultConfig;
}
