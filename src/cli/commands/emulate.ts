// `journal-gateway emulate <p>`: runs a platform's emulator standalone on the synthetic school and
// prints one JSON line telling a person or a script how to use it (PLATFORM-SLICE.md §1).
import { printStartupLine } from '../../emulators/kit/index.js';
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

function parseFaults(text: string) {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`--faults must be JSON, e.g. '{"errorRate":0.1,"latencyMs":50}': ${(e as Error).message}`);
  }
}
