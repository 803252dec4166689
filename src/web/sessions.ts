// Server-side login transactions and sessions (esia.md §8). The browser holds only an opaque random id;
// ESIA tokens never leave the server (and are not kept after the login with access_type=online).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface LoginTransaction {
  provider: 'esia' | 'oidc';
  state: string;
  nonce?: string;
  codeVerifier?: string;
  expiresAt: number;
}

export interface Session {
  id: string;
  guardianId: string;
  /** Pupils verified in this login (R-25 is also checked against the store on every request). */
  studentIds: string[];
  pendingReview: number;
  csrf: string;
  provider: 'esia' | 'oidc';
  expiresAt: number;
}

const token = () => randomBytes(32).toString('base64url');

export class SessionStore {
  private readonly logins = new Map<string, LoginTransaction>();
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly ttlMs: number, private readonly loginTtlMs = 10 * 60_000, private readonly now: () => number = Date.now) {}

  beginLogin(t: Omit<LoginTransaction, 'expiresAt'>): string {
    this.sweep();
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

  create(s: Omit<Session, 'id' | 'csrf' | 'expiresAt'>): Session {
    const session: Session = { ...s, id: token(), csrf: token(), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | null {
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

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
