// A fake ESIA for tests and the demo (esia.md §5.3): the same endpoints as the new scheme, checks the
// client's signature and certificate hash, answers the documented ESIA-0070xx errors for wrong input,
// issues ESIA-shaped tokens (numeric sub, sbt header, urn:esia:* claims) and serves /rs/prns/{oid} and
// /rs/prns/{oid}/kids. It never logs; tests read its `events` instead.
import { createPrivateKey, randomUUID, sign as rsaSign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { esiaSignedString, isUuidState, parseEsiaTimestamp } from '../esia/params.js';
import { esiaDate, esiaSnils, type FakeEsiaAccount } from './people.js';

/** Checks a client_secret: the hash the client must send and the signature check over the signed string. */
export interface FakeEsiaClientKey {
  certificateHash: string;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export interface FakeEsiaOptions {
  clientId: string;
  redirectUris: string[];
  clientKey: FakeEsiaClientKey;
  /** RS256 key for the tokens it issues; the gateway is configured with the matching certificate. */
  tokenKeyPem: string;
  accounts: FakeEsiaAccount[];
  /** Log in as this oid without showing the account page (API tests). */
  autoLoginOid?: string;
  /** Allowed distance of the client's timestamp from now (ESIA-007015). */
  maxClockSkewSeconds?: number;
  accessTokenSeconds?: number;
  now?: () => Date;
}

export interface FakeEsiaEvent {
  endpoint: string;
  ok: boolean;
  error?: string;
}

interface PendingCode {
  oid: string;
  scope: string;
  redirectUri: string;
  expires: number;
  used: boolean;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

const ERR_TEXT: Record<string, string> = {
  '007003': 'The request contains an invalid parameter',
  '007005': 'The client is not authorized to request an access token using this method',
  '007009': 'The authorization grant type is not supported',
  '007011': 'The provided authorization grant or refresh token is invalid, expired or revoked',
  '007013': 'The request doesn\'t contain the scope',
  '007014': 'The request doesn\'t contain the mandatory parameter',
  '007015': 'Wrong request time',
  '007023': 'The redirect_uri is not allowed for the client',
  '007053': 'The client_secret is wrong',
};

export class FakeEsia {
  readonly events: FakeEsiaEvent[] = [];
  /** oids whose SSO session the logout endpoint ended. */
  readonly loggedOut: string[] = [];
  private server: Server | null = null;
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, { oid: string; exp: number }>();
  private readonly refreshTokens = new Map<string, { oid: string; scope: string; redirectUri: string }>();
  private readonly pendingLogins = new Map<string, { redirectUri: string; state: string; scope: string }>();
  baseUrl = '';

  constructor(private readonly o: FakeEsiaOptions) {}

  get issuer(): string {
    return `${this.baseUrl}/`;
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => json(res, 500, { error: 'server_error', error_description: 'ESIA-007007: fake ESIA failed' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private now(): number {
    return Math.floor((this.o.now?.() ?? new Date()).getTime() / 1000);
  }

  private record(endpoint: string, error?: string) {
    this.events.push({ endpoint, ok: !error, ...(error ? { error } : {}) });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method === 'GET' && url.pathname === '/aas/oauth2/v2/ac') return this.authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/fake/login') return this.loginForm(req, res);
    if (req.method === 'POST' && url.pathname === '/aas/oauth2/v3/te') return this.token(req, res);
    if (req.method === 'GET' && url.pathname === '/idp/ext/Logout') return this.logout(url, res);
    const prns = /^\/rs\/prns\/(\d+)(\/kids)?$/.exec(url.pathname);
    if (req.method === 'GET' && prns) return this.rest(req, res, prns[1], !!prns[2], url);
    json(res, 404, { error: 'not_found' });
  }

  /** Common checks of v2/ac and v3/te; returns an ESIA code or null. */
  private async checkClient(p: URLSearchParams, code?: string): Promise<{ code: string; detail?: string } | null> {
    const mandatory = ['client_id', 'scope', 'timestamp', 'state', 'redirect_uri', 'client_secret', 'client_certificate_hash'];
    const missing = mandatory.filter((k) => !p.get(k));
    if (missing.includes('scope')) return { code: '007013' };
    if (missing.length) return { code: '007014', detail: `[${missing.join(', ')}]` };
    if (p.get('client_id') !== this.o.clientId) return { code: '007005' };
    if (!this.o.redirectUris.includes(p.get('redirect_uri')!)) return { code: '007023' };
    const ts = parseEsiaTimestamp(p.get('timestamp')!);
    if (!ts || Math.abs(ts.getTime() / 1000 - this.now()) > (this.o.maxClockSkewSeconds ?? 300)) return { code: '007015' };
    if (!isUuidState(p.get('state')!)) return { code: '007003', detail: '[state]' };
    if (p.get('client_certificate_hash')!.toUpperCase() !== this.o.clientKey.certificateHash) return { code: '007053' };
    const message = esiaSignedString({
      clientId: p.get('client_id')!, scope: p.get('scope')!, scopeOrg: p.get('scope_org') ?? '', timestamp: p.get('timestamp')!,
      state: p.get('state')!, redirectUri: p.get('redirect_uri')!, code,
    });
    const sig = Buffer.from(p.get('client_secret')!.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
    if (!(await this.o.clientKey.verify(Buffer.from(message, 'utf8'), sig))) return { code: '007053' };
    return null;
  }

  private errorBody(code: string, detail: string | undefined, state: string | null) {
    const error = code === '007023' || code === '007005' ? 'unauthorized_client' : code === '007011' ? 'invalid_grant' : code === '007009' ? 'unsupported_grant_type' : 'invalid_request';
    return { error, error_description: `ESIA-${code}: ${ERR_TEXT[code] ?? 'error'}${detail ? ` ${detail}` : ''}`, ...(state ? { state } : {}) };
  }

  private async authorize(url: URL, res: ServerResponse): Promise<void> {
    const p = url.searchParams;
    const problem = await this.checkClient(p);
    const state = p.get('state');
    if (problem) {
      this.record('ac', problem.code);
      const body = this.errorBody(problem.code, problem.detail, state);
      const redirect = p.get('redirect_uri');
      // An unknown client or redirect URI cannot be trusted with a redirect: an error page instead.
      if (!redirect || problem.code === '007023' || problem.code === '007005' || !this.o.redirectUris.includes(redirect)) {
        return json(res, 400, body);
      }
      const back = new URL(redirect);
      for (const [k, v] of Object.entries(body)) back.searchParams.set(k, v);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    this.record('ac');
    const login = { redirectUri: p.get('redirect_uri')!, state: state!, scope: p.get('scope')! };
    if (this.o.autoLoginOid) return this.issueCode(res, this.o.autoLoginOid, login);
    const tx = randomUUID();
    this.pendingLogins.set(tx, login);
    const options = this.o.accounts.map((a) => `<option value="${a.oid}">Учётная запись ${a.oid}</option>`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Госуслуги (тестовый стенд)</title></head><body>
<h1>Вход через Госуслуги — тестовый стенд</h1><p>Это имитация ЕСИА для тестов; настоящих данных здесь нет.</p>
<form method="post" action="/fake/login"><input type="hidden" name="tx" value="${tx}">
<label>Учётная запись <select name="oid">${options}</select></label>
<button type="submit" name="decision" value="allow">Войти и разрешить доступ</button>
<button type="submit" name="decision" value="deny">Отказать</button></form></body></html>`);
  }

  private async loginForm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const login = this.pendingLogins.get(form.get('tx') ?? '');
    if (!login) return json(res, 400, { error: 'invalid_request', error_description: 'ESIA-007003: unknown login transaction' });
    this.pendingLogins.delete(form.get('tx')!);
    if (form.get('decision') === 'deny') {
      const back = new URL(login.redirectUri);
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'ESIA-007004: The resource owner or authorization server denied the request');
      back.searchParams.set('state', login.state);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    return this.issueCode(res, form.get('oid') ?? '', login);
  }

  private issueCode(res: ServerResponse, oid: string, login: { redirectUri: string; state: string; scope: string }): void {
    const now = this.now();
    const code = this.jwt({ sbt: 'authorization_code' }, {
      iss: this.issuer, nbf: now, iat: now, exp: now + 240, client_id: this.o.clientId, 'urn:esia:sbj_id': Number(oid), auth_mthd: 'PWD',
      acr: { '2fa': 'otp' }, jti: randomUUID(),
    });
    this.codes.set(code, { oid, scope: login.scope, redirectUri: login.redirectUri, expires: now + 240, used: false });
    const back = new URL(login.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', login.state);
    res.writeHead(302, { location: back.toString() }).end();
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = String(req.headers['content-type'] ?? '');
    const raw = await readBody(req);
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      this.record('te', '007014');
      return json(res, 400, this.errorBody('007014', '[state, client_id]', null));
    }
    const p = new URLSearchParams(raw);
    const state = p.get('state');
    const grant = p.get('grant_type');
    const fail = (code: string, detail?: string) => {
      this.record('te', code);
      json(res, 400, this.errorBody(code, detail, state));
    };
    if (grant !== 'authorization_code' && grant !== 'refresh_token') return fail(grant ? '007009' : '007014', grant ? undefined : '[grant_type]');
    if (grant === 'authorization_code' && !p.get('code')) return fail('007014', '[code]');
    if (grant === 'refresh_token' && !p.get('refresh_token')) return fail('007014', '[refresh_token]');
    const problem = await this.checkClient(p, grant === 'authorization_code' ? p.get('code')! : undefined);
    if (problem) return fail(problem.code, problem.detail);
    let oid: string;
    let scope: string;
    if (grant === 'authorization_code') {
      const c = this.codes.get(p.get('code')!);
      if (!c || c.used || c.expires < this.now()) return fail('007011');
      if (c.redirectUri !== p.get('redirect_uri')) return fail('007023');
      c.used = true;
      oid = c.oid;
      scope = c.scope;
    } else {
      const r = this.refreshTokens.get(p.get('refresh_token')!);
      if (!r) return fail('007011');
      this.refreshTokens.delete(p.get('refresh_token')!); // rotation: a refresh token is good once
      oid = r.oid;
      scope = r.scope;
    }
    const account = this.o.accounts.find((a) => a.oid === oid);
    if (!account) return fail('007011');
    this.record('te');
    const now = this.now();
    const ttl = this.o.accessTokenSeconds ?? 3600;
    const sid = randomUUID();
    const accessToken = this.jwt({ sbt: 'access' }, {
      iss: this.issuer, nbf: now, iat: now, exp: now + ttl, client_id: this.o.clientId, 'urn:esia:sid': sid, 'urn:esia:sbj_id': Number(oid),
      scope: scope.split(' ').map((s) => `${s}?oid=${oid}`).join(' '),
    });
    this.accessTokens.set(accessToken, { oid, exp: now + ttl });
    const refreshToken = randomUUID();
    this.refreshTokens.set(refreshToken, { oid, scope, redirectUri: p.get('redirect_uri')! });
    const body: Record<string, unknown> = { access_token: accessToken, refresh_token: refreshToken, expires_in: ttl, state, token_type: 'Bearer' };
    if (scope.split(' ').includes('openid')) {
      body.id_token = this.jwt({ sbt: 'id' }, {
        iss: this.issuer, aud: this.o.clientId, sub: Number(oid), nbf: now, iat: now, exp: now + ttl, auth_time: now, amr: 'PWD',
        'urn:esia:amd': 'PWD', 'urn:esia:sid': sid,
        'urn:esia:sbj': { 'urn:esia:sbj:typ': 'P', 'urn:esia:sbj:is_tru': account.trusted, 'urn:esia:sbj:oid': Number(oid), 'urn:esia:sbj:nam': `OID.${oid}` },
      });
    }
    json(res, 200, body);
  }

  private rest(req: IncomingMessage, res: ServerResponse, oid: string, kids: boolean, url: URL): void {
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const t = this.accessTokens.get(token);
    if (!t || t.exp < this.now()) {
      this.record('rs', 'unauthorized');
      return json(res, 401, { error: 'invalid_token' });
    }
    if (t.oid !== oid) {
      this.record('rs', 'forbidden');
      return json(res, 403, { error: 'access_denied', error_description: 'ESIA-007019: no access' });
    }
    const a = this.o.accounts.find((x) => x.oid === oid)!;
    this.record(kids ? 'kids' : 'prns');
    if (!kids) {
      return json(res, 200, {
        stateFacts: ['EntityRoot'], firstName: a.firstName, lastName: a.lastName, middleName: a.middleName, birthDate: esiaDate(a.birthDate),
        trusted: a.trusted, ...(a.snils ? { snils: esiaSnils(a.snils) } : {}), status: 'REGISTERED', verifying: false,
      });
    }
    const embed = (url.searchParams.get('embed') ?? '').includes('elements');
    const elements = a.kids.map((k) => embed
      ? { stateFacts: ['Identifiable'], id: Number(k.id), firstName: k.firstName, lastName: k.lastName, middleName: k.middleName,
          birthDate: esiaDate(k.birthDate), ...(k.snils ? { snils: esiaSnils(k.snils) } : {}) }
      : `${this.baseUrl}/rs/prns/${oid}/kids/${k.id}`);
    json(res, 200, { stateFacts: ['hasSize'], size: elements.length, elements });
  }

  private logout(url: URL, res: ServerResponse): void {
    if (url.searchParams.get('client_id') !== this.o.clientId) {
      this.record('logout', '007005');
      return json(res, 400, this.errorBody('007005', undefined, null));
    }
    this.record('logout');
    this.loggedOut.push(url.searchParams.get('client_id')!);
    const back = url.searchParams.get('redirect_url');
    if (back) res.writeHead(302, { location: back }).end();
    else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Вы вышли из ЕСИА (тестовый стенд)');
  }

  private jwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
    const h = Buffer.from(JSON.stringify({ ver: 1, typ: 'JWT', alg: 'RS256', ...header })).toString('base64url');
    const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const sig = rsaSign('sha256', Buffer.from(`${h}.${p}`), createPrivateKey(this.o.tokenKeyPem));
    return `${h}.${p}.${sig.toString('base64url')}`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
