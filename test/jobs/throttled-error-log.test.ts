import { describe, expect, it } from 'vitest';
import { throttledErrorLog } from '../../src/jobs/throttled-error-log.js';

describe('worker errors while Redis is away', () => {
  it('one line per queue and message per interval, then a line saying how many were held back', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = { error: (o: Record<string, unknown>) => lines.push(o) } as unknown as Parameters<typeof throttledErrorLog>[0];
    let t = 0;
    const log = throttledErrorLog(logger, 30_000, () => t);
    for (let i = 0; i < 100; i++, t += 250) log('roster-sync', new Error('Connection is closed.'));
    log('grade-push', new Error('Connection is closed.'));
    expect(lines).toEqual([
      { err: 'Connection is closed.', queue: 'roster-sync' },
      { err: 'Connection is closed.', queue: 'grade-push' },
    ]);
    t += 30_000;
    log('roster-sync', new Error('Connection is closed.'));
    expect(lines.at(-1)).toEqual({ err: 'Connection is closed.', queue: 'roster-sync', repeatedSinceLastLine: 99 });
  });
});
