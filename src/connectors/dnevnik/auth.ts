// Дневник.ру auth (platforms.md §3.2): every call carries `Access-Token`. Tokens come from
// `POST /v2/authorizations/bycredentials` (login + password), from `POST /v2/authorizations` exchanging a
// partner OAuth authorization code, or are refreshed there with `grant_type: RefreshToken`.
import type { AuthHook, AuthRequestConfig, HttpClient } from '../http/index.js';
import type { DnevnikConfig } from './declaration.js';

export const AUTH_ROUTES = {
  byCredentials: '/v2/authorizations/bycredentials',
  authorizations: '/v2/authorizations',
} as const;

interface TokenAnswer {
  accessToken?: string;
  refreshToken?: string | null;
  expiresDate?: string | null;
}

export class DnevnikAuth implements AuthHook {
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private codeUsed = false;

  constructor(private readonly http: HttpClient, private readonly cfg: DnevnikConfig['auth'], private readonly scope: string) {
    if (cfg.kind === 'imported_token') this.setToken({ accessToken: cfg.accessToken });
    if (cfg.kind === 'partner_oauth' && cfg.refreshToken) this.refreshToken = cfg.refreshToken;
    if (cfg.kind !== 'imported_token') http.redactor.add(cfg.clientSecret);
    if (cfg.kind === 'password') http.redactor.add(cfg.password);
    // A login may be a person's name (docs/operations.md), and the platform may quote it back in an error.
    if (cfg.kind === 'password') http.redactor.add(cfg.username);
    if (cfg.kind === 'partner_oauth') {
      http.redactor.add(cfg.code);
      http.redactor.add(cfg.refreshToken);
    }
  }

  get hasToken(): boolean {
    return this.accessToken !== undefined;
  }

  apply(config: AuthRequestConfig): AuthRequestConfig {
    if (this.accessToken) config.headers.set('Access-Token', this.accessToken);
    return config;
  }

  /** First login; a no-op when a token is already held (imported). */
  async login(): Promise<void> {
    if (!this.accessToken) await this.refresh();
  }

  async refresh(): Promise<void> {
    const c = this.cfg;
    if (c.kind === 'imported_token') {
      throw new Error('dnevnik: the imported token was refused and cannot be renewed here (import a new one)');
    }
    if (this.refreshToken) {
      try {
        return this.setToken(await this.post(AUTH_ROUTES.authorizations, {
          grant_type: 'RefreshToken', refreshToken: this.refreshToken, client_id: c.clientId, client_secret: c.clientSecret,
        }));
      } catch (e) {
        this.refreshToken = undefined; // a refused refresh token is not tried twice
        if (c.kind !== 'password') throw e;
      }
    }
    if (c.kind === 'partner_oauth') {
      if (!c.code || this.codeUsed) throw new Error('dnevnik: no refresh token and no unused authorization code: the partner must authorise again');
      this.codeUsed = true; // an authorization code is single-use
      return this.setToken(await this.post(AUTH_ROUTES.authorizations, {
        grant_type: 'AuthorizationCode', code: c.code, client_id: c.clientId, client_secret: c.clientSecret,
      }));
    }
    return this.setToken(await this.post(AUTH_ROUTES.byCredentials, {
      client_id: c.clientId, client_secret: c.clientSecret, username: c.username, password: c.password, scope: this.scope,
    }));
  }

  async logout(): Promise<void> {
    this.accessToken = undefined; // the partner API has no documented token revocation
  }

  private async post(route: string, json: unknown): Promise<TokenAnswer> {
    const res = await this.http.post<TokenAnswer>(route, { json, skipAuth: true, retrySafe: true });
    return res.data;
  }

  private setToken(t: TokenAnswer): void {
    if (!t?.accessToken) throw new Error('dnevnik: the authorization answer carries no accessToken');
    this.accessToken = t.accessToken;
    this.http.redactor.add(t.accessToken);
    if (t.refreshToken) {
      this.refreshToken = t.refreshToken;
      this.http.redactor.add(t.refreshToken);
    }
  }
}
