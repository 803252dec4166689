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
  private constructor(readonly config: client.Configuration, private readonly o: GenericOidcOptions) {}

  static async discover(o: GenericOidcOptions): Promise<GenericOidcLogin> {
    const auth = o.clientSecret ? client.ClientSecretPost(o.clientSecret) : client.None();
    const config = await client.discovery(new URL(o.issuer), o.clientId, o.clientSecret ? { client_secret: o.clientSecret } : undefined, auth,
      o.allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : undefined);
    return new GenericOidcLogin(config, o);
  }

  async start(): Promise<OidcStart> {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.o.redirectUri, scope: this.o.scope, state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    });
    return { url, state, nonce, codeVerifier };
  }

  /** `query` is the callback's query string; the redirect URI comes from the configuration (never the Host header). */
  async callback(query: URLSearchParams, t: { state: string; nonce: string; codeVerifier: string }): Promise<OidcIdentity> {
    const current = new URL(this.o.redirectUri);
    for (const [k, v] of query) current.searchParams.append(k, v);
    const tokens = await client.authorizationCodeGrant(this.config, current, {
      expectedState: t.state, expectedNonce: t.nonce, pkceCodeVerifier: t.codeVerifier, idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the OpenID provider returned no id_token');
    let all: Record<string, unknown> = { ...claims };
    if (this.config.serverMetadata().userinfo_endpoint) {
      all = { ...all, ...(await client.fetchUserInfo(this.config, tokens.access_token, claims.sub)) };
    }
    return { sub: claims.sub, claims: all };
  }

  endSessionUrl(postLogoutRedirectUri?: string): URL | null {
    if (!this.config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(this.config, { client_id: this.o.clientId, ...(postLogoutRedirectUri ? { post_logout_redirect_uri: postLogoutRedirectUri } : {}) });
  }
}
