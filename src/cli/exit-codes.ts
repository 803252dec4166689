// The CLI's exit codes (docs/operations.md "Exit codes"): a cron wrapper retries 69 later, alerts on 1, and
// fixes the command line or the configuration on 64 and 2. The sysexits.h numbers, so `man sysexits` explains them.
import { ConfigError } from '../config/load.js';
import { GatewayHttpError } from '../connectors/http/errors.js';
import { ServiceUnavailableError, UsageError } from '../infra/operator-errors.js';
import { PushFailedError } from '../sync/push-failures.js';

export const EXIT = {
  ok: 0,
  /** The run went through and found a problem (a blocking rule, a difference, a damaged copy), or failed otherwise. */
  failed: 1,
  /** The configuration file is invalid. */
  config: 2,
  /** EX_USAGE: an option or argument is wrong; nothing was done. */
  usage: 64,
  /** EX_UNAVAILABLE: Redis, PostgreSQL or a platform did not answer; the same command may succeed later. */
  unavailable: 69,
} as const;

/** The error itself or one it wraps (a job's "do not retry" wrapper keeps the original as its cause). */
function* chain(e: unknown): Generator<unknown> {
  for (let cur = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) yield cur;
}

export function exitCodeOf(e: unknown): number {
  for (const err of chain(e)) {
    if (err instanceof ConfigError) return EXIT.config;
    if (err instanceof UsageError) return EXIT.usage;
    if (err instanceof ServiceUnavailableError) return EXIT.unavailable;
    // Writes that failed but may go through later (the target down): the same push may succeed later.
    if (err instanceof PushFailedError) return err.retryable ? EXIT.unavailable : EXIT.failed;
    // A platform that stayed down through every retry (network errors, 5xx, 429): an outage, not a mistake.
    if (err instanceof GatewayHttpError && err.failureType === 'transient') return EXIT.unavailable;
  }
  return EXIT.failed;
}
