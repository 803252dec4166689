// Paging helpers every connector that reads a school window by window shares (PLATFORM-SLICE.md §2:
// memory stays flat, the rate budget is used): date windows, and an ordered bounded look-ahead.
import { addDays, daysBetween } from '../model/dates.js';

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

/** Days per range request of a read: the scope's own window size if it asks for one, else the instance's (≤ MAX_WINDOW_DAYS). */
export const scopeWindowDays = (scope: Pick<Scope, 'windowDays'>, configuredDays: number): number => Math.min(scope.windowDays ?? configuredDays, MAX_WINDOW_DAYS);

/** The range requests of a read: each of its ranges in the scope's own window size if it asks for one, else the instance's. */
export function scopeWindows(scope: Scope, configuredDays: number): [string, string][] {
  const days = scopeWindowDays(scope, configuredDays);
  return scopeRanges(scope).flatMap((r) => windows(r.from, r.to, days));
}

/** A date range read for one scope of a read: a group batch, a class's pupils. */
export interface ScopeWindow<K> { scope: K; from: string; to: string }

const spanDays = (from: string, to: string) => daysBetween(from, to) + 1;

/**
 * The range requests of a read, scope by scope (in the order scopes first appear), each scope's in date order. Ranges
 * of one scope that touch or overlap are asked as one request where the joined range is at most MAX_WINDOW_DAYS (the
 * longest range a range route answers): a nightly's sweep slice ending the day before its recent window, or a
 * catch-up range beside either, is then one request per route and scope instead of two (issue 7). A range not joined
 * is cut into windows of `days` as before (scopeWindows), so a read of one range asks exactly what it asked before.
 */
export function packedScopeWindows<K>(ranges: readonly ScopeWindow<K>[], days: number): ScopeWindow<K>[] {
  const byScope = new Map<K, ScopeWindow<K>[]>();
  for (const r of ranges) (byScope.get(r.scope) ?? byScope.set(r.scope, []).get(r.scope)!).push(r);
  const limit = Math.min(MAX_WINDOW_DAYS, Math.max(1, days));
  return [...byScope].flatMap(([scope, list]) => {
    const joined: { from: string; to: string; parts: number }[] = [];
    for (const r of [...list].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
      const last = joined.at(-1);
      const to = last && r.to > last.to ? r.to : last?.to ?? r.to;
      if (last && r.from <= addDays(last.to, 1) && spanDays(last.from, to) <= MAX_WINDOW_DAYS) {
        last.to = to;
        last.parts++;
      } else joined.push({ from: r.from, to: r.to, parts: 1 });
    }
    // A joined range is one request (≤ MAX_WINDOW_DAYS by construction); a range alone keeps the scope's window size.
    return joined.flatMap((j) => (j.parts > 1 ? [[j.from, j.to] as const] : windows(j.from, j.to, limit)).map(([from, to]) => ({ scope, from, to })));
  });
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
