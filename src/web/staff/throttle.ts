// Lockout after repeated failed staff logins: a login is locked for a while after a few consecutive failures,
// and so is an address that fails across many logins (password spraying). The lock applies whether the login
// exists or not, so it reveals nothing; a success clears the login's count.
import { isIP } from 'node:net';

export interface ThrottleLimits {
  /** Consecutive failures of one login before it is locked. */
  perLogin: number;
  /** Failures from one address (any logins) within the window before it is locked. */
  perAddress: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { perLogin: 5, perAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

interface Counter { failures: number; firstAt: number; lockedUntil: number }

/** Entries kept per map at most: a flood of made-up logins cannot grow memory without bound. */
const MAX_ENTRIES = 10_000;

export class LoginThrottle {
  private readonly logins = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {}

  /** Milliseconds until the login or the address may try again; 0 when neither is locked. */
  lockedFor(login: string, address: string): number {
    const t = this.now();
    const until = Math.max(this.logins.get(key(login))?.lockedUntil ?? 0, this.addresses.get(addressKey(address))?.lockedUntil ?? 0);
    return Math.max(0, until - t);
  }

  /**
   * Counts an attempt as failed *before* the password is checked, in the same tick as {@link lockedFor}: the check
   * takes a slow scrypt, and counting only after it would let a burst of simultaneous guesses all pass the lock
   * check before any of them was counted. Returns the wait in ms when the login or address is locked (nothing is
   * counted then); {@link succeeded} takes a right password's count back.
   */
  attempt(login: string, address: string): number {
    const wait = this.lockedFor(login, address);
    if (wait > 0) return wait;
    this.failed(login, address);
    return 0;
  }

  failed(login: string, address: string): void {
    this.count(this.logins, key(login), this.limits.perLogin);
    this.count(this.addresses, addressKey(address), this.limits.perAddress);
  }

  /** A right password: the login's count and lock go; the attempt no longer counts against the address. */
  succeeded(login: string, address?: string): void {
    this.logins.delete(key(login));
    const a = address === undefined ? undefined : this.addresses.get(addressKey(address));
    if (a && a.failures > 0) a.failures -= 1;
  }

  private count(map: Map<string, Counter>, k: string, limit: number): void {
    const t = this.now();
    let c = map.get(k);
    if (!c || (t - c.firstAt > this.limits.windowMs && c.lockedUntil <= t)) c = { failures: 0, firstAt: t, lockedUntil: 0 };
    c.failures += 1;
    if (c.failures >= limit) {
      c.lockedUntil = t + this.limits.lockMs;
      c.failures = 0;
      c.firstAt = t;
    }
    map.delete(k);
    map.set(k, c);
    if (map.size > MAX_ENTRIES) evictOldest(map, t);
  }
}

const key = (login: string) => login.trim().toLowerCase();

/**
 * What the address lock counts: an IPv4 address as it is, an IPv6 one by its /64 — a provider hands a customer (a home
 * router, a VPS) the whole /64, so its holder could take a fresh address inside it per attempt and never be locked.
 */
export function addressKey(address: string): string {
  const ip = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not another client
  if (isIP(ip) !== 6) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  // Eight groups with `::` expanded; an embedded IPv4 tail is the last two groups, never inside the /64.
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head, tail] = ip.split('::');
  const h = groups(head);
  const full = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/**
 * Drops the oldest entry that holds no live lock: a flood of made-up logins must not push a locked login out of
 * the map (and so unlock it). Only when every entry is locked does the oldest go.
 */
function evictOldest(map: Map<string, Counter>, now: number): void {
  for (const [k, c] of map) {
    if (c.lockedUntil <= now) {
      map.delete(k);
      return;
    }
  }
  map.delete(map.keys().next().value!);
}
