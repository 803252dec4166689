// Maps every response or exception to an {action, failureType} (engineering.md §1.3). Platforms add
// their quirks through a `classify` hook that runs first: ЭлЖур answers 200 with
// `{response:{state:401,error}}` (platforms.md §4.2), NetSchool 409 with a Russian `message` (§1.2),
// Дневник.ру `{type, description}` (§3.5). What the hook leaves undecided falls to the default table.
import type { ErrorResolution } from './errors.js';

/** A response as the classifier sees it (body already decoded per `responseType`). */
export interface ResponseOutcome {
  kind: 'response';
  status: number;
  /** Header names are lower case. */
  headers: Record<string, string | string[] | undefined>;
  data: unknown;
  method: string;
  route: string;
  /** What the request asked for (`responseType`); a JSON request's body that did not parse stays a string. */
  expected?: 'json' | 'text' | 'arraybuffer';
}

/** An exception before any response: timeout, connection reset, DNS failure, body too large. */
export interface NetworkOutcome {
  kind: 'network';
  /** Node/axios code: `ECONNRESET`, `ECONNABORTED` (timeout), `ENOTFOUND`, `ERR_BAD_RESPONSE`, … */
  code?: string;
  message: string;
  method: string;
  route: string;
}

export type HttpOutcome = ResponseOutcome | NetworkOutcome;

/**
 * A platform's classifier. Return a resolution to decide, or `undefined` to fall back to
 * {@link defaultClassify}. It must be pure (no I/O) — it runs on every response, successes included.
 *
 * @example ЭлЖур: a 200 with `state: 401` is an expired token
 * ```ts
 * const classify: Classifier = (o) => {
 *   if (o.kind !== 'response') return undefined;
 *   const r = (o.data as { response?: { state?: number; error?: string | null } })?.response;
 *   if (r?.state === 401) return { action: 'refresh_auth', failureType: 'config', message: r.error ?? '', code: '401' };
 *   return undefined;
 * };
 * ```
 */
export type Classifier = (outcome: HttpOutcome) => ErrorResolution | undefined;

/** Network error codes that a later attempt can cure. */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENETDOWN', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET', 'ERR_NETWORK', 'ETIMEDOUT',
]);
/** Network error codes that mean the configuration is wrong (host name, TLS). */
const CONFIG_NETWORK = new Set([
  'ENOTFOUND', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The default table (Airbyte `default_error_mapping`, adapted):
 * 2xx/3xx → ok; 401 → refresh_auth/config; 403 → fail/config; 408 → retry/transient;
 * 429 → rate_limited/transient; 5xx → retry/transient; other 4xx → fail/system;
 * transient network errors and timeouts → retry/transient; DNS/TLS errors → fail/config;
 * body too large (`ERR_BAD_RESPONSE` / maxContentLength) → fail/system; anything else → retry/system.
 */
export function defaultClassify(o: HttpOutcome): ErrorResolution {
  if (o.kind === 'network') {
    const code = o.code ?? '';
    if (/maxContentLength|maxBodyLength/i.test(o.message)) return { action: 'fail', failureType: 'system', code, message: o.message };
    if (TRANSIENT_NETWORK.has(code)) return { action: 'retry', failureType: 'transient', code, message: o.message };
    if (CONFIG_NETWORK.has(code)) return { action: 'fail', failureType: 'config', code, message: o.message };
    return { action: 'retry', failureType: 'system', code: code || undefined, message: o.message };
  }
  const s = o.status;
  const retryAfterMs = parseRetryAfter(o.headers['retry-after']);
  const broken = s < 400 ? notJson(o) : undefined;
  if (broken) return { action: 'retry', failureType: 'transient', message: `the platform answered ${s} with ${broken} where JSON was asked for` };
  if (s < 400) return { action: 'ok', failureType: 'system' };
  if (s === 401) return { action: 'refresh_auth', failureType: 'config', message: 'unauthorized' };
  if (s === 403) return { action: 'fail', failureType: 'config', message: 'forbidden' };
  if (s === 408) return { action: 'retry', failureType: 'transient', message: 'request timeout', retryAfterMs };
  if (s === 429) return { action: 'rate_limited', failureType: 'transient', message: 'too many requests', retryAfterMs };
  if (s >= 500) return { action: 'retry', failureType: 'transient', message: `server error ${s}`, retryAfterMs };
  return { action: 'fail', failureType: 'system', message: `unexpected status ${s}` };
}

/**
 * What a successful answer to a JSON request is, when it is not JSON a mapper can read: a cut-off JSON body (however
 * labelled), an HTML page (a proxy's or a maintenance page served with 200), or an empty answer to a read. Handed on, it became one quarantined page — a class's
 * marks missing while the nightly cursors moved past them — or a write reported done with no platform id. A text
 * answer of another kind (ЭлЖур's XML, asked for in the same request) is left to the connector.
 */
export function notJson(o: ResponseOutcome): string | undefined {
  if ((o.expected ?? 'json') !== 'json' || typeof o.data !== 'string') return undefined;
  // An empty 200 to a read (an upstream connection dropped behind a proxy) is no answer: a read asked for data. An
  // empty answer to a write or a delete is the platform's "done".
  if (o.data === '') return o.method.toUpperCase() === 'GET' && o.status === 200 ? 'an empty body' : undefined;
  const type = String(o.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('json')) return 'a body that is not valid JSON (cut off?)';
  if (isHtmlPage(o)) return 'an HTML page';
  // JSON by its first character whatever the label says: a text/plain or unlabelled answer cut off mid-way.
  if (/^\s*[[{]/.test(o.data)) return 'a body that is not valid JSON (cut off?)';
  return undefined;
}

/** An HTML page (a proxy's, a maintenance page), by its content type or its first tag. */
export function isHtmlPage(o: ResponseOutcome): boolean {
  if (typeof o.data !== 'string') return false;
  return String(o.headers['content-type'] ?? '').toLowerCase().includes('text/html') || /^\s*<(!doctype html|html[\s>])/i.test(o.data.slice(0, 200));
}

/**
 * Runs the platform hook, then the default table. A hook result wins when defined.
 */
export function classifyOutcome(o: HttpOutcome, hook?: Classifier): ErrorResolution {
  const fromHook = hook?.(o);
  if (fromHook) {
    // A hook that says "rate limited" without a wait still gets the server's Retry-After.
    if (fromHook.retryAfterMs === undefined && o.kind === 'response') {
      const ra = parseRetryAfter(o.headers['retry-after']);
      if (ra !== undefined) return { ...fromHook, retryAfterMs: ra };
    }
    return fromHook;
  }
  return defaultClassify(o);
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delta-seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`). Returns milliseconds from `now` (never negative), or
 * `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/**
 * Exponential backoff with full jitter: a random delay in [base·2^attempt / 2, base·2^attempt],
 * capped at `maxDelayMs`. `attempt` is 0 for the first retry. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** RFC 9110 §9.2.2 idempotent methods: the only ones retried after a 5xx or network error by default. */
export function isIdempotent(method: string): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'].includes(method.toUpperCase());
}
