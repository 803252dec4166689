// Staff access to the web server (issue 10): a Russian login form checked against `web.staff` (scrypt hashes),
// an opaque session cookie from the same SessionStore as the parents' diary, logout, a lockout after repeated
// failures, and the pages behind it: reports from the CLI's report registry (school-scoped), the status page,
// and — mounted by queue-board.ts — Bull Board. A school that exists but is outside the account's scope is
// «не найдено», the same page as a school that does not exist.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { SchoolConfig } from '../../config/schema.js';
import { type StatusData } from '../../ops/status.js';
import { statusPage } from '../../ops/status-page.js';
import { findSchool, reportOptionsOf } from '../../reports/find-school.js';
import { REPORT_FORMATS, ReportInputError, isReportKind, renderReport, reportFromStore, type ReportFormat } from '../../reports/index.js';
import type { Store } from '../../store/index.js';
import { crossOrigin, crossOriginWithoutToken } from '../origin.js';
import { SessionStore, sameToken, type Session } from '../sessions.js';
import { canSeeSchool, type StaffDirectory, type StaffScope } from './accounts.js';
import { reportsListPage, staffErrorPage, staffHomePage, staffLoginPage, staffNotFoundPage, type SchoolChoice, type StaffView } from './pages.js';
import { QUEUE_BOARD_PATH } from './queue-board.js';
import { scopeStatus } from './scope-status.js';
import { LoginThrottle } from './throttle.js';

export interface StaffSessionData {
  login: string;
  scope: StaffScope;
}
export type StaffSession = Session<StaffSessionData>;

export interface StaffRoutesOptions {
  directory: StaffDirectory;
  store: Store;
  schools: readonly SchoolConfig[];
  logger: Logger;
  secure: boolean;
  sessionTtlMinutes?: number;
  /** The status page's data (ops/status.ts); absent: no status page. */
  status?: () => Promise<StatusData>;
  /** Whether a queue dashboard is mounted at /staff/queues (a link on the home page). */
  queueBoard?: boolean;
  throttle?: LoginThrottle;
}

export interface StaffAuth {
  sessions: SessionStore<StaffSessionData>;
  /** The staff session of a request, or null. */
  sessionOf(req: FastifyRequest): StaffSession | null;
  /** A request without a staff session is answered here (login redirect or 401) and gets null. */
  requireStaff(req: FastifyRequest, reply: FastifyReply): StaffSession | null;
}

/** Only our own staff pages are followed after login: no open redirect. */
const safeNext = (next: unknown): string => (typeof next === 'string' && /^\/staff(\/[\w\-./?=&%]*)?$/.test(next) && !next.includes('//') ? next : '/staff');

const REFUSED = 'Неверный логин или пароль.';

export function registerStaffRoutes(app: FastifyInstance, o: StaffRoutesOptions): StaffAuth {
  const ttlMinutes = o.sessionTtlMinutes ?? 30;
  const sessions = new SessionStore<StaffSessionData>(ttlMinutes * 60_000);
  const throttle = o.throttle ?? new LoginThrottle();
  const log = o.logger.child({ component: 'staff' });
  const COOKIE = o.secure ? '__Host-jg_staff' : 'jg_staff';
  // Strict: a staff page opened from another site arrives without the cookie, so no cross-site request acts as staff.
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: o.secure };

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const sessionOf = (req: FastifyRequest) => sessions.get(req.cookies[COOKIE]);
  const view = (s: StaffSession): StaffView => ({ csrf: s.csrf, login: s.login });
  const requireStaff = (req: FastifyRequest, reply: FastifyReply): StaffSession | null => {
    const s = sessionOf(req);
    if (s) return s;
    // A page is sent to the login form; an API call (Bull Board's fetches) gets a plain 401 it can show.
    if (req.method === 'GET' && !req.url.startsWith(`${QUEUE_BOARD_PATH}/api/`)) void reply.redirect(`/staff/login?next=${encodeURIComponent(req.url)}`, 303);
    else void reply.code(401).type('application/json; charset=utf-8').send({ error: 'staff login required' });
    return null;
  };

  app.get('/staff/login', async (req, reply) => {
    if (sessionOf(req)) return reply.redirect('/staff', 303);
    const { next } = req.query as { next?: string };
    return html(reply, 200, staffLoginPage({ next: safeNext(next) }));
  });

  app.post('/staff/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const login = typeof body.login === 'string' ? body.login.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    if (crossOriginWithoutToken(req)) {
      log.warn({ step: 'staff-login', error: 'cross-origin' }, 'form refused');
      return html(reply, 403, staffLoginPage({ message: 'Форма отправлена с чужого сайта. Откройте страницу входа заново.' }));
    }
    // Counted now, before the slow password check (throttle.ts `attempt`): simultaneous guesses cannot all pass.
    const wait = throttle.attempt(login, req.ip);
    if (wait > 0) {
      log.warn({ step: 'staff-login', outcome: 'locked' }, 'staff login refused');
      return html(reply.header('retry-after', String(Math.ceil(wait / 1000))), 429,
        staffLoginPage({ message: `Слишком много неудачных попыток входа. Повторите через ${Math.ceil(wait / 60_000)} мин.`, next }));
    }
    const account = login && password ? await o.directory.authenticate(login, password) : null;
    if (!account) {
      // The log names neither the login nor the password; the page does not say which of the two was wrong.
      log.warn({ step: 'staff-login', outcome: 'refused' }, 'staff login refused');
      return html(reply, 401, staffLoginPage({ message: REFUSED, next, login }));
    }
    throttle.succeeded(login, req.ip);
    // A fresh session id on every login (no fixation); any earlier staff session of this browser ends.
    sessions.destroy(req.cookies[COOKIE]);
    const s = sessions.create({ login: account.login, scope: account.scope });
    reply.setCookie(COOKIE, s.id, { ...cookieOpts, maxAge: ttlMinutes * 60 });
    log.info({ step: 'staff-login', account: account.ref, scope: account.scope === 'all' ? 'all' : account.scope.length }, 'staff login');
    return reply.redirect(next, 303);
  });

  app.post('/staff/logout', async (req, reply) => {
    const s = sessionOf(req);
    if (!s) return reply.redirect('/staff/login', 303);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (!sameToken(body._csrf, s.csrf) || crossOrigin(req)) return html(reply, 403, staffErrorPage('Форма устарела', 'Обновите страницу и попробуйте снова.', view(s)));
    sessions.destroy(s.id);
    reply.clearCookie(COOKIE, cookieOpts);
    return reply.redirect('/staff/login', 303);
  });

  app.get('/staff', async (req, reply) => {
    const s = requireStaff(req, reply);
    if (!s) return reply;
    return html(reply, 200, staffHomePage(view(s), { status: !!o.status, queues: !!o.queueBoard && s.scope === 'all' }));
  });

  app.get('/staff/reports', async (req, reply) => {
    const s = requireStaff(req, reply);
    if (!s) return reply;
    return html(reply, 200, reportsListPage(view(s), await visibleSchools(o.store, s.scope)));
  });

  app.get('/staff/reports/:kind', async (req, reply) => {
    const s = requireStaff(req, reply);
    if (!s) return reply;
    const { kind } = req.params as { kind: string };
    if (!isReportKind(kind)) return html(reply, 404, staffNotFoundPage(view(s)));
    // A parameter given twice (a hand-edited or doubled bookmark) arrives as a list: name it, do not guess which.
    const given = req.query as Record<string, string | string[] | undefined>;
    const repeated = ['format', 'school', 'period', 'class'].find((k) => Array.isArray(given[k]));
    if (repeated) return html(reply, 400, staffErrorPage('Неверный запрос', `Параметр ${repeated} указан несколько раз; укажите его один раз.`, view(s)));
    const q = given as Record<string, string | undefined>;
    const format = q.format || 'html';
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) return html(reply, 400, staffErrorPage('Неверный запрос', `Неизвестный формат «${format}»; возможны: ${REPORT_FORMATS.join(', ')}.`, view(s)));
    if (!q.school) return html(reply, 400, staffErrorPage('Неверный запрос', 'Не указана школа (параметр school).', view(s)));
    if (!q.period) return html(reply, 400, staffErrorPage('Неверный запрос', 'Не указан период (параметр period): учебный период, месяц ГГГГ-ММ или дата ГГГГ-ММ-ДД.', view(s)));
    const found = await findSchool(o.store, o.schools, q.school);
    if (!found.found || !canSeeSchool(s.scope, found.id)) return html(reply, 404, staffNotFoundPage(view(s)));
    let text: string;
    try {
      const report = await reportFromStore(o.store, kind, found.id, q.period, reportOptionsOf(found.config, q.class));
      text = renderReport(report, format as ReportFormat);
    } catch (e) {
      if (e instanceof ReportInputError) return html(reply, 400, staffErrorPage('Отчёт не сформирован', e.message, view(s)));
      throw e;
    }
    log.info({ step: 'report', kind, format }, 'report served');
    if (format === 'html') return html(reply, 200, text);
    const file = `${kind}-${q.period.replace(/[^\w.-]+/g, '_')}.${format}`;
    return reply.code(200).type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`).send(text);
  });

  if (o.status) {
    const status = o.status;
    app.get('/staff/status', async (req, reply) => {
      const s = requireStaff(req, reply);
      if (!s) return reply;
      return html(reply, 200, statusPage(scopeStatus(await status(), s.scope)));
    });
  }

  return { sessions, sessionOf, requireStaff };
}

async function visibleSchools(store: Store, scope: StaffScope): Promise<SchoolChoice[]> {
  const out: SchoolChoice[] = [];
  for await (const org of store.iterate('organization')) {
    if (org.entity === 'organization' && org.type === 'school' && org.status !== 'deleted' && canSeeSchool(scope, org.id)) out.push({ id: org.id, name: org.name });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}
