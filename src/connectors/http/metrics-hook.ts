// An optional, process-wide observer of the HTTP layer (issue 10): the ops module installs one to feed
// Prometheus; without one nothing changes. It sees what HttpStats sees — platform, instance, method,
// route template, status — and never a URL, a query string or a body, so no id or token can leak into a
// metric label through it.

export interface HttpAttemptEvent {
  platform: string;
  instance: string;
  method: string;
  /** The route template (`/v2/edu-groups/{g}/final-marks`), never the filled path. */
  route: string;
  /** HTTP status, or `'network'` when no answer came. */
  status: number | 'network';
  durationMs: number;
}

export interface HttpMetricsHook {
  /** One attempt finished (every retry is its own attempt, as in HttpStats). */
  attempt(e: HttpAttemptEvent): void;
  /** Time a request waited for its rate-limit / concurrency turn (and any Retry-After hold). */
  rateLimitWait(e: { platform: string; instance: string; ms: number }): void;
}

let hook: HttpMetricsHook | undefined;

/** Installs (or with `undefined` removes) the observer for every client in this process. */
export function setHttpMetricsHook(h: HttpMetricsHook | undefined): void {
  hook = h;
}

/** Calls the hook without letting an observer's bug fail a request. */
export function notifyAttempt(e: HttpAttemptEvent): void {
  try {
    hook?.attempt(e);
  } catch {
    // metrics are best effort: a broken observer must not break a sync
  }
}

export function notifyRateLimitWait(platform: string, instance: string, ms: number): void {
  try {
    hook?.rateLimitWait({ platform, instance, ms });
  } catch {
    // see notifyAttempt
  }
}
