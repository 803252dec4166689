// packedScopeWindows (src/connectors/paging.ts): a read's ranges of one scope that touch or overlap are one range
// request when the joined range is at most 31 days (issue 7: a nightly sweep slice beside the recent window).
import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_DAYS, packedScopeWindows } from '../../src/connectors/paging.js';

const of = (scope: string, ...ranges: [string, string][]) => ranges.map(([from, to]) => ({ scope, from, to }));
const pairs = (ws: { scope: string; from: string; to: string }[]) => ws.map((w) => `${w.scope} ${w.from}…${w.to}`);

describe('packedScopeWindows', () => {
  it('joins a sweep slice that ends the day before the recent window into one request', () => {
    expect(pairs(packedScopeWindows(of('7А', ['2026-05-12', '2026-05-26'], ['2026-05-11', '2026-05-11']), 15)))
      .toEqual(['7А 2026-05-11…2026-05-26']);
  });

  it('joins overlapping ranges (a catch-up range inside the recent window and one reaching before it)', () => {
    expect(pairs(packedScopeWindows(of('7А', ['2026-05-01', '2026-05-14'], ['2026-05-10', '2026-05-26'], ['2026-05-12', '2026-05-13']), 17)))
      .toEqual(['7А 2026-05-01…2026-05-26']);
  });

  it('reads the joined range as one request even when it is longer than the longest range alone', () => {
    // 10 + 15 days; alone each is one request of at most 15 days, joined 25 days is still one request (≤ 31).
    expect(pairs(packedScopeWindows(of('7А', ['2026-05-02', '2026-05-11'], ['2026-05-12', '2026-05-26']), 15)))
      .toEqual(['7А 2026-05-02…2026-05-26']);
  });

  it('keeps ranges with a gap between them apart', () => {
    expect(pairs(packedScopeWindows(of('7А', ['2025-09-01', '2025-09-28'], ['2026-05-12', '2026-05-26']), 28)))
      .toEqual(['7А 2025-09-01…2025-09-28', '7А 2026-05-12…2026-05-26']);
    // One free day between them is a gap too: joining would read a day nobody asked for.
    expect(pairs(packedScopeWindows(of('7А', ['2026-05-01', '2026-05-10'], ['2026-05-12', '2026-05-26']), 15)))
      .toEqual(['7А 2026-05-01…2026-05-10', '7А 2026-05-12…2026-05-26']);
  });

  it(`keeps touching ranges apart when together they are longer than ${MAX_WINDOW_DAYS} days`, () => {
    // A full 28-day slice before a 15-day recent window: 43 days, more than one range request answers.
    expect(pairs(packedScopeWindows(of('7А', ['2026-04-14', '2026-05-11'], ['2026-05-12', '2026-05-26']), 28)))
      .toEqual(['7А 2026-04-14…2026-05-11', '7А 2026-05-12…2026-05-26']);
    // Exactly 31 days joined is one request; 32 is not.
    expect(pairs(packedScopeWindows(of('7А', ['2026-05-01', '2026-05-16'], ['2026-05-17', '2026-05-31']), 16))).toEqual(['7А 2026-05-01…2026-05-31']);
    expect(pairs(packedScopeWindows(of('7А', ['2026-05-01', '2026-05-16'], ['2026-05-17', '2026-06-01']), 16))).toHaveLength(2);
  });

  it('never joins the ranges of different scopes (each group batch or class asks its own)', () => {
    const ws = packedScopeWindows([...of('7А', ['2026-05-12', '2026-05-26']), ...of('7Б', ['2026-05-11', '2026-05-11']), ...of('7А', ['2026-05-11', '2026-05-11'])], 15);
    expect(pairs(ws)).toEqual(['7А 2026-05-11…2026-05-26', '7Б 2026-05-11…2026-05-11']);
  });

  it('cuts a range that is joined to nothing into windows of the read as before (a full sync of 7-day windows)', () => {
    expect(pairs(packedScopeWindows(of('7А', ['2025-09-01', '2025-09-20']), 7)))
      .toEqual(['7А 2025-09-01…2025-09-07', '7А 2025-09-08…2025-09-14', '7А 2025-09-15…2025-09-20']);
  });
});
