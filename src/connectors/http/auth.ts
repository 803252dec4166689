// How a platform's credentials ride on requests (DECISIONS.md §5): NetSchool header `at`, ЭПОС
// `auth-token` + `profile-id` headers and `pid` query, Дневник.ру `Access-Token`, ЭлЖур query
// `auth_token`/`devkey`/`vendor` (platforms.md §0). The HTTP client calls `apply` before every attempt
// and `refresh` once when a response classifies as `refresh_auth`.
import type { InternalAxiosRequestConfig } from 'axios';

/** The request config an AuthHook may change: headers, `params` (query) and the like. */
export type AuthRequestConfig = InternalAxiosRequestConfig;

/**
 * A platform's authentication, plugged into `createHttpClient({ auth })` or `client.setAuth()`.
 * Login requests made by the hook itself should pass `skipAuth: true` to the client.
 */
export interface AuthHook {
  /** Adds credentials to one request (called before every attempt, so a refreshed token is used). */
  apply(config: AuthRequestConfig): AuthRequestConfig | Promise<AuthRequestConfig>;
  /** Logs in again / refreshes the token. The client calls it at most once per request and never
   * concurrently: parallel requests that hit an expired session share one refresh. */
  refresh(): Promise<void>;
  /** Ends the session (NetSchool `auth/logout`, ЭПОС `DELETE lms/api/sessions`). Optional. */
  logout?(): Promise<void>;
}

/** One stored cookie (the attributes a client needs; domain/path matching is not done — one jar per host). */
export interface StoredCookie {
  name: string;
  value: string;
  /** Epoch ms, from `Expires` or `Max-Age`; undefined = session cookie. */
  expiresAt?: number;
}

/**
 * A tiny cookie jar for platforms with session cookies (ЭПОС `lms/api/sessions`, NetSchool's
 * `ESRNSec`). One jar per host and login. Pass it as `createHttpClient({ cookieJar })` and the client
 * sends `Cookie` and stores `Set-Cookie` on every response.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Stores cookies from a `Set-Cookie` header (string or array). A past expiry deletes the cookie. */
  setFromHeader(header: string | string[] | undefined, now: number = Date.now()): void {
    if (!header) return;
    for (const line of Array.isArray(header) ? header : [header]) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expiresAt: number | undefined;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(k) && /^-?\d+$/.test(v)) expiresAt = now + Number(v) * 1000;
        else if (/^expires$/i.test(k) && expiresAt === undefined && !Number.isNaN(Date.parse(v))) expiresAt = Date.parse(v);
      }
      if (expiresAt !== undefined && expiresAt <= now) this.cookies.delete(name);
      else this.cookies.set(name, { name, value, expiresAt });
    }
  }

  /** Sets one cookie by hand (e.g. an imported session). */
  set(name: string, value: string, expiresAt?: number): void {
    this.cookies.set(name, { name, value, expiresAt });
  }

  get(name: string, now: number = Date.now()): string | undefined {
    const c = this.cookies.get(name);
    return c && (c.expiresAt === undefined || c.expiresAt > now) ? c.value : undefined;
  }

  /** The `Cookie` header value, or undefined when the jar is empty. */
  header(now: number = Date.now()): string | undefined {
    const live = [...this.cookies.values()].filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    return live.length ? live.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** Cookie values (for the redactor: they are secrets). */
  values(): string[] {
    return [...this.cookies.values()].map((c) => c.value);
  }

  clear(): void {
    this.cookies.clear();
  }
}
