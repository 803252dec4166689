// inParts: a large read or write of the store in parts, some at once (src/store/sql-util.ts).
import { describe, expect, it } from 'vitest';
import { inParts } from '../../src/store/sql-util.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inParts', () => {
  it('gives the results in the parts\' order, however the parts finish, with at most `inFlight` running', async () => {
    let running = 0;
    let most = 0;
    const out = await inParts([30, 5, 20, 1, 10, 2], 2, async (ms) => {
      running++;
      most = Math.max(most, running);
      await tick(ms);
      running--;
      return ms * 10;
    });
    expect(out).toEqual([300, 50, 200, 10, 100, 20]);
    expect(most).toBe(2);
  });

  it('starts no part after a failure, and throws it only once the part still running has settled', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = inParts([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick(n === 1 ? 40 : 5);
      settled.push(n);
      if (n === 2) throw new Error('part 2 refused');
      return n;
    });
    await expect(run).rejects.toThrow('part 2 refused');
    // Part 2 failed while part 1 was still running: nothing after it started, and part 1 had settled before the throw.
    expect(started).toEqual([1, 2]);
    expect(settled).toEqual([2, 1]);
  });

  it('one part at a time when asked, and an empty list is no call', async () => {
    const order: string[] = [];
    await inParts(['a', 'b'], 1, async (p) => {
      order.push(`start ${p}`);
      await tick(5);
      order.push(`end ${p}`);
    });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
    let calls = 0;
    expect(await inParts([], 2, async () => calls++)).toEqual([]);
    expect(calls).toBe(0);
  });
});
