// ЭлЖур auth (platforms.md §4.2): every call carries `devkey`, `vendor`, `out_format` and, after login,
// `auth_token` — all in the query. Tokens come from `/api/auth` (login + password), from
// `apiv3/getusersvendors?v_token=` on ESIA-only regional hosts (one token per school: the one of this
// vendor is taken), or are imported. A token works for its vendor only (§4.5).
import type { AuthHook, AuthRequestConfig, HttpClient } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import { AuthResult, Envelope, UsersVendors } from './schemas.js';
import type { EljurConfig } from './declaration.js';

export const AUTH_ROUTES = { auth: '/api/auth', usersVendors: '/apiv3/getusersvendors' } as const;

export class EljurAuth implements AuthHook {
  private token: string | undefined;

  constructor(private readonly http: HttpClient, private readonly cfg: Pick<EljurConfig, 'devkey' | 'vendor' | 'format' | 'auth'>) {
    http.redactor.add(cfg.devkey);
    if (cfg.auth.kind === 'credentials') http.redactor.add(cfg.auth.password);
    // A login may be a person's name (docs/operations.md), and the platform may quote it back in an error.
    if (cfg.auth.kind === 'credentials') http.redactor.add(cfg.auth.login);
    if (cfg.auth.kind === 'imported_session') http.redactor.add(cfg.auth.vToken);
    if (cfg.auth.kind === 'imported_token') this.setToken(cfg.auth.token);
  }

  /** The parameters every method takes besides its own. */
  baseQuery(): Record<string, string> {
    return { devkey: this.cfg.devkey, vendor: this.cfg.vendor, out_format: this.cfg.format };
  }

  apply(config: AuthRequestConfig): AuthRequestConfig {
    config.params = { ...this.baseQuery(), ...(this.token ? { auth_token: this.token } : {}), ...config.params };
    return config;
  }

  async login(): Promise<void> {
    if (!this.token) await this.refresh();
  }

  async refresh(): Promise<void> {
    const a = this.cfg.auth;
    if (a.kind === 'imported_token') throw new Error('eljur: the imported auth_token was refused and cannot be renewed here (import a new one)');
    if (a.kind === 'imported_session') {
      const res = await this.http.get(AUTH_ROUTES.usersVendors, { query: { v_token: a.vToken, out_format: 'json' }, skipAuth: true });
      const list = parsePayload(UsersVendors, res.data, { platform: 'eljur', route: 'getusersvendors' }).result;
      const mine = list.find((v) => v.vendor === this.cfg.vendor);
      if (!mine) throw new Error(`eljur: getusersvendors lists no token for vendor "${this.cfg.vendor}" (tokens are per school)`);
      return this.setToken(mine.token);
    }
    // POST form with devkey/vendor/out_format beside login and password (§4.2 step 1). Auth always asks
    // for JSON: the token is all it needs.
    const res = await this.http.post(AUTH_ROUTES.auth, {
      form: { login: a.login, password: a.password, devkey: this.cfg.devkey, vendor: this.cfg.vendor, out_format: 'json' }, skipAuth: true, retrySafe: true,
    });
    const env = parsePayload(Envelope, res.data, { platform: 'eljur', route: 'auth' });
    this.setToken(parsePayload(AuthResult, env.response.result, { platform: 'eljur', route: 'auth result' }).token);
  }

  async logout(): Promise<void> {
    this.token = undefined; // API v1.4 documents no token revocation
  }

  private setToken(t: string): void {
    this.token = t;
    this.http.redactor.add(t);
  }
}
