// Server-side login transactions and sessions (esia.md §8). The browser holds only an opaque random id;
// ESIA tokens never leave the server (and are not kept after the login with access_type=online).
// The same store keeps the staff sessions (src/web/staff/): what a session carries is its type parameter.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface LoginTransaction {
  provider: 'esia' | 'oidc';
  state: string;
  nonce?: string;
  codeVerifier?: string;
  expiresAt: number;
}

/** What every session has, whoever it belongs to: the opaque id, its CSRF token and its end. */
export interface SessionBase {
  id: string;
  csrf: string;
  expiresAt: number;
}

/** A parent's session (the diary). */
export interface ParentSessionData {
  guardianId: string;
  /** Pupils verified in this login (R-25 is also checked against the store on every request). */
  studentIds: string[];
  pendingReview: number;
  provider: 'esia' | 'oidc';
}

export type Session<D extends object = ParentSessionData> = SessionBase & D;

const token = () => randomBytes(32).toString('base64url');

export class SessionStore<D extends object = ParentSessionData> {
  private readonly logins = new Map<string, LoginTransaction>();
  private readonly sessions = new Map<string, Session<D>>();
  /**
   * `maxLogins`: login transactions kept at most. A flood of starts (each kept ten minutes) cannot grow memory without
   * bound; past it the oldest goes, whose browser is then told to start again.
   */
  constructor(
    private readonly ttlMs: number, private readonly loginTtlMs = 10 * 60_000, private readonly now: () => number = () => Date.now(),
    private readonly maxLogins = 20_000,
  ) {}

  beginLogin(t: Omit<LoginTransaction, 'expiresAt'>): string {
    this.sweep();
    while (this.logins.size >= this.maxLogins) this.logins.delete(this.logins.keys().next().value!);
    const id = token();
    this.logins.set(id, { ...t, expiresAt: this.now() + this.loginTtlMs });
    return id;
  }

  /** Consumed once: a replayed callback finds nothing. */
  takeLogin(id: string | undefined): LoginTransaction | null {
    if (!id) return null;
    const t = this.logins.get(id);
    this.logins.delete(id);
    return t && t.expiresAt > this.now() ? t : null;
  }

  create(s: D): Session<D> {
    this.sweep();
    const session: Session<D> = { ...s, id: token(), csrf: token(), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session<D> | null {
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return s;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Drops abandoned logins and expired sessions, so memory stays bounded without a timer. */
  private sweep(): void {
    const now = this.now();
    for (const [id, t] of this.logins) if (t.expiresAt <= now) this.logins.delete(id);
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** `a` is what a form sent: a parser may make it an array or (a JSON body) an object, which is no token — not a 500. */
export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || !a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
