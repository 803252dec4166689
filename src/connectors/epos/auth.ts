// ЭПОС sign-in (platforms.md §2.3): a session from `POST lms/api/sessions` → `authentication_token` and
// `profiles[]`; every call carries headers `auth-token` and `profile-id` and the query `pid`; the session
// ends with `DELETE lms/api/sessions?authentication_token=…`. How the session is obtained — a password
// ([A] МЭШ classic) or an imported cabinet `auth_token` after a Госуслуги login ([V] step 6, [S] 2026) — is
// the one seam `openSession`; everything after it is the same.
import type { AuthHook, AuthRequestConfig, HttpClient } from '../http/index.js';
import { GatewayHttpError } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import type { EposConfig } from './declaration.js';
import { Session } from './schemas.js';

export const SESSIONS_ROUTE = '/lms/api/sessions';

/** The imported `auth_token` was refused: only a new browser login helps. */
export class ImportedTokenExpiredError extends Error {
  constructor() {
    super('epos: the imported auth_token (the cookie left by the Госуслуги login) has expired or was revoked; log in to ЭПОС '
      + 'in a browser and import a new one — the gateway cannot renew it');
    this.name = 'ImportedTokenExpiredError';
  }
}

export class EposAuth implements AuthHook {
  private token: string | undefined;
  private pid: number | undefined;
  /** The school of the chosen profile (`profiles[].school_id`). */
  schoolId: number | undefined;
  /** The pupils the profile reads a diary of: itself for a pupil, `children` for a parent. */
  pupils: number[] = [];
  logins = 0;

  constructor(private readonly http: HttpClient, private readonly cfg: EposConfig) {
    http.redactor.add(cfg.auth.kind === 'password' ? cfg.auth.password : cfg.auth.authToken);
    // A login may be a person's name (docs/operations.md), and the platform may quote it back in an error.
    if (cfg.auth.kind === 'password') http.redactor.add(cfg.auth.login);
  }

  /** The profile id every call is made as (`pid`). */
  get profileId(): number | undefined {
    return this.pid;
  }

  apply(config: AuthRequestConfig): AuthRequestConfig {
    if (this.token && this.pid) {
      config.headers.set('auth-token', this.token);
      config.headers.set('profile-id', String(this.pid));
      config.params = { ...(config.params as object), pid: this.pid };
    }
    return config;
  }

  async login(): Promise<void> {
    const s = await this.openSession();
    const profile = this.cfg.profileId ? s.profiles.find((p) => p.id === this.cfg.profileId) : s.profiles[0];
    if (!profile) throw new Error(`epos: the session has no profile ${this.cfg.profileId} (it has ${s.profiles.length} profile(s))`);
    this.token = s.authentication_token;
    this.http.redactor.add(this.token);
    this.pid = profile.id;
    this.schoolId = profile.school_id;
    this.pupils = profile.type === 'student' ? [profile.id] : (profile.children ?? []).map((c) => c.id);
    this.logins++;
  }

  async refresh(): Promise<void> {
    this.token = undefined;
    await this.login();
  }

  async logout(): Promise<void> {
    const token = this.token;
    if (!token) return;
    this.token = undefined;
    await this.http.delete(SESSIONS_ROUTE, { skipAuth: true, query: { authentication_token: token }, json: [] });
  }

  /** THE login seam: the only place that differs between auth kinds. */
  private async openSession(): Promise<Session> {
    const a = this.cfg.auth;
    if (a.kind === 'password') {
      const res = await this.http.post(SESSIONS_ROUTE, { skipAuth: true, retrySafe: true, json: { login: a.login, password_plain: a.password } });
      return parsePayload(Session, res.data, { platform: 'epos', route: 'lms/api/sessions' });
    }
    try {
      const res = await this.http.post(SESSIONS_ROUTE, {
        skipAuth: true, retrySafe: true, json: { auth_token: a.authToken }, ...(this.cfg.profileId ? { query: { pid: this.cfg.profileId } } : {}),
      });
      return parsePayload(Session, res.data, { platform: 'epos', route: 'lms/api/sessions' });
    } catch (e) {
      if (e instanceof GatewayHttpError && e.failureType === 'config') throw new ImportedTokenExpiredError();
      throw e;
    }
  }
}
