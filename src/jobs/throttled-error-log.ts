// BullMQ workers emit 'error' for every command that fails while Redis is away: a 25-second Redis restart printed
// 105 "worker error" lines at error level, burying whatever else happened. One line per queue and message per
// interval, carrying how many were held back since the last, says the same thing.
import type { Logger } from 'pino';

export function throttledErrorLog(logger: Logger, everyMs = 30_000, now: () => number = Date.now): (queue: string, err: Error) => void {
  const seen = new Map<string, { at: number; heldBack: number }>();
  return (queue, err) => {
    const key = `${queue}|${err.message}`;
    const last = seen.get(key);
    const t = now();
    if (last && t - last.at < everyMs) {
      last.heldBack++;
      return;
    }
    logger.error({ err: err.message, queue, ...(last?.heldBack ? { repeatedSinceLastLine: last.heldBack } : {}) }, 'worker error');
    seen.set(key, { at: t, heldBack: 0 });
  };
}
