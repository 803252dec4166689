// Helpers every connector's readSchool uses to walk a school in order with a bounded look-ahead
// (PLATFORM-SLICE.md §2: page by page, memory flat, the rate budget used).
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

/** Runs thunks with at most `lookahead` in flight and yields their results in order. */
export async function* ordered<T>(thunks: Iterable<() => Promise<T>>, lookahead: number): AsyncGenerator<T> {
  const it = thunks[Symbol.iterator]();
  const inflight: Promise<T>[] = [];
  const fill = () => {
    while (inflight.length < lookahead) {
      const n = it.next();
      if (n.done) return;
      const p = n.value();
      p.catch(() => undefined); // surfaced when awaited in order
      inflight.push(p);
    }
  };
  fill();
  while (inflight.length) {
    const v = await inflight.shift()!;
    fill();
    yield v;
  }
}
