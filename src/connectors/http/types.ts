// The HTTP layer's contract: what a connector asks for (a request), what it gets back and the client's options.
// The behaviour behind it (retries, rate gate, re-login, redaction) is client.ts's.
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { AuthHook, CookieJar } from './auth.js';
import type { Classifier } from './classify.js';
import type { InstanceGate, RateLimiter, RateLimitOptions } from './rate-limiter.js';
import type { Redactor } from './redact.js';
import type { HttpStats } from './stats.js';
import type { WebSocketOptions } from './websocket.js';

/** Retry policy of a client. */
export interface RetryOptions {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry (full jitter). */
  baseDelayMs: number;
  /** Backoff cap. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited out here: the error goes up (action `rate_limited`)
   * with `retryAfterMs` so the job layer can park the job. Default 120 000. */
  maxRetryAfterMs?: number;
}

export interface HttpClientOptions {
  /** Platform id: `asurso` | `epos` | `dnevnik` | `eljur` | … (the registry key). */
  platform: string;
  /** Platform instance (a regional host, e.g. `samara`); the rate budget is per (platform, instance). */
  instance: string;
  /** Origin (plus optional prefix) the route templates are appended to, e.g. `https://asurso.ru`. */
  baseURL: string;
  /** Budget of the instance, shared by every client of the same (platform, instance) in this process. */
  rateLimit: RateLimitOptions;
  /** Per-attempt timeout. Default 30 000. */
  timeoutMs?: number;
  /** Largest accepted response body in bytes. Default 64 MiB. */
  maxContentLength?: number;
  retry?: Partial<RetryOptions>;
  /** Platform quirks: error envelopes in 200 answers, Russian 409 messages… Runs before the default table. */
  classify?: Classifier;
  /** Credentials; may also be set later with `setAuth` (a login hook usually needs the client itself). */
  auth?: AuthHook;
  /** Session cookies: sent on every request, `Set-Cookie` stored from every response. */
  cookieJar?: CookieJar;
  /** Headers sent with every request (e.g. `User-Agent`). */
  headers?: Record<string, string>;
  logger?: Logger;
  /** Use this limiter instead of the registry's factory (only if this client creates the instance gate). */
  limiter?: RateLimiter;
  /** Extra strings to remove from errors and logs (the password, a login). More via `client.redactor.add`. */
  sensitive?: string[];
  /** Jitter source (tests). */
  random?: () => number;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** One logical request (retries and the re-login happen inside). */
export interface HttpRequest {
  method?: HttpMethod;
  /**
   * Route template as platforms.md writes it, with `{name}` or `:name` placeholders filled from
   * `pathParams`: `/webapi/student/diary`, `/v2/edu-groups/{g}/final-marks`. It labels metrics and
   * errors, so ids never go into the template itself.
   */
  route: string;
  pathParams?: Record<string, string | number>;
  /** Query; `undefined`/`null` are dropped, arrays repeat the key (`a=1&a=2`). */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** JSON body. */
  json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  form?: Record<string, string | number | boolean | null | undefined>;
  /** Raw body (string or bytes) with the caller's `Content-Type`. */
  body?: string | Buffer;
  /** `json` (default; unparsable text comes back as a string), `text` (XML, HTML), `arraybuffer` (windows-1251). */
  responseType?: 'json' | 'text' | 'arraybuffer';
  /** Allow retries after 5xx/network errors for a non-idempotent method (the platform dedupes it). */
  retrySafe?: boolean;
  /** Do not call `auth.apply`/`refresh` (the login requests of an AuthHook). */
  skipAuth?: boolean;
  timeoutMs?: number;
  /** 0 to see a 302 of a login flow yourself. Default 5. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

/** A successful (`ok`) answer. */
export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-case names; `set-cookie` is an array. */
  headers: Record<string, string | string[] | undefined>;
  data: T;
  route: string;
  /** Redacted URL of the last attempt. */
  url: string;
  /** Attempts made, including retries and the one after a re-login. */
  attempts: number;
  durationMs: number;
}

export type RequestOptions = Omit<HttpRequest, 'route' | 'method'>;

/** A platform instance's client. Create with {@link createHttpClient}. */
export interface HttpClient {
  readonly platform: string;
  readonly instance: string;
  readonly baseURL: string;
  readonly stats: HttpStats;
  readonly redactor: Redactor;
  readonly gate: InstanceGate;
  /** Throws {@link GatewayHttpError} when the answer is not `ok` after retries. */
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
  get<T = unknown>(route: string, opts?: RequestOptions): Promise<HttpResponse<T>>;
  post<T = unknown>(route: string, opts?: RequestOptions): Promise<HttpResponse<T>>;
  put<T = unknown>(route: string, opts?: RequestOptions): Promise<HttpResponse<T>>;
  delete<T = unknown>(route: string, opts?: RequestOptions): Promise<HttpResponse<T>>;
  /**
   * Opens a WebSocket at `route` (websocket.ts): the upgrade is a GET with this instance's rate permit, credentials
   * and cookies, classified, retried and re-logged-in like any request; resolves with the open socket.
   */
  openWebSocket(route: string, opts?: Pick<RequestOptions, 'query' | 'headers' | 'pathParams' | 'timeoutMs'> & WebSocketOptions): Promise<HttpResponse<WebSocket>>;
  setAuth(hook: AuthHook | undefined): void;
  /**
   * Starts a run's session: `login` signs in, and from then on an expired session is logged into again — until
   * {@link logout}. Connectors' `open()` goes through here so a reopened connector may log in again.
   */
  open(login: () => Promise<void>): Promise<void>;
  /**
   * Ends the run's session: waits for a re-login under way (so the session it opens is the one ended), calls
   * `auth.logout()` if there is one, and refuses any later re-login — a request still in flight from a failed run
   * that is answered 401 fails instead of opening a session nobody would end. Never throws (a failed logout is
   * logged): safe in `finally`.
   */
  logout(): Promise<void>;
}
