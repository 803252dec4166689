// Runs a command module's `run` and turns known errors into one clear message and an exit code.
import { ConfigError } from '../config/load.js';
import { UsageError } from '../infra/operator-errors.js';
import { endSessionsOnSignal } from './end-sessions-on-signal.js';
import { EXIT, exitCodeOf } from './exit-codes.js';

type CommandModule = { run: (...args: never[]) => Promise<number | void> };

export async function runCommand(load: () => Promise<CommandModule>, ...args: unknown[]): Promise<void> {
  const removeSignalHandlers = endSessionsOnSignal();
  try {
    const mod = await load();
    const code = await (mod.run as (...a: unknown[]) => Promise<number | void>)(...args);
    process.exitCode = code ?? 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`configuration problems:\n${e.message}\n`);
      process.exitCode = EXIT.config;
      return;
    }
    const err = e as Error;
    // A class name helps with a RangeError or a TypeError; BullMQ's "do not retry" wrapper says nothing to an operator.
    const named = err.name && !['Error', 'UnrecoverableError', 'UsageError', 'ServiceUnavailableError', 'RedisUnavailableError', 'GroupRefusedError', 'NothingOfYearToAskError'].includes(err.name) && !(err instanceof UsageError);
    process.stderr.write(`journal-gateway: ${named ? `${err.name}: ` : ''}${err.message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exitCode = exitCodeOf(e);
  } finally {
    removeSignalHandlers();
  }
}
