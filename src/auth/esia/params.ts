// The parts of an ESIA request that are plain data (esia.md §2.1–§2.2, §3): the timestamp format, the
// UUID state and the string the client signs. Kept apart from the signer because most real-world
// failures are a wrong order, a wrong scope string or a wrong hash (esia.md §5.2, §7).
import { randomUUID } from 'node:crypto';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * `yyyy.MM.dd HH:mm:ss ±HHMM` (esia.md §2.1), e.g. `2025.09.02 13:00:29 +0300`. The wall clock is shown
 * in the zone `offsetMinutes` east of UTC (default: UTC, `+0000`, which ESIA accepts).
 */
export function esiaTimestamp(at: Date = new Date(), offsetMinutes = 0): string {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${p(shifted.getUTCFullYear(), 4)}.${p(shifted.getUTCMonth() + 1)}.${p(shifted.getUTCDate())} `
    + `${p(shifted.getUTCHours())}:${p(shifted.getUTCMinutes())}:${p(shifted.getUTCSeconds())} `
    + `${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`;
}

/** Parses an ESIA timestamp back to an instant; null when the text does not have the documented form. */
export function parseEsiaTimestamp(text: string): Date | null {
  const m = /^(\d{4})\.(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const offset = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A fresh state: ESIA wants a UUID (esia.md §2.1); openid-client's randomState() is not one. */
export function esiaState(): string {
  return randomUUID();
}

export function isUuidState(value: string): boolean {
  return UUID_RE.test(value);
}

export interface SignedStringParts {
  clientId: string;
  scope: string;
  scopeOrg: string;
  timestamp: string;
  state: string;
  redirectUri: string;
  /** Only in the token exchange (v3/te); absent for v2/ac and for refresh. */
  code?: string;
}

/**
 * New scheme (esia.md §2.2): client_id + scope + scope_org + timestamp + state + redirect_uri [+ code],
 * no separators. `scope` is the exact space-joined string sent in the request.
 */
export function esiaSignedString(p: SignedStringParts): string {
  return `${p.clientId}${p.scope}${p.scopeOrg}${p.timestamp}${p.state}${p.redirectUri}${p.code ?? ''}`;
}

/** base64url without padding (ilimurzin); ESIA is tolerant of padding (esia.md §2.2 step 4). */
export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
