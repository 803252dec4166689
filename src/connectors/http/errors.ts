// The error taxonomy of the HTTP layer (engineering.md §1.3, the Airbyte `ResponseAction` ×
// `FailureType` table; DECISIONS.md §5). Jobs translate it: `fail` → BullMQ UnrecoverableError,
// `rate_limited` → worker.rateLimit(retryAfterMs), `retry` → a thrown error with job backoff.

/**
 * What to do with a response or an exception.
 * - `ok`: a success (the body is the data);
 * - `retry`: a transient fault, try again after backoff (only idempotent or `retrySafe` requests);
 * - `rate_limited`: the platform said "slow down" (429, or a throttling message), wait `retryAfterMs`;
 * - `refresh_auth`: the session or token expired, call `AuthHook.refresh()` once and try again;
 * - `fail`: retrying cannot help.
 */
export type ResponseAction = 'ok' | 'retry' | 'rate_limited' | 'refresh_auth' | 'fail';

/** The actions that are errors. */
export type ErrorAction = Exclude<ResponseAction, 'ok'>;

/**
 * Whose problem it is.
 * - `config`: the operator must act (wrong password, revoked devkey, no access to the school);
 * - `transient`: the platform is busy or down, a later retry may succeed;
 * - `system`: the gateway or the platform broke the contract (unexpected status or body).
 */
export type FailureType = 'config' | 'transient' | 'system';

/** The verdict of a classifier on one response or exception. */
export interface ErrorResolution {
  action: ResponseAction;
  failureType: FailureType;
  /** The platform's own error text (e.g. NetSchool's 409 `message`); redacted before it is shown. */
  message?: string;
  /** The platform's own error code (`authorizationFailed`, ЭлЖур `state`, ЭПОС `code`). */
  code?: string;
  /** Wait this long before the next attempt (from `Retry-After` or a platform hint). */
  retryAfterMs?: number;
}

/**
 * The HTTP layer's retries of a request that failed transiently: how many it made of the ones it may make, and why it
 * stopped — all used up, the platform asking to wait longer than a run waits, or a request it may not send twice.
 */
export interface RetriesSpent {
  used: number;
  max: number;
  stoppedBy: 'used_up' | 'wait_too_long' | 'not_idempotent';
}

/** Everything a person needs to act on a failed request — never a token, a password or a SNILS. */
export interface GatewayHttpErrorInit {
  platform: string;
  instance: string;
  /** The route template, e.g. `/webapi/student/diary` or `/v2/edu-groups/{g}/final-marks` (no ids). */
  route: string;
  method: string;
  /** HTTP status, or undefined for a network error / timeout. */
  status?: number;
  action: ErrorAction;
  failureType: FailureType;
  /** Redacted human message. */
  message: string;
  /** Platform error code or Node/axios error code (`ECONNRESET`, `ECONNABORTED`). */
  code?: string;
  retryAfterMs?: number;
  /** How many attempts were made (1 = no retry). */
  attempts: number;
  /**
   * For a transient failure (`retry`, `rate_limited`): the retries the HTTP layer made of the ones it may make. Said in
   * the message, so an operator reading it knows they are over and does not retry by hand what was just retried.
   */
  retries?: RetriesSpent;
  /** Redacted URL of the last attempt (query secrets removed). */
  url?: string;
}

/**
 * A failed platform request after the HTTP layer has done what it can (retries, one re-login).
 * The message is already redacted; `retryable` says whether a later retry (e.g. a job retry) may help.
 */
export class GatewayHttpError extends Error {
  readonly platform: string;
  readonly instance: string;
  readonly route: string;
  readonly method: string;
  readonly status?: number;
  readonly action: ErrorAction;
  readonly failureType: FailureType;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly attempts: number;
  readonly retries?: RetriesSpent;
  readonly url?: string;

  constructor(init: GatewayHttpErrorInit) {
    super(errorText(init));
    this.name = 'GatewayHttpError';
    this.platform = init.platform;
    this.instance = init.instance;
    this.route = init.route;
    this.method = init.method;
    this.status = init.status;
    this.action = init.action;
    this.failureType = init.failureType;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
    if (init.retries) this.retries = init.retries;
    this.url = init.url;
  }

  /** True when a later attempt can help (`failureType === 'transient'`). */
  get retryable(): boolean {
    return this.failureType === 'transient';
  }

  /** Safe for logs and job failure reasons. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name, message: this.message, platform: this.platform, instance: this.instance, route: this.route,
      method: this.method, status: this.status, action: this.action, failureType: this.failureType,
      retryable: this.retryable, code: this.code, retryAfterMs: this.retryAfterMs, attempts: this.attempts, retries: this.retries, url: this.url,
    };
  }
}

/**
 * The error's message. A transient failure reaches the caller only once the HTTP layer has stopped retrying it, so its
 * message says that — how many attempts and retries were spent — and what happens next, instead of the bare action
 * `retry`, which read as an instruction to retry what had just been retried. Only the route template, status, counts
 * and the already redacted platform text: no ids, names or tokens.
 */
function errorText(init: GatewayHttpErrorInit): string {
  const head = `${init.platform}/${init.instance} ${init.method} ${init.route}: ${init.status ?? 'network'}`;
  if (init.action !== 'retry' && init.action !== 'rate_limited') return `${head} ${init.action} (${init.failureType}) — ${init.message}`;
  const what = init.action === 'rate_limited' ? 'rate limited by the platform' : init.failureType === 'transient' ? 'transient failure' : 'failed';
  const r = init.retries;
  const attempts = `${init.attempts} attempt${init.attempts === 1 ? '' : 's'}`;
  const spent = !r ? `gave up after ${attempts}`
    : r.stoppedBy === 'used_up'
      ? `gave up after ${attempts}: ${r.max === 0 ? 'the instance allows no retries' : `all ${r.max} ${r.max === 1 ? 'retry' : 'retries'} of the HTTP layer used up`}`
      : r.stoppedBy === 'wait_too_long'
        ? `gave up after ${attempts} (${r.used} of ${r.max} retries used): the platform asked to wait${init.retryAfterMs !== undefined ? ` ${Math.ceil(init.retryAfterMs / 1000)} s` : ''}, longer than a run waits`
        : `gave up after ${attempts}: a ${init.method} is not retried (not idempotent: the platform may have carried it out)`;
  const later = 'next: nothing more is sent for it in this run; a later run sends it again (a scheduled job after its backoff, a CLI command run again later)';
  const next = init.action === 'rate_limited' ? `${later}; if it keeps happening, lower the instance's request rate`
    : init.failureType === 'transient' ? `${later}; if it keeps failing, check that ${init.platform}/${init.instance} is up and reachable from the gateway`
      : 'next: nothing more is sent for it in this run; the platform did not answer as expected (its text above): look into that before running again';
  return `${head} ${what} (${init.failureType}) — ${init.message}; ${spent}; ${next}`;
}

export function isGatewayHttpError(e: unknown): e is GatewayHttpError {
  return e instanceof GatewayHttpError;
}
