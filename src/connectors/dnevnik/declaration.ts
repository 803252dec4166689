// Дневник.ру partner REST API v2 (platforms.md §3): the one declaration the registry, `map --list` and
// docs/platforms/dnevnik.md read. Tags follow platforms.md: [V] read in a public client, [U] guessed.
import * as z from 'zod';
import { defineConnector } from '../contract.js';
import { DNEVNIK_UNCARRIED } from '../../mappers/dnevnik/uncarried.js';
import { connectorRateLimit } from '../http/rate-limit-schema.js';
import { CANNOT_DELETE } from './mark-cells.js';

/** One instance (a partner application on one host) and the account it reads with. */
export const dnevnikConfig = z.object({
  /** Origin of the partner API, e.g. `https://api.dnevnik.ru` (routes add `/v2/…`). */
  baseUrl: z.url(),
  auth: z.discriminatedUnion('kind', [
    /** Partner OAuth: an authorization code exchanged at `POST /v2/authorizations`, refreshed there. */
    z.object({ kind: z.literal('partner_oauth'), clientId: z.string().min(1), clientSecret: z.string().min(1), code: z.string().min(1).optional(), refreshToken: z.string().min(1).optional() }),
    /** `POST /v2/authorizations/bycredentials` (login + password of an account, partner client id/secret). */
    z.object({ kind: z.literal('password'), clientId: z.string().min(1), clientSecret: z.string().min(1), username: z.string().min(1), password: z.string().min(1) }),
    /** A token pasted by the operator (no re-login possible). */
    z.object({ kind: z.literal('imported_token'), accessToken: z.string().min(1) }),
  ]),
  /** Scopes asked for at login. */
  scope: z.string().default('Schools,Relatives,EduGroups,Lessons,marks,EduWorks,EducationalInfo,CommonInfo'),
  /** The school's IANA zone; when absent it is derived from `School.timeZone` (an hour offset). */
  timeZone: z.string().optional(),
  /** Unpaged range routes: one request covers at most this many days (platforms.md §3.5). */
  windowDays: z.number().int().min(1).max(31).default(7),
  /** Budget of the instance. `windowMarginMs` widens the limiter's 1 s window (default 10 ms; see
   * src/connectors/http/completion-window.ts for why jitter needs no larger margin). */
  rateLimit: connectorRateLimit({ requestsPerSecond: 5, concurrency: 4 }),
});
export type DnevnikConfig = z.infer<typeof dnevnikConfig>;

const r = (name: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', capability: 'roster.read' | 'journal.read' | 'finals.read' | 'marks.write' | 'attendance.write' | 'lessons.write', tag: 'V' | 'U' = 'V') =>
  ({ name, method, path: `/v2/${name}`, capability, tag }) as const;

export const dnevnikDeclaration = defineConnector({
  platform: 'dnevnik',
  system: 'dnevnik_ru',
  uncarried: DNEVNIK_UNCARRIED,
  // One status, Absent, for an absence without a valid reason (docs/platforms/dnevnik.md "Values folded").
  folds: ['unexcused-as-unknown'],
  // No documented route removes a mark (platforms.md §3.4): the writer refuses it, and the dry runs predict it.
  refusesWrites: { mark: { delete: CANNOT_DELETE } },
  title: 'Дневник.ру (партнёрский API v2)',
  capabilities: ['roster.read', 'journal.read', 'finals.read', 'marks.write', 'attendance.write', 'lessons.write'],
  authKinds: ['partner_oauth', 'password', 'imported_token'],
  configSchema: dnevnikConfig,
  // Last year's final marks in the autumn: last year's groups by the ids the gateway linked then (year-groups.ts) [U].
  pastYearFinals: 'by-linked-ids',
  // A one-off journal read of an earlier year: its lessons, marks and attendance by the same linked group ids [U]
  // (docs/platforms/dnevnik.md "Last year's journal"); no roster, no snapshot deletes (src/sync/past-year-window.ts).
  pastYearJournal: 'by-linked-ids',
  routes: [
    r('users/me/context', 'GET', 'roster.read'),
    r('schools/{id}', 'GET', 'roster.read'),
    r('schools/{id}/edu-groups', 'GET', 'roster.read'),
    r('edu-groups/{id}/persons', 'GET', 'roster.read'),
    // One group by id: last year's, which `schools/{id}/edu-groups` no longer lists (year-groups.ts).
    r('edu-groups/{id}', 'GET', 'finals.read'),
    r('edu-groups/{id}/reporting-periods', 'GET', 'roster.read'),
    r('schools/{id}/subjects', 'GET', 'roster.read'),
    r('schools/{id}/teachers', 'GET', 'roster.read'),
    r('schools/{id}/membership', 'GET', 'roster.read'),
    r('users/{id}/relatives', 'GET', 'roster.read'),
    r('work-types/{school}', 'GET', 'journal.read'),
    r('marks/values', 'GET', 'journal.read'),
    r('edu-groups/{g}/lessons/{from}/{to}', 'GET', 'journal.read'),
    r('works', 'GET', 'journal.read'),
    r('edu-groups/{g}/marks/{from}/{to}', 'GET', 'journal.read'),
    r('lesson-log-entries/group/{g}', 'GET', 'journal.read'),
    // The lessons a marks page names that no lessons page of the run listed (a mark set late, lessons-seen.ts); the
    // route is listed in platforms.md §3.6, its body (a list of ids, as users/many) is not.
    r('lessons/many', 'POST', 'journal.read', 'U'),
    // Every mark of a lesson, when a marks page holds one dated off its lesson's day (lessons-seen.ts).
    r('lessons/{id}/marks', 'GET', 'journal.read'),
    r('edu-groups/{g}/final-marks', 'GET', 'finals.read'),
    r('works#post', 'POST', 'marks.write'),
    // The mark the gateway wrote before, read back before it is written again: which column it is in (mark-cells.ts).
    r('marks/{id}', 'GET', 'marks.write'),
    // The body of this route is not public (platforms.md §6.3 item 3): see src/mappers/dnevnik/write-bodies.ts.
    r('persons/{p}/works/{w}/mark', 'POST', 'marks.write', 'U'),
    r('lessons/{lesson}/log-entries', 'PUT', 'attendance.write'),
    r('lessons/{lesson}/log-entries#delete', 'DELETE', 'attendance.write'),
    // A lesson's homework as a work of type Homework: the route is [V], the type's value is not (codes.ts).
    r('works#homework', 'POST', 'lessons.write', 'U'),
  ].map((x) => ({ ...x, path: x.path.replace(/#.*$/, '') })),
  mapperVersion: 'dnevnik-1',
});
