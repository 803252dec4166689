// The rate-limited time a gate reports (issue 8 bench): wall time during which a request waited for a rate
// permit, overlapping waits counted once. The clock is faked and the limiter hands out permits on demand,
// so the figures are exact.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InstanceGate, WaitClock, type RateLimiter } from '../../src/connectors/http/index.js';

/** Grants one permit each time `grant()` is called. */
class PermitsOnDemand implements RateLimiter {
  private waiting: (() => void)[] = [];
  acquire(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  get queued(): number {
    return this.waiting.length;
  }
  grant(): void {
    this.waiting.shift()!();
  }
}

const ticks = () => new Promise((r) => setImmediate(r));

afterEach(() => vi.useRealTimers());

describe('rate-limited time of an instance', () => {
  it('two requests waiting at once count their overlap once (1.5 s, not 2.5 s)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    const permits = new PermitsOnDemand();
    const gate = new InstanceGate('epos', 'clock-test', { requestsPerSecond: 1, concurrency: 2 }, permits);
    const done = [gate.run(async () => 'a'), gate.run(async () => 'b')];
    await ticks();
    expect(permits.queued).toBe(2);
    vi.setSystemTime(Date.now() + 1000);
    permits.grant();
    vi.setSystemTime(Date.now() + 500);
    permits.grant();
    expect(await Promise.all(done)).toEqual(['a', 'b']);
    expect(gate.rateLimitedMs).toBe(1500);
  });

  it('a request waiting for a concurrency slot is not rate-limited time', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    let finishFirst!: () => void;
    const gate = new InstanceGate('epos', 'slot-test', { requestsPerSecond: 1, concurrency: 1 }, { acquire: async () => undefined });
    const first = gate.run(() => new Promise<void>((r) => { finishFirst = r; }));
    const second = gate.run(async () => 'second');
    await ticks();
    vi.setSystemTime(Date.now() + 2000);
    finishFirst();
    await first;
    expect(await second).toBe('second');
    expect(gate.rateLimitedMs).toBe(0);
  });

  it('an unmatched leave is a bug and says so', () => {
    expect(() => new WaitClock().leave()).toThrow(/without a matching enter/);
  });
});
