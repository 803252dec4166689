// Ctrl-C or SIGTERM during a one-off command (`sync`, `push`, `migrate`…): the platform sessions it has open are
// logged out before the process ends, as at the end of every run — a signal used to end the process at once and
// leave them open. Commands that handle signals themselves (worker, serve, emulate) are left to do so.
import { endOpenSessions, openSessionCount } from '../connectors/http/open-sessions.js';

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
/** How long the logouts may take before the process ends anyway. */
const LOGOUT_TIMEOUT_MS = 10_000;

/** Installs the handlers; returns their removal. */
export function endSessionsOnSignal(): () => void {
  let ending = false;
  const handler = (signal: keyof typeof SIGNAL_EXIT) => {
    // A command with its own handler (registered after this one) shuts down its own way.
    if (process.listenerCount(signal) > 1) return;
    if (ending) process.exit(SIGNAL_EXIT[signal]); // a second signal: now
    ending = true;
    const n = openSessionCount();
    process.stderr.write(`journal-gateway: interrupted (${signal})${n ? `: ending ${n} platform session(s) first (again to stop at once)` : ''}\n`);
    void endOpenSessions(LOGOUT_TIMEOUT_MS).finally(() => process.exit(SIGNAL_EXIT[signal]));
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}
