// Secret and personal-data redaction for everything the HTTP layer prints: error messages, URLs,
// logged objects (DECISIONS.md §4 "152-ФЗ", STYLE.md "never a token, a password, a SNILS or a
// pupil's name"). The only redaction code for connectors lives here.

/** What replaces a removed value. */
export const REDACTED = '[redacted]';

/** Header names whose values are always secrets (lower case). platforms.md §0 "Token" row. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization', 'proxy-authorization', 'at', 'auth-token', 'access-token', 'cookie', 'set-cookie', 'x-api-key',
]);

/**
 * Query parameters whose values are secrets or personal data (lower case): NetSchool `pw`/`pw2`,
 * ЭлЖур `auth_token`/`devkey`/`v_token`, OAuth `code`/`access_token`, and logins.
 */
export const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'password', 'pw', 'pw2', 'auth_token', 'devkey', 'access_token', 'token', 'v_token', 'code',
  'refresh_token', 'client_secret', 'login', 'username', 'connectiontoken',
]);

/**
 * Object keys whose values are removed by {@link redactObject} (compared lower case, `-`/`_` removed).
 * `code` is deliberately absent: platform error bodies (`{code, message}`) and attendance codes use it.
 */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'authorization', 'proxyauthorization', 'at', 'authtoken', 'accesstoken', 'cookie', 'setcookie', 'xapikey',
  'password', 'pw', 'pw2', 'devkey', 'token', 'vtoken', 'refreshtoken', 'clientsecret', 'secret', 'snils',
  'login', 'username',
]);

const normKey = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** SNILS-like: 11 digits, optionally grouped `123-456-789 01` / `123-456-789-01`, not part of a longer number. */
const SNILS_RE = /(?<![\d])\d{3}-?\d{3}-?\d{3}[- ]?\d{2}(?![\d])/g;
const BEARER_RE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const QUERY_NAMES = [...SECRET_QUERY_PARAMS].join('|');
/** `name=value` inside URLs, form bodies and free text. */
const KV_RE = new RegExp(`([?&;\\s"']|^)(${QUERY_NAMES})=([^&\\s"'#;]*)`, 'gi');
/** `"name": "value"` inside JSON text (a body echoed into a message). */
const JSON_KEYS = [...SECRET_QUERY_PARAMS, 'at', 'auth-token', 'access-token', 'authorization', 'cookie', 'snils', 'secret']
  .filter((k) => k !== 'code').join('|');
const JSON_KV_RE = new RegExp(`("(?:${JSON_KEYS})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|\\d+)`, 'gi');
/** `Header: value` lines (a raw request dump). */
const HEADER_LINE_RE = new RegExp(`(^|\\n)(${[...SECRET_HEADERS].join('|')})\\s*:\\s*[^\\n]*`, 'gi');

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes secrets and personal data from free text: `name=value` pairs of {@link SECRET_QUERY_PARAMS},
 * JSON `"password":"…"` pairs, `Bearer …`, secret header lines, SNILS-like numbers and every string in
 * `extra` (configured personal data: a pupil's name, a login, a live token). Strings shorter than 3
 * characters in `extra` are ignored so that redaction never shreds ordinary text.
 */
export function redactText(text: string, extra: Iterable<string> = []): string {
  let out = text;
  for (const s of extra) {
    if (typeof s !== 'string' || s.length < 3) continue;
    // A value also travels percent-encoded in URLs (a base64 token's `+/=`, a Cyrillic login).
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.replace(new RegExp(escapeRe(form), 'gi'), REDACTED);
  }
  return out
    .replace(HEADER_LINE_RE, (_m, lead: string, name: string) => `${lead}${name}: ${REDACTED}`)
    .replace(BEARER_RE, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JSON_KV_RE, (_m, key: string) => `${key}"${REDACTED}"`)
    .replace(KV_RE, (_m, lead: string, name: string) => `${lead}${name}=${REDACTED}`)
    .replace(SNILS_RE, REDACTED);
}

/**
 * Redacts a URL (absolute or relative): secret query parameters keep their name and lose their value,
 * user-info (`user:pass@`) is removed, and the path goes through {@link redactText} (SNILS, `extra`).
 */
export function redactUrl(url: string, extra: Iterable<string> = []): string {
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
  return redactText(withoutUserInfo, extra);
}

/**
 * Deep copy of `value` safe to log: values under secret keys (headers, passwords, tokens, SNILS)
 * become {@link REDACTED}, every string goes through {@link redactText}; cycles and depth > 8 are cut.
 */
export function redactObject<T>(value: T, extra: Iterable<string> = []): T {
  const list = [...extra];
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, list);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    if (depth > 8) return '[truncated]';
    seen.add(v);
    if (Buffer.isBuffer(v)) return `[${v.length} bytes]`;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v instanceof Date) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = SECRET_KEYS.has(normKey(k)) && x != null ? REDACTED : walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}

/** Headers object with secret header values replaced (names kept so a reader sees what was sent). */
export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}

/**
 * A set of live secrets and personal-data strings known to one client (the password it logged in with,
 * the token it got back) that {@link redactText} must also remove. Values are kept in memory only.
 */
export class Redactor {
  private readonly values = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const v of initial) this.add(v);
  }

  /** Adds a value to remove from everything this redactor prints (ignored if shorter than 3 characters). */
  add(value: string | undefined | null): void {
    if (value && value.length >= 3) this.values.add(value);
  }

  text(s: string): string {
    return redactText(s, this.values);
  }

  url(u: string): string {
    return redactUrl(u, this.values);
  }

  object<T>(o: T): T {
    return redactObject(o, this.values);
  }
}
