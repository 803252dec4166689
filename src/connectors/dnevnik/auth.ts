// Дневник.ру auth (platforms.md §3.2): every call carries `Access-Token`. Tokens come from
// `POST /v2/authorizations/bycredentials` (login + password), from `POST /v2/authorizations` exchanging a
// partner OAuth authorization code, or are refreshed there with `grant_type: RefreshToken`.
//
// A refresh token is single-use: each refresh answers with the next one. Every job builds a new connector from the
// same config, so the latest token is kept in the vault (the store's platform_credentials, shared by all workers),
// and an authorization code once exchanged is never sent again. Before, the second run re-sent the used code or the
// used refresh token from the config file and failed with "partner must authorise again".
import { createHash } from 'node:crypto';
import type { CredentialVault } from '../contract.js';
import { GatewayHttpError, type AuthHook, type AuthRequestConfig, type HttpClient } from '../http/index.js';
import type { DnevnikConfig } from './declaration.js';

export const AUTH_ROUTES = {
  byCredentials: '/v2/authorizations/bycredentials',
  authorizations: '/v2/authorizations',
} as const;

/** Names in the vault. */
export const VAULT = { refreshToken: 'dnevnik.refreshToken', codeExchanged: 'dnevnik.codeExchanged' } as const;

interface TokenAnswer {
  accessToken?: string;
  refreshToken?: string | null;
  expiresDate?: string | null;
}

/** The platform said no to the credential itself; anything else (5xx, a time-out, maintenance) may pass later. */
const refusedCredential = (e: unknown) => e instanceof GatewayHttpError && e.failureType !== 'transient';
/** A code is remembered by its hash: the vault never holds a usable secret it does not need. */
const codeMark = (code: string) => createHash('sha256').update(code).digest('hex');

export class DnevnikAuth implements AuthHook {
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private codeUsed = false;

  constructor(
    private readonly http: HttpClient, private readonly cfg: DnevnikConfig['auth'], private readonly scope: string,
    private readonly vault?: CredentialVault,
  ) {
    if (cfg.kind === 'imported_token') this.setToken({ accessToken: cfg.accessToken });
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
    if (c.kind === 'partner_oauth') return this.refreshPartner(c);
    // bycredentials: a refresh token from an earlier login this run, else a new login.
    if (this.refreshToken) {
      try {
        return await this.keep(await this.exchangeRefresh(this.refreshToken));
      } catch (e) {
        if (!refusedCredential(e)) throw e;
        this.refreshToken = undefined;
      }
    }
    return this.keep(await this.post(AUTH_ROUTES.byCredentials, {
      client_id: c.clientId, client_secret: c.clientSecret, username: c.username, password: c.password, scope: this.scope,
    }));
  }

  async logout(): Promise<void> {
    this.accessToken = undefined; // the partner API has no documented token revocation
  }

  /**
   * Partner OAuth: the newest refresh token (this run's, the vault's — asked twice, another worker may have rotated it
   * meanwhile — then the config's), each tried once; then the authorization code, once ever.
   * A refresh that fails for any other reason (maintenance, a time-out) keeps the token for the next attempt.
   */
  private async refreshPartner(c: Extract<DnevnikConfig['auth'], { kind: 'partner_oauth' }>): Promise<void> {
    const tried = new Set<string>();
    const fromVault = async () => this.vault?.load(VAULT.refreshToken);
    // The vault is asked again after a refusal: another worker may have just rotated the token it held.
    for (const next of [async () => this.refreshToken, fromVault, fromVault, async () => c.refreshToken]) {
      const token = await next();
      if (!token || tried.has(token)) continue;
      tried.add(token);
      this.http.redactor.add(token);
      try {
        return await this.keep(await this.exchangeRefresh(token));
      } catch (e) {
        if (!refusedCredential(e)) throw e;
        if (this.refreshToken === token) this.refreshToken = undefined;
      }
    }
    const exchanged = this.codeUsed || (c.code !== undefined && (await this.vault?.load(VAULT.codeExchanged)) === codeMark(c.code));
    if (!c.code || exchanged) {
      throw new Error('dnevnik: the refresh token was refused and the authorization code is used up: the partner must authorise again (a new code in auth.code)');
    }
    this.codeUsed = true; // an authorization code is single-use
    const answer = await this.post(AUTH_ROUTES.authorizations, {
      grant_type: 'AuthorizationCode', code: c.code, client_id: c.clientId, client_secret: c.clientSecret,
    });
    await this.vault?.save(VAULT.codeExchanged, codeMark(c.code));
    return this.keep(answer);
  }

  private exchangeRefresh(refreshToken: string): Promise<TokenAnswer> {
    const c = this.cfg as Exclude<DnevnikConfig['auth'], { kind: 'imported_token' }>;
    return this.post(AUTH_ROUTES.authorizations, { grant_type: 'RefreshToken', refreshToken, client_id: c.clientId, client_secret: c.clientSecret });
  }

  private async post(route: string, json: unknown): Promise<TokenAnswer> {
    const res = await this.http.post<TokenAnswer>(route, { json, skipAuth: true, retrySafe: true });
    return res.data;
  }

  /** Holds the tokens; a partner's new refresh token goes to the vault at once (the one just used is spent). */
  private async keep(t: TokenAnswer): Promise<void> {
    this.setToken(t);
    if (t.refreshToken && this.cfg.kind === 'partner_oauth') await this.vault?.save(VAULT.refreshToken, t.refreshToken);
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
