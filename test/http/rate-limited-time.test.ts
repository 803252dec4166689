// The rate-limited time a gate reports (issue 8 bench): wall time during which a limit held a request back — a spent
// budget or a platform's Retry-After — overlapping waits counted once. Asking for a permit is not such a wait: with
// Redis it is a round trip, and while the gateway is busy mapping, the answer waits for the event loop; counted, that
// busy time was subtracted from the gateway's own. The clock is faked and the limiters hold requests back on demand,
// so the figures are exact.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CompletionWindowLimiter, InstanceGate, WaitClock, type HeldBack, type RateLimiter } from '../../src/connectors/http/index.js';

/** Holds every request back until `grant()` lets the oldest go, and says so, as a limiter with its budget spent. */
class PermitsOnDemand implements RateLimiter {
  private waiting: { go: () => void; held?: HeldBack }[] = [];
  acquire(_maxHoldMs?: number, held?: HeldBack): Promise<void> {
    held?.start();
    return new Promise((go) => this.waiting.push({ go, held }));
  }
  get queued(): number {
    return this.waiting.length;
  }
  grant(): void {
    const { go, held } = this.waiting.shift()!;
    held?.end();
    go();
  }
}

/** Never holds a request back, but its answer takes time to arrive: a permit asked of Redis while the loop is busy. */
class SlowToAnswer implements RateLimiter {
  private answers: (() => void)[] = [];
  acquire(): Promise<void> {
    return new Promise((answer) => this.answers.push(answer));
  }
  answerAll(): void {
    for (const a of this.answers.splice(0)) a();
  }
}

const ticks = () => new Promise((r) => setImmediate(r));

afterEach(() => vi.useRealTimers());

describe('rate-limited time of an instance', () => {
  it('two requests held back at once count their overlap once (1.5 s, not 2.5 s)', async () => {
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

  it('the time a permit takes to be answered is the gateway\'s own, not rate-limited time', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    const permits = new SlowToAnswer();
    const gate = new InstanceGate('epos', 'round-trip-test', { requestsPerSecond: 100, concurrency: 4 }, permits);
    const done = [gate.run(async () => 'a'), gate.run(async () => 'b')];
    await ticks();
    vi.setSystemTime(Date.now() + 3000);
    permits.answerAll();
    expect(await Promise.all(done)).toEqual(['a', 'b']);
    expect(gate.rateLimitedMs).toBe(0);
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

  it('the in-process limiter counts a request held back by its spent budget, and none granted at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    // One request per 1 ms window: a slot frees 1 ms after its answer (by `performance`, which is not faked).
    const window = new CompletionWindowLimiter(1, 1);
    const gate = new InstanceGate('epos', 'window-test', { requestsPerSecond: 1, concurrency: 2 }, { acquire: (_max, held) => window.acquire(held) });
    let answerFirst!: () => void;
    const first = gate.run(() => new Promise<void>((r) => { answerFirst = r; }));
    await ticks();
    expect(gate.rateLimitedMs).toBe(0);
    // The one slot is in flight: the second request is held back until the first's answer is in.
    const second = gate.run(async () => 'second');
    await ticks();
    vi.setSystemTime(Date.now() + 700);
    expect(gate.rateLimitedMs).toBe(700);
    answerFirst();
    await first;
    expect(await second).toBe('second');
    expect(gate.rateLimitedMs).toBe(700);
  });

  it('an unmatched leave is a bug and says so', () => {
    expect(() => new WaitClock().leave()).toThrow(/without a matching enter/);
  });
});
