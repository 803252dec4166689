// The parents' diary (DECISIONS.md §9; esia.md §8): login through ESIA (or a generic OpenID provider),
// our own opaque session cookie (HttpOnly, SameSite=Lax, Secure behind TLS), CSRF-checked forms,
// `Cache-Control: no-store` everywhere, and R-25: a parent sees only verified, linked children — any
// other pupil id is «не найдено», byte for byte the same page as an id that does not exist.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { grantsAccess, guardianLinkId, linkChildren, type LinkOutcome } from '../auth/children.js';
import { esiaKidOf, type EsiaClient, type EsiaKid } from '../auth/esia/client.js';
import type { GenericOidcLogin } from '../auth/oidc/generic.js';
import type { GuardianLinkRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import { childSummary, pupilDiary } from './diary.js';
import { loginFailure } from './login-failure.js';
import { LoginStartLimit, type StartRefusal } from './login-start-limit.js';
import { crossOrigin, trustPublicOrigin } from './origin.js';
import { childrenPage, diaryPage, errorPage, loginPage, notFoundPage, problemPage } from './render.js';
import { staffErrorPage } from './staff/pages.js';
import { SessionStore, sameToken, type Session } from './sessions.js';
import type { TrustProxySetting } from './trust-proxy.js';

export interface DiaryServerOptions {
  store: Store;
  logger: Logger;
  esia?: { client: EsiaClient; requireTrustedAccount?: boolean };
  oidc?: { login: GenericOidcLogin; childrenClaim?: string; postLogoutRedirectUri?: string };
  /** https public origin → Secure cookies with the __Host- prefix. */
  secure: boolean;
  /** `web.publicUrl`: its origin is ours whatever Host header a reverse proxy passes on (origin.ts). */
  publicUrl?: string;
  sessionTtlMinutes?: number;
  /** Whose X-Forwarded-For gives the client's address (the staff lockout counts by it): src/web/trust-proxy.ts. */
  trustProxy?: TrustProxySetting;
  /** How many logins an address may start, and how many sign at once (login-start-limit.ts); the defaults unless given. */
  loginStarts?: LoginStartLimit;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The headers of every answer of the server. */
function securityHeaders(reply: FastifyReply, url: string): void {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  // Login and callback URLs carry state and code: no Referer at all. Elsewhere same-origin only, so
  // the browser still sends Origin on our own forms (the CSRF check below).
  reply.header('referrer-policy', /^\/(login|auth)\//.test(url) || url === '' ? 'no-referrer' : 'same-origin');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
}

export function buildDiaryServer(o: DiaryServerOptions): { app: FastifyInstance; sessions: SessionStore } {
  const log = o.logger.child({ component: 'web' });
  const app = Fastify({
    trustProxy: o.trustProxy ?? false, logger: false,
    // A URL the router cannot decode (a bad percent-escape) is refused before any hook or the error handler runs:
    // Fastify's own JSON answer echoed the whole URL, query string included, without our headers or a log line.
    frameworkErrors: (err, _req, res) => {
      const reply = res as unknown as FastifyReply;
      log.info({ error: err.code, status: 400 }, 'request refused');
      securityHeaders(reply, '');
      void reply.code(400).type('text/html; charset=utf-8')
        .send(problemPage('Неверный запрос', 'Адрес страницы записан с ошибкой. Откройте её по ссылке ещё раз.'));
    },
  });
  trustPublicOrigin(app, o.publicUrl);
  const sessions = new SessionStore((o.sessionTtlMinutes ?? 30) * 60_000);
  const SESSION = o.secure ? '__Host-jg_session' : 'jg_session';
  const LOGIN = o.secure ? '__Host-jg_login' : 'jg_login';
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: o.secure };

  void app.register(cookie);
  void app.register(formbody);

  app.addHook('onSend', async (req, reply, payload) => {
    securityHeaders(reply, req.url);
    return payload;
  });
  // One line per request with the route pattern only: never a query string (code, state) or a pupil id.
  app.addHook('onResponse', async (req, reply) => {
    log.info({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const sessionOf = (req: FastifyRequest): Session | null => sessions.get(req.cookies[SESSION]);

  app.get('/healthz', async () => ({ ok: true }));

  // a pupil is shown only when in this login's verified list AND linked to this parent in the store by an
  // active, verified, full-scope guardian_link (checked on every request: a revocation ends access at once).
  const mayRead = async (s: Session, id: string) => UUID_RE.test(id) && s.studentIds.includes(id)
    && grantsAccess((await o.store.get(guardianLinkId(id, s.guardianId))) as GuardianLinkRecord | null, s.guardianId);

  app.get('/', async (req, reply) => {
    const s = sessionOf(req);
    if (!s) return html(reply, 200, loginPage({ esia: !!o.esia, oidc: !!o.oidc }));
    // The same check as a pupil page: a link the school revoked during the session hides the child at once.
    const children = [];
    for (const id of s.studentIds) {
      if (!(await mayRead(s, id))) continue;
      const c = await childSummary(o.store, id);
      if (c) children.push(c);
    }
    return html(reply, 200, childrenPage(children, s.pendingReview, s));
  });

  app.get('/pupil/:id', async (req, reply) => {
    const s = sessionOf(req);
    if (!s) return reply.redirect('/', 303);
    const { id } = req.params as { id: string };
    const diary = (await mayRead(s, id)) ? await pupilDiary(o.store, id) : null;
    if (!diary) return html(reply, 404, notFoundPage(s));
    return html(reply, 200, diaryPage(diary, s));
  });

  /**
   * A login begun, finished or failed ends the parent session the browser came with: on a shared computer the next
   * person's login — or their cancelled one — must not leave them looking at the previous parent's children. That
   * holds for a login started from another site's link too (a school's website), so such a link logs a parent out:
   * a nuisance, where the other way round shows one family's children to the next person at that computer. A
   * callback ends it only when it carries this browser's login transaction: a forged one changes nothing.
   */
  const endBrowserSession = (req: FastifyRequest, reply: FastifyReply) => {
    if (req.cookies[SESSION] === undefined) return;
    sessions.destroy(req.cookies[SESSION]);
    reply.clearCookie(SESSION, cookieOpts);
  };

  const startSession = (reply: FastifyReply, provider: 'esia' | 'oidc', outcome: LinkOutcome) => {
    const s = sessions.create({ guardianId: outcome.guardianId, studentIds: outcome.studentIds, pendingReview: outcome.candidates + outcome.ambiguous, provider });
    reply.setCookie(SESSION, s.id, { ...cookieOpts, maxAge: (o.sessionTtlMinutes ?? 30) * 60 });
    log.info({ provider, children: outcome.studentIds.length, candidates: outcome.candidates, unmatched: outcome.unmatched, ambiguous: outcome.ambiguous, declined: outcome.declined }, 'login');
    return reply.redirect('/', 303);
  };

  // ESIA down is «не отвечают, попробуйте позже» (502), not «не подтвердили вход… сообщите в школу», and the log line
  // says which step failed and why (login-failure.ts): a timeout, a gateway's page, an ESIA code, a token check.
  const loginFailed = (reply: FastifyReply, step: string, provider: 'esia' | 'oidc', e: unknown, extra: Record<string, unknown> = {}) => {
    const f = loginFailure(e, provider);
    if (f.kind === 'internal') log.error({ step, ...f.log, ...extra }, 'login failed');
    else log.warn({ step, ...f.log, ...extra }, 'login failed');
    return html(reply, f.status, errorPage(f.message));
  };

  // A start refused by the limit signs nothing and begins no login transaction (login-start-limit.ts).
  const loginStarts = o.loginStarts ?? new LoginStartLimit();
  const startRefused = (req: FastifyRequest, reply: FastifyReply, provider: 'esia' | 'oidc', r: StartRefusal) => {
    // Behind a reverse proxy that `web.trustProxy` does not name, every parent has the proxy's address and one limit.
    const hint = r.refused === 'address' && req.headers['x-forwarded-for'] !== undefined && !o.trustProxy
      ? 'requests carry X-Forwarded-For but web.trustProxy is not set: every parent is counted as the proxy\'s address' : undefined;
    log.warn({ provider, refused: r.refused, ...(hint ? { hint } : {}) }, 'login start refused');
    reply.header('retry-after', String(r.retryAfterS));
    return r.refused === 'address'
      ? html(reply, 429, errorPage('Слишком много попыток входа с этого адреса. Попробуйте войти через минуту.'))
      : html(reply, 503, errorPage('Сейчас входит слишком много людей. Попробуйте войти через минуту.'));
  };

  if (o.esia) {
    const esia = o.esia;
    app.get('/login/esia', async (req, reply) => {
      endBrowserSession(req, reply);
      const slot = loginStarts.begin(req.ip);
      if ('refused' in slot) return startRefused(req, reply, 'esia', slot);
      let auth;
      try {
        auth = await esia.client.authorizationRequest();
      } catch (e) {
        // The signer failed (a remote signing service down, the gost engine missing): nothing of a parent is involved
        // yet, so the log carries the signer's own message — the operator's only clue — beside the page's «недоступен».
        return loginFailed(reply, 'esia-start', 'esia', e, { detail: String((e as Error).message).slice(0, 200) });
      } finally {
        slot.done();
      }
      const tx = sessions.beginLogin({ provider: 'esia', state: auth.state });
      reply.setCookie(LOGIN, tx, { ...cookieOpts, maxAge: 600 });
      return reply.redirect(auth.url.toString(), 303);
    });

    app.get('/auth/esia/callback', async (req, reply) => {
      const t = sessions.takeLogin(req.cookies[LOGIN]);
      reply.clearCookie(LOGIN, cookieOpts);
      // Only a login this browser began ends its session here: a forged callback (no transaction) changes nothing.
      if (t) endBrowserSession(req, reply);
      if (!t || t.provider !== 'esia') return html(reply, 400, errorPage('Сеанс входа истёк или уже использован. Начните вход заново.'));
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      try {
        const tokens = await esia.client.exchangeCode(query, t.state);
        const [person, kids] = await Promise.all([esia.client.person(tokens), esia.client.kids(tokens)]);
        const trusted = tokens.subject.trusted || esia.requireTrustedAccount === false;
        const outcome = await linkChildren(o.store, {
          oid: tokens.subject.oid, trusted,
          familyName: typeof person.lastName === 'string' ? person.lastName : undefined,
          givenName: typeof person.firstName === 'string' ? person.firstName : undefined,
          middleName: typeof person.middleName === 'string' ? person.middleName : undefined,
        }, kids, { runId: `login-${randomUUID()}` });
        // access_type=online: the ESIA tokens end here; nothing of them is kept or sent to the browser.
        return startSession(reply, 'esia', outcome);
      } catch (e) {
        return loginFailed(reply, 'esia-callback', 'esia', e);
      }
    });
  }

  if (o.oidc) {
    const oidc = o.oidc;
    app.get('/login/oidc', async (req, reply) => {
      endBrowserSession(req, reply);
      const slot = loginStarts.begin(req.ip);
      if ('refused' in slot) return startRefused(req, reply, 'oidc', slot);
      let start;
      try {
        start = await oidc.login.start(); // discovers the provider at the first login (GenericOidcLogin.deferred)
      } catch (e) {
        return loginFailed(reply, 'oidc-start', 'oidc', e);
      } finally {
        slot.done();
      }
      const tx = sessions.beginLogin({ provider: 'oidc', state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier });
      reply.setCookie(LOGIN, tx, { ...cookieOpts, maxAge: 600 });
      return reply.redirect(start.url.toString(), 303);
    });

    app.get('/auth/oidc/callback', async (req, reply) => {
      const t = sessions.takeLogin(req.cookies[LOGIN]);
      reply.clearCookie(LOGIN, cookieOpts);
      // Only a login this browser began ends its session here: a forged callback (no transaction) changes nothing.
      if (t) endBrowserSession(req, reply);
      if (!t || t.provider !== 'oidc' || !t.nonce || !t.codeVerifier) return html(reply, 400, errorPage('Сеанс входа истёк или уже использован. Начните вход заново.'));
      try {
        const id = await oidc.login.callback(new URLSearchParams(req.url.split('?')[1] ?? ''), { state: t.state, nonce: t.nonce, codeVerifier: t.codeVerifier });
        const raw = oidc.childrenClaim ? id.claims[oidc.childrenClaim] : undefined;
        // The broker passes ESIA's kids through: read as ESIA's (a birth date as DD.MM.YYYY, the middle name), where the
        // DD.MM.YYYY date was compared as is with the pupils' ISO dates and no child without a SNILS ever matched. The
        // claim is not typed: a field of another type is dropped (the child then matches less), not a crash.
        const kids: EsiaKid[] = Array.isArray(raw) ? raw.filter((k): k is Record<string, unknown> => !!k && typeof k === 'object' && !Array.isArray(k)).map(esiaKidOf) : [];
        const outcome = await linkChildren(o.store, {
          oid: id.sub, instance: 'oidc', trusted: true,
          familyName: typeof id.claims.family_name === 'string' ? id.claims.family_name : undefined,
          givenName: typeof id.claims.given_name === 'string' ? id.claims.given_name : undefined,
        }, kids, { runId: `login-${randomUUID()}` });
        return startSession(reply, 'oidc', outcome);
      } catch (e) {
        return loginFailed(reply, 'oidc-callback', 'oidc', e);
      }
    });
  }

  /** Where a logout goes after ours: the provider's own logout (ESIA /idp/ext/Logout with redirect_url), else home. */
  const providerLogout = (provider: unknown): string =>
    provider === 'esia' && o.esia ? o.esia.client.logoutUrl().toString()
      : provider === 'oidc' && o.oidc ? o.oidc.login.endSessionUrl(o.oidc.postLogoutRedirectUri)?.toString() ?? '/' : '/';

  // Logout ends our session first, then the provider's.
  app.post('/logout', async (req, reply) => {
    const s = sessionOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!s) {
      // Our session is over (expired, or the server restarted) but the provider's need not be: the parent who pressed
      // «Выйти» left the next person at a shared computer a «Войти через Госуслуги» that ESIA answered as them. The
      // page's form names the provider; its logout is a link anyone may open, so this asks nothing more of the form
      // than its origin.
      if (crossOrigin(req)) {
        log.warn({ step: 'logout', error: 'origin' }, 'form refused');
        return html(reply, 403, errorPage('Форма устарела. Обновите страницу и попробуйте снова.'));
      }
      if (req.cookies[SESSION] !== undefined) reply.clearCookie(SESSION, cookieOpts);
      const provider = body.provider === 'esia' || body.provider === 'oidc' ? body.provider : undefined;
      log.info({ ...(provider ? { provider } : {}), session: 'expired' }, 'logout');
      return reply.redirect(providerLogout(provider), 303);
    }
    if (!sameToken(body._csrf, s.csrf) || crossOrigin(req)) {
      log.warn({ step: 'logout', error: 'csrf' }, 'form refused');
      return html(reply, 403, errorPage('Форма устарела. Обновите страницу и попробуйте снова.'));
    }
    sessions.destroy(s.id);
    reply.clearCookie(SESSION, cookieOpts);
    log.info({ provider: s.provider }, 'logout');
    return reply.redirect(providerLogout(s.provider), 303);
  });

  app.setNotFoundHandler(async (req, reply) => html(reply, 404, notFoundPage(sessionOf(req) ?? undefined)));
  app.setErrorHandler(async (err, req, reply) => {
    // A request the framework refused (a malformed body, an unsupported content type, a body too large) is the
    // client's error: its own 4xx, not an alert-raising 500.
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      log.info({ error: (err as { code?: string }).code ?? (err as Error).name, status }, 'request refused');
      const message = 'Запрос не принят: форма отправлена в неверном виде. Обновите страницу и попробуйте снова.';
      return html(reply, status, req.url.startsWith('/staff') ? staffErrorPage('Неверный запрос', message) : problemPage('Неверный запрос', message));
    }
    log.error({ error: (err as Error).name }, 'request failed');
    return html(reply, 500, req.url.startsWith('/staff') ? staffErrorPage('Внутренняя ошибка', 'Попробуйте позже.') : problemPage('Внутренняя ошибка', 'Попробуйте позже.'));
  });
  return { app, sessions };
}
