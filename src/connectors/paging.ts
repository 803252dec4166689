// Paging helpers every connector that reads a school window by window shares (PLATFORM-SLICE.md §2:
// memory stays flat, the rate budget is used): date windows, and an ordered bounded look-ahead.
import { addDays } from '../model/dates.js';

/** Calendar windows of at most `days` days covering [from, to]. */
export function windows(from: string, to: string, days: number): [string, string][] {
  const out: [string, string][] = [];
  for (let a = from; a <= to; a = addDays(a, days)) {
    const b = addDays(a, days - 1);
    out.push([a, b < to ? b : to]);
  }
  return out;
}

/** The longest range one request asks for (the connectors' `windowDays` limit; range routes are unpaged). */
export const MAX_WINDOW_DAYS = 31;

type Scope = { from: string; to: string; ranges?: readonly { from: string; to: string }[]; windowDays?: number };

/** The date ranges a read covers: the scope's `ranges` when it names several, else [from, to]. */
export function scopeRanges(scope: Scope): { from: string; to: string }[] {
  return scope.ranges?.length ? [...scope.ranges] : [{ from: scope.from, to: scope.to }];
}

/** The range requests of a read: each of its ranges in the scope's own window size if it asks for one, else the instance's. */
export function scopeWindows(scope: Scope, configuredDays: number): [string, string][] {
  const days = Math.min(scope.windowDays ?? configuredDays, MAX_WINDOW_DAYS);
  return scopeRanges(scope).flatMap((r) => windows(r.from, r.to, days));
}

/**
 * Runs thunks with at most `lookahead` in flight and yields their results in order. A thunk is started as
 * soon as another one settles — not only when the consumer asks for the next result — so the requests keep
 * flowing while the consumer maps a page; at most `buffered` results wait for the consumer (memory stays flat).
 */
export async function* ordered<T>(thunks: Iterable<() => Promise<T>>, lookahead: number, buffered = lookahead * 4): AsyncGenerator<T> {
  const it = thunks[Symbol.iterator]();
  const queue: Promise<T>[] = [];
  let running = 0;
  let exhausted = false;
  const fill = (): void => {
    while (!exhausted && running < lookahead && queue.length < buffered) {
      const n = it.next();
      if (n.done) {
        exhausted = true;
        return;
      }
      running++;
      const p = n.value();
      const settled = () => {
        running--;
        fill();
      };
      p.then(settled, settled);
      queue.push(p);
    }
  };
  fill();
  while (queue.length) {
    const v = await queue.shift()!;
    fill();
    yield v;
  }
}
