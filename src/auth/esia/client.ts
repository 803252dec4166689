// The ESIA client, new scheme (esia.md §2–§3, §6): openid-client v6 as transport and state machine,
// with a hand-built Configuration (no discovery), an async ClientAuth that adds the ESIA parameters and
// the GOST signature to token requests, and a customFetch that hides ESIA's numeric-`sub` id_token from
// oauth4webapi (§6.1) so we check it ourselves.
import * as client from 'openid-client';
import { EsiaError, UNEXPECTED_ANSWER } from './errors.js';
import { base64url, esiaSignedString, esiaState, esiaTimestamp } from './params.js';
import { accessTokenSubject, checkEsiaJwt, subjectOf, TokenCheckError, type EsiaSubject, type EsiaTokenVerifier } from './tokens.js';
import type { EsiaSigner } from '../signer.js';

export interface EsiaClientOptions {
  baseUrl: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  scopeOrg?: string;
  accessType?: 'online' | 'offline';
  logoutRedirectUrl?: string;
  signer: EsiaSigner;
  verifier: EsiaTokenVerifier;
  clockSkewSeconds?: number;
  timestampOffsetMinutes?: number;
  allowInsecureHttp?: boolean;
  /** Clock for timestamps and token checks (tests). */
  now?: () => Date;
}

export interface EsiaTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch seconds. */
  expiresAt: number;
  subject: EsiaSubject;
  /** sid of the ESIA session, for audit; not personal data. */
  sessionId?: string;
}

export interface EsiaAuthorizationRequest {
  url: URL;
  state: string;
  /** Every parameter as sent (esia url prints them). */
  params: Record<string, string>;
  signedString: string;
}

const STASHED_ID_TOKEN = 'esia_id_token';
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export class EsiaClient {
  readonly config: client.Configuration;
  private readonly now: () => Date;

  constructor(readonly o: EsiaClientOptions) {
    this.now = o.now ?? (() => new Date());
    const base = o.baseUrl.replace(/\/+$/, '');
    this.config = new client.Configuration(
      { issuer: o.issuer, authorization_endpoint: `${base}/aas/oauth2/v2/ac`, token_endpoint: `${base}/aas/oauth2/v3/te` },
      o.clientId,
      { id_token_signed_response_alg: o.verifier.alg },
      this.clientAuth(),
    );
    this.config[client.customFetch] = this.tokenFetch();
    if (o.allowInsecureHttp) client.allowInsecureRequests(this.config);
  }

  private timestamp(): string {
    return esiaTimestamp(this.now(), this.o.timestampOffsetMinutes ?? 0);
  }

  private async secret(message: string): Promise<{ client_secret: string; client_certificate_hash: string }> {
    const [sig, hash] = await Promise.all([this.o.signer.sign(Buffer.from(message, 'utf8')), this.o.signer.certificateHash()]);
    return { client_secret: base64url(sig), client_certificate_hash: hash };
  }

  /** v2/ac URL with every parameter of esia.md §2.1; state is a fresh UUID unless given. */
  async authorizationRequest(state: string = esiaState()): Promise<EsiaAuthorizationRequest> {
    const timestamp = this.timestamp();
    const scopeOrg = this.o.scopeOrg ?? '';
    const signedString = esiaSignedString({
      clientId: this.o.clientId, scope: this.o.scope, scopeOrg, timestamp, state, redirectUri: this.o.redirectUri,
    });
    const params: Record<string, string> = {
      scope: this.o.scope,
      scope_org: scopeOrg,
      timestamp,
      state,
      redirect_uri: this.o.redirectUri,
      access_type: this.o.accessType ?? 'online',
      ...(await this.secret(signedString)),
    };
    const url = client.buildAuthorizationUrl(this.config, params);
    return { url, state, params: Object.fromEntries(url.searchParams), signedString };
  }

  /** ESIA's token-endpoint authentication: a fresh UUID state, timestamp and signature (+code) per request. */
  private clientAuth(): client.ClientAuth {
    return (async (_as: client.ServerMetadata, _c: client.ClientMetadata, body: URLSearchParams) => {
      const state = esiaState();
      const timestamp = this.timestamp();
      const scope = body.get('scope') ?? this.o.scope;
      const scopeOrg = body.get('scope_org') ?? this.o.scopeOrg ?? '';
      const redirectUri = body.get('redirect_uri') ?? this.o.redirectUri;
      const code = body.get('grant_type') === 'authorization_code' ? body.get('code') ?? '' : undefined;
      const message = esiaSignedString({ clientId: this.o.clientId, scope, scopeOrg, timestamp, state, redirectUri, code });
      body.set('client_id', this.o.clientId);
      body.set('state', state);
      body.set('timestamp', timestamp);
      body.set('token_type', 'Bearer');
      body.set('scope', scope);
      if (!body.has('redirect_uri')) body.set('redirect_uri', redirectUri);
      const s = await this.secret(message);
      body.set('client_secret', s.client_secret);
      body.set('client_certificate_hash', s.client_certificate_hash);
    }) as unknown as client.ClientAuth;
  }

  /** For the token endpoint only: check ESIA's echo of the fresh state and stash the id_token (§6.1). */
  private tokenFetch(): client.CustomFetch {
    const tokenEndpoint = this.config.serverMetadata().token_endpoint!;
    return async (url, init) => {
      const res = await fetch(url, init as RequestInit);
      if (String(url) !== tokenEndpoint || !res.ok) return res;
      const json = await res.json().catch(() => undefined) as unknown;
      if (!isObject(json)) throw new EsiaError('token', UNEXPECTED_ANSWER, null, res.status);
      const sent = new URLSearchParams(String(init?.body ?? '')).get('state');
      if (typeof json.state === 'string' && json.state !== sent) {
        throw new EsiaError('token', 'state_mismatch', 'the token response echoed another state');
      }
      if ('id_token' in json) {
        json[STASHED_ID_TOKEN] = json.id_token;
        delete json.id_token;
      }
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(json), { status: res.status, statusText: res.statusText, headers });
    };
  }

  /**
   * The callback: `callbackQuery` is the query string ESIA sent to redirect_uri. The token request's
   * redirect_uri comes from the configured public URI, not from the incoming request (§6.2).
   */
  async exchangeCode(callbackQuery: URLSearchParams, expectedState: string): Promise<EsiaTokens> {
    if (callbackQuery.get('state') !== expectedState) throw new EsiaError('callback', 'state_mismatch', 'the callback state is not the one this browser started with');
    if (callbackQuery.has('error')) {
      throw EsiaError.from('authorize', { error: callbackQuery.get('error'), error_description: callbackQuery.get('error_description') });
    }
    const current = new URL(this.o.redirectUri);
    for (const [k, v] of callbackQuery) current.searchParams.append(k, v);
    const extra: Record<string, string> = { scope: this.o.scope };
    if (this.o.scopeOrg) extra.scope_org = this.o.scopeOrg;
    const res = await this.grant('token', () => client.authorizationCodeGrant(this.config, current, { expectedState }, extra));
    return this.checkTokens(res);
  }

  /**
   * refresh_token grant; the signed string is the v2/ac one without a code (ilimurzin refreshToken). `login` is the
   * subject of the tokens being refreshed: the new ones must name the same person (OIDC Core §12.2), and an answer
   * without an id_token keeps the login's `trusted` — it said `true`, so an unconfirmed account refreshed into a
   * confirmed one and would link children by SNILS (requireTrustedAccount).
   */
  async refresh(refreshToken: string, login: EsiaSubject): Promise<EsiaTokens> {
    const extra: Record<string, string> = { scope: this.o.scope, redirect_uri: this.o.redirectUri };
    if (this.o.scopeOrg) extra.scope_org = this.o.scopeOrg;
    const res = await this.grant('refresh', () => client.refreshTokenGrant(this.config, refreshToken, extra));
    const tokens = await this.checkTokens(res, login);
    if (tokens.subject.oid !== login.oid) throw new TokenCheckError('subject', 'the refreshed tokens name another person than the login');
    return tokens;
  }

  private async grant<T>(step: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof EsiaError) throw e;
      // One thrown by tokenFetch (a state echo that differs, an answer that is not JSON), wrapped by openid-client.
      if ((e as { cause?: unknown }).cause instanceof EsiaError) throw (e as { cause: EsiaError }).cause;
      const err = e as { error?: unknown; error_description?: unknown; status?: number; cause?: unknown; code?: unknown };
      if (typeof err.error === 'string') throw EsiaError.from(step, err, err.status);
      // openid-client's own code (OAUTH_TIMEOUT, OAUTH_RESPONSE_IS_NOT_CONFORM…); a failed fetch (ESIA unreachable) has none.
      const code = typeof err.code === 'string' ? err.code : 'transport';
      // An answer with a status the token endpoint may not give (a 503 of ESIA-007008, a gateway's 502 page): its ESIA
      // error, when the body carries one, says whether a retry helps; else its status does.
      if (err.cause instanceof Response) {
        const body = await err.cause.clone().json().catch(() => undefined) as unknown;
        if (isObject(body) && typeof body.error === 'string') throw EsiaError.from(step, body, err.cause.status);
        throw new EsiaError(step, code, null, err.cause.status);
      }
      const cause = err.cause as { error?: unknown; error_description?: unknown } | undefined;
      if (cause && typeof cause.error === 'string') throw EsiaError.from(step, cause, err.status);
      throw new EsiaError(step, code, (e as Error).message);
    }
  }

  /** `login`: the subject a refresh continues (no id_token is needed then); absent for a login's code exchange. */
  private async checkTokens(res: client.TokenEndpointResponse, login?: EsiaSubject): Promise<EsiaTokens> {
    const common = { verifier: this.o.verifier, issuer: this.o.issuer, clientId: this.o.clientId, clockSkewSeconds: this.o.clockSkewSeconds, now: this.now() };
    const access = await checkEsiaJwt(res.access_token, { ...common, sbt: 'access' });
    const idToken = (res as Record<string, unknown>)[STASHED_ID_TOKEN];
    let subject: EsiaSubject;
    if (typeof idToken === 'string') {
      const id = await checkEsiaJwt(idToken, { ...common, sbt: 'id' });
      subject = subjectOf(id.claims);
      const fromAccess = accessTokenSubject(access.claims);
      if (fromAccess && fromAccess !== subject.oid) throw new TokenCheckError('subject', 'the access token names another person than the id_token');
    } else {
      if (!login) throw new TokenCheckError('format', 'no id_token in the token response (is openid in scope?)');
      const oid = accessTokenSubject(access.claims);
      if (!oid) throw new TokenCheckError('subject', 'no urn:esia:sbj_id in the access token');
      subject = { oid, trusted: login.trusted };
    }
    const nowS = Math.floor(this.now().getTime() / 1000);
    const exp = typeof access.claims.exp === 'number' ? access.claims.exp : nowS + (res.expires_in ?? 3600);
    const sid = access.claims['urn:esia:sid'];
    return {
      accessToken: res.access_token,
      ...(res.refresh_token ? { refreshToken: res.refresh_token } : {}),
      expiresAt: exp,
      subject,
      ...(typeof sid === 'string' ? { sessionId: sid } : {}),
    };
  }

  /** `/idp/ext/Logout?client_id=…&redirect_url=…` (note redirect_url; esia.md §1). */
  logoutUrl(): URL {
    const url = new URL('/idp/ext/Logout', this.o.baseUrl);
    url.searchParams.set('client_id', this.o.clientId);
    if (this.o.logoutRedirectUrl) url.searchParams.set('redirect_url', this.o.logoutRedirectUrl);
    return url;
  }

  private async rest(accessToken: string, path: string): Promise<Record<string, unknown>> {
    const url = new URL(path, this.o.baseUrl);
    const res = await this.grant('rest', () => client.fetchProtectedResource(this.config, accessToken, url, 'GET'));
    const body = await res.json().catch(() => undefined) as unknown;
    const object = isObject(body) ? body : undefined;
    if (!res.ok) throw EsiaError.from('rest', object ?? {}, res.status);
    // A 200 that is not a JSON object (a proxy's HTML page, a cut-off body) is not ESIA's answer: read as `{}`, the
    // children list was empty and the parent was told to ask the school about children Госуслуги does list.
    if (!object) throw new EsiaError('rest', UNEXPECTED_ANSWER, null, res.status);
    return object;
  }

  /** `GET /rs/prns/{oid}`. */
  person(tokens: Pick<EsiaTokens, 'accessToken' | 'subject'>): Promise<Record<string, unknown>> {
    return this.rest(tokens.accessToken, `/rs/prns/${tokens.subject.oid}`);
  }

  /** `GET /rs/prns/{oid}/kids?embed=(elements)`: the children, inlined. */
  async kids(tokens: Pick<EsiaTokens, 'accessToken' | 'subject'>): Promise<EsiaKid[]> {
    const body = await this.rest(tokens.accessToken, `/rs/prns/${tokens.subject.oid}/kids?embed=(elements)`);
    // A collection is `{size, elements: […]}` (esia.md §4). No `elements` is an empty list only when ESIA says so
    // (size 0); an element that is not an object is a URL ESIA sent instead of embedding it. Either way the list
    // cannot be read, and an error says so: dropping them showed the parent "no children found, ask the school".
    if (!Array.isArray(body.elements)) {
      if (body.size === 0) return [];
      throw new EsiaError('rest', UNEXPECTED_ANSWER, null);
    }
    if (!body.elements.every(isObject)) throw new EsiaError('rest', UNEXPECTED_ANSWER, null);
    return body.elements.map(esiaKidOf);
  }
}

/**
 * One element of `/kids`. Field names are not in any public source (esia.md §4, [unknown]): by analogy
 * with the person resource. Capture real responses on the test contour and adjust here (esiaKidOf) only.
 */
export interface EsiaKid {
  id: string;
  firstName?: string;
  lastName?: string;
  middleName?: string;
  /** ISO date (converted from ESIA's DD.MM.YYYY). */
  birthDate?: string;
  snils?: string;
}

/** One child as a `/kids` element has it; a broker's children claim that passes ESIA's kids through is read the same way. */
export function esiaKidOf(e: Record<string, unknown>): EsiaKid {
  const str = (k: string) => (typeof e[k] === 'string' && e[k] ? (e[k] as string) : undefined);
  const bd = str('birthDate');
  const m = bd ? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(bd) : null;
  return {
    id: String(e.id ?? ''),
    firstName: str('firstName'),
    lastName: str('lastName'),
    middleName: str('middleName'),
    birthDate: m ? `${m[3]}-${m[2]}-${m[1]}` : bd,
    snils: str('snils'),
  };
}
