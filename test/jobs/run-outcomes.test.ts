// How a run's failures reach an operator: a push whose writes failed is a failed run (a job retried, a CLI exit other
// than 0), with its summary kept; an instance the job names that the school does not have fails at once.
import { UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf } from '../../src/cli/exit-codes.js';
import { parseConfigText } from '../../src/config/load.js';
import { runJob } from '../../src/jobs/processors.js';
import { PushFailedError, throwOnFailedWrites } from '../../src/sync/push-failures.js';
import { newSummary, type RunSummary } from '../../src/sync/run-summary.js';
import type { Store } from '../../src/store/index.js';

const push = (instance: string, failed: number, retryable: number): RunSummary => ({
  ...newSummary('grade-push', 'run-1', instance, 's1'),
  pushed: { applied: 10, unchanged: 0, refused: 0, failed, skipped: 0 },
  ...(failed ? { pushFailures: { retryable, first: '503 Service Unavailable' } } : {}),
});

describe('run outcomes', () => {
  it('a push with failed writes throws with its summaries; the CLI exits 69 when a later push may get them through, 1 when not', () => {
    const ok = [push('epos-a', 0, 0)];
    expect(throwOnFailedWrites(ok)).toBe(ok);
    const down = [push('epos-a', 0, 0), push('dnevnik-a', 701, 701)];
    const e = (() => { try { throwOnFailedWrites(down); } catch (x) { return x as PushFailedError; } })()!;
    expect(e).toBeInstanceOf(PushFailedError);
    expect(e.summaries).toBe(down);
    expect(e.message).toBe('grade-push s1: 701 write(s) failed on dnevnik-a (701); all of them may go through on a later push; first: 503 Service Unavailable');
    expect(exitCodeOf(e)).toBe(EXIT.unavailable);
    const refused = new PushFailedError([push('epos-a', 3, 1)]);
    expect(refused.retryable).toBe(false);
    expect(refused.message).toContain('2 will not go through as they are');
    expect(exitCodeOf(refused)).toBe(EXIT.failed);
    // Every failure the account's, whole groups refused (refused-groups.ts): the operator's to fix, not retried within
    // minutes; the writes stay due for the next push.
    const account: RunSummary = { ...push('epos-a', 40, 40), accountRefused: { groups: 3, notSent: 34, sample: ['5А Математика', '5А Русский язык', '6Б История'] }, pushFailures: { retryable: 40, first: '403 forbidden', accountRefused: 40 } };
    const forAccount = new PushFailedError([account]);
    expect(forAccount.retryable).toBe(false);
    expect(forAccount.message).toBe("grade-push s1: 40 write(s) failed on epos-a (40); epos-a refused the account in 3 group(s) (5А Математика, 5А Русский язык, 6Б История), 34 write(s) not sent there — check the account's rights there; none will go through until the account may write there (they stay due; every push asks again); first: 403 forbidden");
    expect(exitCodeOf(forAccount)).toBe(EXIT.failed);
    // One pupil's write refused among others that went through: no group held back, a later push may get it through.
    const one = new PushFailedError([{ ...push('epos-a', 1, 1), pushFailures: { retryable: 1, first: '403 forbidden', accountRefused: 1 } }]);
    expect(one.retryable).toBe(true);
  });

  it('a job naming an instance the configuration or the school does not have fails at once, not after five retries', async () => {
    const cfg = parseConfigText(`region: { id: r, name: R }
platforms:
  - { instance: dn-a, platform: dnevnik, baseUrl: "http://127.0.0.1:1", auth: { kind: token, accessToken: t } }
  - { instance: dn-b, platform: dnevnik, baseUrl: "http://127.0.0.1:1", auth: { kind: token, accessToken: t } }
schools:
  - { id: s1, name: S, timeZone: Europe/Samara, systemOfRecord: dn-a, platforms: [{ instance: dn-a, schoolId: "1" }] }
`, 't.yaml');
    const ctx = { config: cfg, store: {} as Store, logger: pino({ level: 'silent' }), close: async () => {} };
    for (const [instance, reason] of [['nope', /no platform instance "nope"/], ['dn-b', /school "s1" has no id on platform instance "dn-b"/]] as const) {
      const r = runJob('roster-sync', { schoolId: 's1', instance }, ctx);
      await expect(r).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(r).rejects.toThrow(reason);
    }
    // A push names its target: the system of record is none (it would rewrite the school's own journal from the store).
    const intoSor = runJob('grade-push', { schoolId: 's1', instance: 'dn-a', dryRun: true }, ctx);
    await expect(intoSor).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(intoSor).rejects.toThrow('instance "dn-a" is not a push target of school "s1" (its pushTargets: none)');
    expect(exitCodeOf(await intoSor.catch((e: Error) => e.cause))).toBe(EXIT.usage);
  });
});
