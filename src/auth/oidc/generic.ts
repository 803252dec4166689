// Generic OpenID Connect login (a regional SSO or a Keycloak that brokers ESIA; DECISIONS.md §9):
// openid-client with discovery, PKCE (S256), state and nonce, and openid-client's own id_token checks.
import * as client from 'openid-client';

export interface GenericOidcOptions {
  issuer: string;
  clientId: string;
  /** Confidential client; without it the client is public and relies on PKCE. */
  clientSecret?: string;
  redirectUri: string;
  scope: string;
  allowInsecureHttp?: boolean;
}

export interface OidcStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcIdentity {
  sub: string;
  claims: Record<string, unknown>;
}

export class GenericOidcLogin {
  private config: client.Configuration | null = null;
  private discovering: Promise<client.Configuration> | null = null;
  private constructor(private readonly o: GenericOidcOptions) {}

  /** Discovers the provider now; rejects when it cannot (tests, a check). */
  static async discover(o: GenericOidcOptions): Promise<GenericOidcLogin> {
    const login = new GenericOidcLogin(o);
    await login.configuration();
    return login;
  }

  /**
   * For `serve`: the provider's discovery document is read at the first login that needs it and read again at the next
   * one while it fails. A regional SSO down when the diary starts made `serve` exit, and took the ESIA login with it.
   */
  static deferred(o: GenericOidcOptions): GenericOidcLogin {
    return new GenericOidcLogin(o);
  }

  /** The provider's configuration, discovered once; concurrent logins share one discovery, a failed one is retried. */
  configuration(): Promise<client.Configuration> {
    if (this.config) return Promise.resolve(this.config);
    this.discovering ??= client.discovery(new URL(this.o.issuer), this.o.clientId, this.o.clientSecret ? { client_secret: this.o.clientSecret } : undefined,
      this.o.clientSecret ? client.ClientSecretPost(this.o.clientSecret) : client.None(), this.o.allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : undefined)
      .then((c) => (this.config = c))
      .finally(() => { this.discovering = null; });
    return this.discovering;
  }

  async start(): Promise<OidcStart> {
    const config = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.o.redirectUri, scope: this.o.scope, state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    });
    return { url, state, nonce, codeVerifier };
  }

  /** `query` is the callback's query string; the redirect URI comes from the configuration (never the Host header). */
  async callback(query: URLSearchParams, t: { state: string; nonce: string; codeVerifier: string }): Promise<OidcIdentity> {
    const config = await this.configuration();
    const current = new URL(this.o.redirectUri);
    for (const [k, v] of query) current.searchParams.append(k, v);
    const tokens = await client.authorizationCodeGrant(config, current, {
      expectedState: t.state, expectedNonce: t.nonce, pkceCodeVerifier: t.codeVerifier, idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the OpenID provider returned no id_token');
    let all: Record<string, unknown> = { ...claims };
    if (config.serverMetadata().userinfo_endpoint) {
      all = { ...all, ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)) };
    }
    return { sub: claims.sub, claims: all };
  }

  /** null when the provider has none, or was never reached (no login through it since the start). */
  endSessionUrl(postLogoutRedirectUri?: string): URL | null {
    if (!this.config?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(this.config, { client_id: this.o.clientId, ...(postLogoutRedirectUri ? { post_logout_redirect_uri: postLogoutRedirectUri } : {}) });
  }
}
