// A whole-attempt deadline. axios's `timeout` is an idle timer on the socket: it fires only when nothing arrives for
// that long, so an answer that trickles in (a byte now and then from a struggling platform or a proxy in front of it)
// never times out, and the school's job — with it the nightly run of the instance — waited as long as it lasted.
// The deadline aborts the attempt `timeoutMs` after it was sent, whatever arrives meanwhile.
import type { InternalAxiosRequestConfig } from 'axios';

export interface AttemptDeadline {
  /** The config with the deadline's signal joined to the caller's own. */
  cfg: InternalAxiosRequestConfig;
  /** True when the deadline (not the caller) aborted the attempt. */
  expired(): boolean;
  /** Stops the timer once the attempt settled. */
  clear(): void;
}

export function attemptDeadline(cfg: InternalAxiosRequestConfig, ms: number): AttemptDeadline {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ms);
  const own = cfg.signal as AbortSignal | undefined;
  return {
    cfg: { ...cfg, signal: own ? AbortSignal.any([own, deadline.signal]) : deadline.signal },
    expired: () => deadline.signal.aborted && !own?.aborted,
    clear: () => clearTimeout(timer),
  };
}
