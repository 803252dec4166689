// A tiny router for emulators (no framework): method + path pattern with `:id` / `{id}` params,
// query, JSON / form / text bodies and cookies.
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultInjector } from './faults.js';

/** A parsed request as handlers see it. */
export interface EmuRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** Path parameters from the pattern. */
  params: Record<string, string>;
  /** Query, last value wins; all values in `searchParams`. */
  query: Record<string, string>;
  searchParams: URLSearchParams;
  /** Lower-case header names (node:http). */
  headers: IncomingHttpHeaders;
  cookies: Record<string, string>;
  /** JSON value (application/json), `Record<string,string>` (form), text (anything else), or undefined. */
  body: unknown;
  rawBody: Buffer;
  /** Name of the matched route. */
  route: string;
  /** Ask `faults.malformed()` per record to inject malformed records. */
  faults: FaultInjector;
}

export interface SetCookie {
  name: string;
  value: string;
  path?: string;
  maxAgeS?: number;
  httpOnly?: boolean;
}

/** What a handler returns. Exactly one of `json`, `text`, `body` (or none for an empty body). */
export interface EmuResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  json?: unknown;
  text?: string;
  body?: Buffer | string;
  cookies?: SetCookie[];
}

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

export interface EmuRoute {
  /** HTTP method or `*`. */
  method: string;
  /** `/webapi/student/diary/assigns/:id`, `/v2/edu-groups/{g}/final-marks`. */
  path: string;
  /** Name used in request counts; default `METHOD path`. */
  name?: string;
  handler: Handler;
  /** Exempt from injected 5xx/429 (e.g. a health route). */
  noFaults?: boolean;
}

/** Shorthand for a route. */
export function route(method: string, path: string, handler: Handler, opts: { name?: string; noFaults?: boolean } = {}): EmuRoute {
  return { method, path, handler, ...opts };
}

/** A JSON answer. */
export function json(data: unknown, status = 200, headers?: Record<string, string | string[]>): EmuResponse {
  return { status, json: data, headers };
}

/** A text answer (`text/plain` unless headers say otherwise; XML/HTML emulators set content-type). */
export function text(body: string, status = 200, contentType = 'text/plain; charset=utf-8'): EmuResponse {
  return { status, text: body, headers: { 'content-type': contentType } };
}

interface Compiled {
  route: EmuRoute;
  name: string;
  re: RegExp;
  keys: string[];
}

/** Compiles a path pattern into a regex with named parameters. */
export function compilePattern(pattern: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = pattern
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) => {
      const m = /^(?::(\w+)|\{(\w+)\})$/.exec(seg);
      if (m) {
        keys.push(m[1] ?? m[2]);
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { re: new RegExp(`^${src}/?$`), keys };
}

/** First-match router. */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly EmuRoute[]) {
    this.compiled = routes.map((r) => ({ route: r, name: r.name ?? `${r.method.toUpperCase()} ${r.path}`, ...compilePattern(r.path) }));
  }

  match(method: string, path: string): { route: EmuRoute; name: string; params: Record<string, string> } | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== '*' && c.route.method.toUpperCase() !== method.toUpperCase()) continue;
      const m = c.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { route: c.route, name: c.name, params };
    }
    return undefined;
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Parses a body by content type; malformed JSON comes back as text so the handler can answer 400. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const ct = (contentType ?? '').toLowerCase();
  const s = raw.toString('utf8');
  if (ct.includes('json')) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  if (ct.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(s));
  return s;
}

export function formatSetCookie(c: SetCookie): string {
  const parts = [`${c.name}=${c.value}`, `Path=${c.path ?? '/'}`];
  if (c.maxAgeS !== undefined) parts.push(`Max-Age=${c.maxAgeS}`);
  if (c.httpOnly !== false) parts.push('HttpOnly');
  return parts.join('; ');
}
