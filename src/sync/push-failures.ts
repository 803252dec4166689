// A push whose writes failed has not done its work, whatever else it did: the job must fail (so BullMQ retries it and
// /status shows it), and the CLI must not exit 0. The ledger makes the retry harmless: what went through is confirmed
// and not sent again. The summaries travel with the error, so what the run did is still printed and logged.
import { refusedGroupsText, type RunSummary } from './run-summary.js';

export class PushFailedError extends Error {
  /** Every failure may go through on a later push (the target down, a time-out): try later, rather than fix something. */
  readonly retryable: boolean;
  /** The longest wait a target asked for (`Retry-After` beyond what a run waits): the job's retry comes after it. */
  readonly retryAfterMs?: number;

  constructor(readonly summaries: RunSummary[]) {
    const failed = summaries.filter((s) => (s.pushed?.failed ?? 0) > 0);
    const total = failed.reduce((n, s) => n + s.pushed!.failed, 0);
    const retryable = failed.reduce((n, s) => n + (s.pushFailures?.retryable ?? 0), 0);
    // An account refused in whole groups is the operator's to fix, not the platform's to recover from: said first.
    const refused = failed.filter((s) => s.accountRefused).map((s) => `${s.instance} refused the account in ${refusedGroupsText(s.accountRefused!)}, ${s.accountRefused!.notSent} write(s) not sent there`);
    // Every failure the account's, with whole groups refused: no retry of the job in a few minutes will get them
    // through (each would ask every group again), only the account's rights fixed. They stay due for the next push.
    const forAccount = failed.reduce((n, s) => n + (s.pushFailures?.accountRefused ?? 0), 0);
    const onlyAccount = refused.length > 0 && forAccount === total;
    const outlook = onlyAccount ? 'none will go through until the account may write there (they stay due; every push asks again)'
      : retryable === total ? 'all of them may go through on a later push' : `${total - retryable} will not go through as they are`;
    super(`grade-push ${failed[0]?.school}: ${total} write(s) failed on ${failed.map((s) => `${s.instance} (${s.pushed!.failed})`).join(', ')}; `
      + (refused.length ? `${refused.join('; ')} — check the account's rights there; ` : '')
      + `${outlook}; first: ${failed[0]?.pushFailures?.first ?? 'unknown'}`);
    this.name = 'PushFailedError';
    this.retryable = retryable === total && !onlyAccount;
    const wait = Math.max(0, ...failed.map((s) => s.pushFailures?.retryAfterMs ?? 0));
    if (wait > 0) this.retryAfterMs = wait;
  }
}

/** Throws {@link PushFailedError} when a push's writes failed; returns the summaries otherwise. */
export function throwOnFailedWrites(summaries: RunSummary[]): RunSummary[] {
  if (summaries.some((s) => s.kind === 'grade-push' && (s.pushed?.failed ?? 0) > 0)) throw new PushFailedError(summaries);
  return summaries;
}
