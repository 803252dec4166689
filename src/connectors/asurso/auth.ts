// NetSchool sign-in (platforms.md §1.2): `GET logindata` (session cookie) → `POST auth/getdata` (`lt`, `ver`,
// `salt`) → `POST login` (form, salted MD5) → header `at` on every call → `POST auth/logout` at the end.
// Also: the SecurityWarning.asp hand-off, re-login after the session time-out, and imported sessions for
// Госуслуги-only hosts (§1.3 end), which cannot be renewed here.
import type { AuthHook, AuthRequestConfig, CookieJar, HttpClient } from '../http/index.js';
import { GatewayHttpError } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import type { AsursoConfig } from './declaration.js';
import { loginHash } from './hash.js';
import { GetData, LoginAnswer, LoginData, SchoolSearchItem } from './schemas.js';
import * as z from 'zod';

export const AUTH_ROUTES = {
  loginData: '/webapi/logindata',
  getData: '/webapi/auth/getdata',
  login: '/webapi/login',
  logout: '/webapi/auth/logout',
  schoolSearch: '/webapi/schools/search',
  securityWarning: '/asp/SecurityWarning.asp',
} as const;

/** The imported (browser) session was refused: only a new import helps. */
export class ImportedSessionExpiredError extends Error {
  constructor() {
    super('asurso: the imported session (at, ver, cookies) has expired or was logged out; log in to the host in a browser '
      + '(Госуслуги) and import a new one — it cannot be renewed by the gateway');
    this.name = 'ImportedSessionExpiredError';
  }
}

/** The host lets families and staff in only through Госуслуги (`logindata.esiaMainAuth`, lentryd #25). */
export class EsiaOnlyHostError extends Error {
  constructor() {
    super('asurso: this host allows only Госуслуги login (logindata.esiaMainAuth, auth/getdata gives no salt): configure auth kind imported_session');
    this.name = 'EsiaOnlyHostError';
  }
}

const where = (route: string) => ({ platform: 'asurso', route });

export class AsursoAuth implements AuthHook {
  private at: string | undefined;
  private ver: string | undefined;
  private warningPending = false;
  /** Milliseconds of the server's session time-out (`timeOut` of the login answer). */
  timeOutMs: number | undefined;
  logins = 0;

  constructor(private readonly http: HttpClient, private readonly jar: CookieJar, private readonly cfg: AsursoConfig) {
    const a = cfg.auth;
    if (a.kind === 'password') http.redactor.add(a.password);
    else {
      this.setSession(a.at, a.ver);
      for (const [k, v] of Object.entries(a.cookies)) {
        jar.set(k, v);
        http.redactor.add(v);
      }
    }
  }

  /**
   * The server's version as `logindata` states it (the report-queue hub depends on it): read at the password login,
   * or once when first asked for under an imported session. Undefined when the server states none.
   */
  async serverVersion(): Promise<string | undefined> {
    this.version ??= this.loginData().then((d) => d.version).catch((e: unknown) => { this.version = undefined; throw e; });
    return this.version;
  }
  private version: Promise<string | undefined> | undefined;

  private async loginData() {
    const info = parsePayload(LoginData, (await this.http.get(AUTH_ROUTES.loginData, { skipAuth: true })).data, where('logindata'));
    this.version = Promise.resolve(info.version);
    return info;
  }

  get token(): string | undefined {
    return this.at;
  }

  /** Called by the classifier when a response is the SecurityWarning.asp hand-off page. */
  securityWarningSeen(): void {
    this.warningPending = true;
  }

  apply(config: AuthRequestConfig): AuthRequestConfig {
    if (this.at) config.headers.set('at', this.at);
    return config;
  }

  /** First sign-in (no-op for an imported session). */
  async login(): Promise<void> {
    if (this.cfg.auth.kind === 'imported_session') return;
    let last: unknown;
    // A 5xx in the middle of the handshake spends `lt`: start over from getdata (never resend a used `lt`).
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.passwordLogin();
      } catch (e) {
        last = e;
        if (!(e instanceof GatewayHttpError) || !e.retryable || e.code === 'login_throttled') throw e;
      }
    }
    throw last;
  }

  async refresh(): Promise<void> {
    if (this.warningPending && this.at) {
      this.warningPending = false;
      await this.acknowledgeWarning(2);
      return;
    }
    if (this.cfg.auth.kind === 'imported_session') throw new ImportedSessionExpiredError();
    this.at = undefined;
    await this.login();
  }

  async logout(): Promise<void> {
    if (!this.at) return;
    if (this.cfg.auth.kind === 'imported_session' && !this.cfg.auth.logoutOnClose) return;
    try {
      await this.http.post(AUTH_ROUTES.logout, { form: { at: this.at, ver: this.ver ?? '' }, retrySafe: true });
    } finally {
      this.at = undefined;
    }
  }

  private async passwordLogin(): Promise<void> {
    const a = this.cfg.auth;
    if (a.kind !== 'password') return;
    this.jar.clear();
    const info = await this.loginData();
    const scid = this.cfg.schoolId ?? this.cfg.loginSchoolId ?? await this.searchSchool();
    const gd = (await this.http.post(AUTH_ROUTES.getData, { skipAuth: true, retrySafe: true, body: '' })).data;
    const got = GetData.safeParse(gd);
    if (!got.success) {
      if (info.esiaMainAuth) throw new EsiaOnlyHostError();
      throw new Error('asurso: auth/getdata answered without lt/ver/salt («Сетевой не вернул данные для авторизации»)');
    }
    const { lt, ver, salt } = got.data;
    const { pw, pw2 } = loginHash(a.password, salt);
    this.http.redactor.add(pw2);
    const res = await this.http.post(AUTH_ROUTES.login, {
      skipAuth: true,
      form: { loginType: 1, scid, un: a.login, pw, pw2, lt, ver, ...(a.rolegroup ? { rolegroup: a.rolegroup } : {}) },
    });
    const ans = parsePayload(LoginAnswer, res.data, where('login'));
    this.setSession(ans.at, ver);
    this.timeOutMs = ans.timeOut;
    this.logins++;
    // Another live session of this login: the server parks this one behind SecurityWarning.asp (§1.2).
    if (ans.entryPoint?.includes('SecurityWarning')) await this.acknowledgeWarning(ans.requestData?.warnType ?? 2);
  }

  private async searchSchool(): Promise<number> {
    const name = this.cfg.schoolName;
    // The bare list is refused since ~2023 (403): a name substring is required (§1.8).
    if (!name) throw new Error('asurso: configure schoolId, or schoolName to look it up with schools/search?name=');
    const list = parsePayload(z.array(SchoolSearchItem), (await this.http.get(AUTH_ROUTES.schoolSearch, { skipAuth: true, query: { name } })).data, where('schools/search'));
    if (list.length !== 1) throw new Error(`asurso: schools/search found ${list.length} schools for the configured name; configure schoolId`);
    return list[0].id;
  }

  private async acknowledgeWarning(warnType: string | number): Promise<void> {
    await this.http.post(AUTH_ROUTES.securityWarning, { skipAuth: true, form: { at: this.at ?? '', WarnType: String(warnType) }, responseType: 'text', retrySafe: true });
  }

  private setSession(at: string, ver: string): void {
    this.at = at;
    this.ver = ver;
    this.http.redactor.add(at);
  }
}
