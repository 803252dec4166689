// The one HTTP client every connector uses (DECISIONS.md §2, §5; STYLE.md "the only retry,
// rate-limit and redaction code in the project"): axios with a timeout and a body cap, the instance's
// shared rate gate, the error taxonomy with retries that honour Retry-After, one re-login on an
// expired session, redacted errors and per-route metrics.
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse, type AxiosResponseHeaders, type InternalAxiosRequestConfig, type RawAxiosResponseHeaders } from 'axios';
import { attemptDeadline } from './attempt-deadline.js';
import { sessionEnded, sessionOpened } from './open-sessions.js';
import { backoffDelay, classifyOutcome, isIdempotent, type HttpOutcome } from './classify.js';
import { GatewayHttpError, type ErrorResolution, type RetriesSpent } from './errors.js';
import { notifyAttempt, notifyRateLimitWait } from './metrics-hook.js';
import { getInstanceGate, InstanceHeldError, sleep } from './rate-limiter.js';
import { Redactor } from './redact.js';
import { keepCredentialsOnHost } from './redirect-credentials.js';
import { HttpStats } from './stats.js';
import { decodeJsonBody } from './received-body.js';
import { decodeBody } from './response-charset.js';
import { sendUpgrade, type SentAttempt } from './websocket.js';
import type WebSocket from 'ws';
import { fillRoute, serializeQuery } from './route.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, QueryValue, RequestOptions, RetryOptions } from './types.js';

const DEFAULT_RETRY: Required<RetryOptions> = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

function plainHeaders(h: AxiosResponse['headers']): Record<string, string | string[] | undefined> {
  const src = (h instanceof AxiosHeaders ? h.toJSON() : h) as Record<string, unknown>;
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(src ?? {})) out[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : v == null ? undefined : String(v);
  return out;
}

/**
 * Creates a client for one platform instance.
 *
 * @example
 * ```ts
 * const http = createHttpClient({
 *   platform: 'eljur', instance: 'crimea', baseURL: 'https://api.eljur.ru',
 *   rateLimit: { requestsPerSecond: 3, concurrency: 2 }, timeoutMs: 20_000,
 *   retry: { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 10_000 }, classify: eljurClassify,
 * });
 * http.setAuth(new EljurAuth(http, credentials));
 * const res = await http.get<EljurEnvelope>('/api/getmarks', { query: { days: '20260901-20261031' } });
 * ```
 */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  const stats = new HttpStats();
  const redactor = new Redactor(opts.sensitive ?? []);
  const gate = getInstanceGate(opts.platform, opts.instance, opts.rateLimit, opts.limiter);
  const random = opts.random ?? Math.random;
  // job-context.ts binds a logger to the instance already: binding it again printed each key twice in every line.
  const log = opts.logger?.bindings().instance === opts.instance ? opts.logger : opts.logger?.child({ platform: opts.platform, instance: opts.instance });
  const ax: AxiosInstance = axios.create({
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs ?? 30_000,
    maxContentLength: opts.maxContentLength ?? 64 * 1024 * 1024,
    maxBodyLength: opts.maxContentLength ?? 64 * 1024 * 1024,
    validateStatus: () => true, // every status goes through the classifier
    beforeRedirect: keepCredentialsOnHost, // a redirect to another host gets no session header
    headers: { Accept: 'application/json, text/plain, */*', ...opts.headers },
  });
  let auth = opts.auth;
  let authGeneration = 0;
  /** The newest session generation some request got an answer with: a session that answered was not refused. */
  let answeredGeneration = -1;
  let refreshing: Promise<void> | undefined;
  /** Set by `logout()`: the run is over, no request may log in again (cleared by `open()`). */
  let closed = false;
  /** The first login of `open()` while it runs: `logout()` waits for it (its session may open after the call). */
  let loggingIn: Promise<void> | undefined;

  const refreshOnce = (): Promise<void> => {
    refreshing ??= (async () => {
      try {
        stats.recordAuthRefresh();
        await auth!.refresh();
        authGeneration++;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  async function buildConfig(req: HttpRequest, method: string, path: string): Promise<InternalAxiosRequestConfig> {
    const headers = AxiosHeaders.from({ ...req.headers });
    const expected = req.responseType ?? 'json';
    let data: unknown;
    if (req.json !== undefined) {
      data = JSON.stringify(req.json);
      headers.set('Content-Type', 'application/json', false);
    } else if (req.form) {
      data = serializeQuery(req.form);
      headers.set('Content-Type', 'application/x-www-form-urlencoded', false);
    } else if (req.body !== undefined) data = req.body;
    const cookie = opts.cookieJar?.header();
    if (cookie) headers.set('Cookie', cookie, false);
    let cfg: InternalAxiosRequestConfig = {
      url: path, method, headers, data, params: { ...req.query },
      paramsSerializer: { serialize: (p) => serializeQuery(p as Record<string, QueryValue>) },
      // Text and JSON arrive as bytes and are decoded here in the charset the answer names (response-charset.ts);
      // JSON is parsed here too, so the received text is hashed once for provenance (received-body.ts).
      ...(expected === 'arraybuffer' ? { responseType: 'arraybuffer' as const } : {
        responseType: 'arraybuffer' as const,
        transformResponse: (body: unknown, h?: AxiosResponseHeaders | Partial<RawAxiosResponseHeaders>) => {
          const text = decodeBody(body, h?.['content-type']);
          return expected === 'json' ? decodeJsonBody(text) : text;
        },
      }),
      timeout: req.timeoutMs ?? opts.timeoutMs ?? 30_000,
      maxRedirects: req.maxRedirects ?? 5,
      signal: req.signal,
    };
    if (auth && !req.skipAuth) cfg = await auth.apply(cfg);
    return cfg;
  }

  function urlOf(cfg: InternalAxiosRequestConfig | undefined, path: string, query?: Record<string, QueryValue>): string {
    const q = serializeQuery((cfg?.params as Record<string, QueryValue>) ?? query);
    return redactor.url(`${opts.baseURL.replace(/\/$/, '')}${cfg?.url ?? path}${q ? `?${q}` : ''}`);
  }

  function toError(
    req: HttpRequest, method: string, r: ErrorResolution, status: number | undefined, attempts: number, url: string, action = r.action, extra = '',
    retries?: RetriesSpent,
  ): GatewayHttpError {
    const text = [r.code ? `[${r.code}]` : '', r.message ?? '', extra].filter(Boolean).join(' ');
    return new GatewayHttpError({
      platform: opts.platform, instance: opts.instance, route: req.route, method, status,
      action: action === 'ok' ? 'fail' : action, failureType: r.failureType, message: redactor.text(text || 'request failed'),
      code: r.code, retryAfterMs: r.retryAfterMs, attempts, url, ...(retries ? { retries } : {}),
    });
  }

  /** One attempt over HTTP (axios). */
  const overHttp = (cfg: InternalAxiosRequestConfig): Promise<SentAttempt> => ax.request(cfg) as Promise<SentAttempt>;

  const request = <T>(req: HttpRequest): Promise<HttpResponse<T>> => requestVia<T>(req, overHttp);

  /** One logical request whose attempts `send` makes: retries, re-login, the rate gate and redaction for all. */
  async function requestVia<T>(req: HttpRequest, send: (cfg: InternalAxiosRequestConfig) => Promise<SentAttempt>): Promise<HttpResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = fillRoute(req.route, req.pathParams);
    const startedAt = Date.now();
    let attempts = 0;
    let retries = 0;
    let relogins = 0;
    // A request never goes out without credentials: a re-login under way is waited for first — outside the rate gate,
    // whose permits the login's own requests need — and again if one began while this request waited for its permit.
    // Sent during a re-login (ЭПОС and АСУ РСО drop the old session first), it was a certain 401 that spent a permit
    // and counted as this request's re-login, so a server that ends sessions often failed the run as a config error.
    const awaitingLogin = () => auth !== undefined && !req.skipAuth && refreshing !== undefined;
    for (;;) {
      if (awaitingLogin()) {
        await refreshing!.catch(() => undefined);
        continue;
      }
      attempts++;
      let cfg: InternalAxiosRequestConfig | undefined;
      let res: SentAttempt | undefined;
      let outcome: HttpOutcome;
      // The session the request is sent with: taken when its credentials are applied, after any wait for a permit.
      let generationAtSend = authGeneration;
      let turnCame = false;
      try {
        res = await gate.run(async (): Promise<SentAttempt | undefined> => {
          turnCame = true;
          if (awaitingLogin()) return undefined; // not sent: the loop waits for the login
          generationAtSend = authGeneration;
          cfg = await buildConfig(req, method, path);
          const t0 = Date.now();
          const deadline = cfg.timeout ? attemptDeadline(cfg, cfg.timeout) : undefined;
          try {
            const r = await send(deadline?.cfg ?? cfg!);
            const ms = Date.now() - t0;
            stats.recordAttempt(method, req.route, r.status, ms);
            notifyAttempt({ platform: opts.platform, instance: opts.instance, method, route: req.route, status: r.status, durationMs: ms });
            return r;
          } catch (e) {
            const ms = Date.now() - t0;
            stats.recordAttempt(method, req.route, 'network', ms);
            notifyAttempt({ platform: opts.platform, instance: opts.instance, method, route: req.route, status: 'network', durationMs: ms });
            // The deadline's abort is a time-out like axios's own (transient), not the caller's cancel.
            if (deadline?.expired()) throw Object.assign(new Error(`timeout of ${cfg!.timeout}ms exceeded before the whole answer was in`), { code: 'ECONNABORTED' });
            throw e;
          } finally {
            deadline?.clear();
          }
        }, (ms) => {
          stats.recordWait(ms);
          notifyRateLimitWait(opts.platform, opts.instance, ms);
        }, retry.maxRetryAfterMs);
        if (res === undefined) {
          attempts--;
          continue;
        }
        const headers = plainHeaders(res.headers as AxiosResponse['headers']);
        opts.cookieJar?.setFromHeader(headers['set-cookie']);
        for (const v of opts.cookieJar?.values() ?? []) redactor.add(v);
        outcome = { kind: 'response', status: res.status, headers, data: res.data, method, route: req.route, expected: req.responseType ?? 'json' };
      } catch (e) {
        if (e instanceof GatewayHttpError) throw e;
        // Held longer than a run waits (a platform's Retry-After, here or in another worker): not sent, said as the
        // answer that set the hold was.
        if (e instanceof InstanceHeldError) {
          attempts--;
          throw toError(req, method, { action: 'rate_limited', failureType: 'transient', message: e.message, retryAfterMs: e.remainingMs }, undefined, attempts, urlOf(cfg, path, req.query), 'rate_limited', '',
            { used: retries, max: retry.maxRetries, stoppedBy: 'wait_too_long' });
        }
        // The rate gate itself failed (the workers' Redis gone, rate-limiter.ts): nothing was sent, the platform is not
        // at fault, and retrying here would only wait again. Said as it is, not as a network failure of the platform.
        if (!turnCame) throw e;
        const err = e as { code?: string; message?: string };
        const url = urlOf(cfg, path, req.query);
        if (axios.isCancel(e) || err.code === 'ERR_CANCELED') {
          throw toError(req, method, { action: 'fail', failureType: 'system', code: 'ERR_CANCELED', message: 'request aborted' }, undefined, attempts, url);
        }
        outcome = { kind: 'network', code: err.code, message: String(err.message ?? e), method, route: req.route };
      }
      const url = urlOf(cfg, path, req.query);
      const r = classifyOutcome(outcome, opts.classify);
      const status = outcome.kind === 'response' ? outcome.status : undefined;
      log?.debug({ method, route: req.route, status: status ?? outcome.kind, action: r.action, attempt: attempts }, 'http');

      if (r.action === 'ok') {
        if (generationAtSend > answeredGeneration) answeredGeneration = generationAtSend;
        return { status: res!.status, headers: (outcome as { headers: HttpResponse['headers'] }).headers, data: (res!.socket ?? res!.data) as T, route: req.route, url, attempts, durationMs: Date.now() - startedAt };
      }
      if (r.action === 'refresh_auth') {
        if (!auth || req.skipAuth) throw toError(req, method, r, status, attempts, url, auth ? 'fail' : 'refresh_auth');
        if (closed) throw toError(req, method, { action: 'fail', failureType: 'system', message: 'the session expired after the run ended it; not logging in again' }, status, attempts, url);
        // Refused again after a re-login: the account is refused (config) when the new session never answered anyone.
        // A session that served other requests and then ended (a server that ends sessions often) is logged into
        // again, up to three times for one request.
        if (relogins > 0 && (answeredGeneration < generationAtSend || relogins >= 3)) {
          throw toError(req, method, { ...r, failureType: 'config' }, status, attempts, url, 'fail', `(still unauthorised after ${relogins === 1 ? 'a re-login' : `${relogins} re-logins`})`);
        }
        relogins++;
        // Another request may already have refreshed the session after this one was sent.
        if (generationAtSend === authGeneration) {
          log?.info({ route: req.route }, 'session expired: re-login');
          try {
            await refreshOnce();
          } catch (e) {
            if (e instanceof GatewayHttpError) throw e;
            throw toError(req, method, { action: 'fail', failureType: 'config', message: `re-login failed: ${(e as Error).message}` }, status, attempts, url);
          }
        }
        continue;
      }
      if (r.action === 'rate_limited') {
        const wait = r.retryAfterMs ?? backoffDelay(retries, retry.baseDelayMs, retry.maxDelayMs, random);
        if (retries >= retry.maxRetries || wait > retry.maxRetryAfterMs) {
          const stoppedBy = retries >= retry.maxRetries ? 'used_up' : 'wait_too_long';
          // The platform's wait holds the whole instance even when this request stops here: its other requests (other
          // schools' jobs, other workers) would only be refused too.
          if (r.retryAfterMs !== undefined) gate.holdFor(wait);
          throw toError(req, method, { ...r, retryAfterMs: wait }, status, attempts, url, r.action, '', { used: retries, max: retry.maxRetries, stoppedBy });
        }
        retries++;
        stats.recordRetry();
        log?.warn({ route: req.route, waitMs: wait }, 'rate limited: holding the instance');
        gate.holdFor(wait); // every request of this instance waits, not only this one
        continue;
      }
      if (r.action === 'retry') {
        const allowed = isIdempotent(method) || req.retrySafe === true;
        const wait = r.retryAfterMs ?? backoffDelay(retries, retry.baseDelayMs, retry.maxDelayMs, random);
        if (!allowed || retries >= retry.maxRetries || wait > retry.maxRetryAfterMs) {
          const stoppedBy = !allowed ? 'not_idempotent' : retries >= retry.maxRetries ? 'used_up' : 'wait_too_long';
          if (r.retryAfterMs !== undefined) gate.holdFor(wait); // a maintenance window the platform named holds the instance
          throw toError(req, method, r, status, attempts, url, 'retry', '', { used: retries, max: retry.maxRetries, stoppedBy });
        }
        retries++;
        stats.recordRetry();
        log?.warn({ route: req.route, status: status ?? outcome.kind, waitMs: wait, retry: retries }, 'transient failure: retrying');
        if (r.retryAfterMs !== undefined) gate.holdFor(wait);
        else await sleep(wait);
        continue;
      }
      throw toError(req, method, r, status, attempts, url);
    }
  }

  return {
    platform: opts.platform,
    instance: opts.instance,
    baseURL: opts.baseURL,
    stats,
    redactor,
    gate,
    request,
    get: (route, o) => request({ ...o, route, method: 'GET' }),
    post: (route, o) => request({ ...o, route, method: 'POST' }),
    put: (route, o) => request({ ...o, route, method: 'PUT' }),
    delete: (route, o) => request({ ...o, route, method: 'DELETE' }),
    // Opening a hub connection twice opens two connections and nothing else: safe to retry.
    async openWebSocket(route, o = {}) {
      const res = await requestVia<WebSocket | unknown>({ route, method: 'GET', query: o.query, headers: o.headers, pathParams: o.pathParams, timeoutMs: o.timeoutMs, retrySafe: true, responseType: 'text' },
        (cfg) => sendUpgrade(opts.baseURL, cfg, o));
      // A 2xx/3xx answer (a login page, a redirect) passes the classifier but is no websocket.
      if (res.status !== 101) {
        throw new GatewayHttpError({
          platform: opts.platform, instance: opts.instance, route, method: 'GET', status: res.status, action: 'fail', failureType: 'system',
          message: `the server answered HTTP ${res.status} instead of opening a websocket`, attempts: res.attempts, url: res.url,
        });
      }
      return res as HttpResponse<WebSocket>;
    },
    setAuth(hook) {
      auth = hook;
    },
    async open(login) {
      closed = false;
      // Tracked from before the login: a login interrupted half-way may have opened a session already.
      sessionOpened(logout);
      const pending = login();
      loggingIn = pending;
      try {
        await pending;
      } finally {
        if (loggingIn === pending) loggingIn = undefined;
      }
    },
    logout,
  };

  async function logout(): Promise<void> {
    closed = true;
    sessionEnded(logout);
    try {
      // A login still in flight (Ctrl-C while the platform answers it) opens its session when it is answered: wait for
      // it and end that session too. Before, the auth had no session yet, logged nothing out, and the process exited
      // with a live session on the platform — the "second session" that parks the next run and disturbs teachers.
      await loggingIn?.catch(() => undefined);
      await refreshing?.catch(() => undefined);
      await auth?.logout?.();
    } catch (e) {
      log?.warn({ err: redactor.text((e as Error).message ?? String(e)) }, 'logout failed');
    }
  }
}
