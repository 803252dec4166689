// ЭПОС.Школа (Perm) — a fork of the classic МЭШ code base (platforms.md §2): the one declaration the
// registry, `map --list` and docs/platforms/epos.md read. Tags follow platforms.md: [V] read in a public
// ЭПОС client, [A] by analogy with МЭШ, [S] secondary survey, [U] the gateway's assumption.
import * as z from 'zod';
import { defineConnector, type Capability, type ConfidenceTag } from '../contract.js';
import { connectorRateLimit } from '../http/rate-limit-schema.js';

export const eposConfig = z.object({
  /** Origin of the host: `https://school.permkrai.ru` (2022) or `https://edu-epos.permkrai.ru` (2026 [S]). */
  baseUrl: z.url(),
  auth: z.discriminatedUnion('kind', [
    /** МЭШ-classic direct login `POST lms/api/sessions {login, password_plain}` [A] (likely closed on ЭПОС since the Госуслуги move [S]). */
    z.object({ kind: z.literal('password'), login: z.string().min(1), password: z.string().min(1) }),
    /**
     * The `auth_token` cookie a browser holds after the Госуслуги/Keycloak login (§2.3 b [S]), exchanged for a
     * session at `POST lms/api/sessions {auth_token}` (§2.3 a step 6 [V]). Renewable with the same cookie
     * until the cookie itself expires; then only a new import helps.
     */
    z.object({ kind: z.literal('imported_token'), authToken: z.string().min(1) }),
  ]),
  /** The profile (`pid`) to act as; default the session's first profile. An administrator profile reads the whole school. */
  profileId: z.number().int().positive().optional(),
  /** School zone: Perm is UTC+5 (§2.6). */
  timeZone: z.string().default('Asia/Yekaterinburg'),
  /** Days per schedule/marks/attendance request. */
  windowDays: z.number().int().min(1).max(31).default(7),
  /** Groups per class-level request (`group_id`/`group_ids` take comma lists, §2.4). */
  groupsPerRequest: z.number().int().min(1).max(50).default(10),
  /**
   * Read homework (`core/api/student_homeworks`): per block of up to 28 days, one request per pupil of the few
   * that cover every group (connectors/epos/homework.ts). Off: lessons come without homework, as before.
   */
  readHomework: z.boolean().default(true),
  /** How long after the day it is set homework may be due and still be found (the route filters by due day). */
  homeworkDueWithinDays: z.number().int().min(1).max(92).default(30),
  /** `per_page` of paged routes; a page shorter than this is the last (§2.6). */
  perPage: z.number().int().min(10).max(1000).default(500),
  // Epos Next throttled itself to 3 requests / 2 s (§6.3 item 5 [S]): one a second stays under it in every second.
  rateLimit: connectorRateLimit({ requestsPerSecond: 1, concurrency: 2 }),
});
export type EposConfig = z.infer<typeof eposConfig>;

type M = 'GET' | 'POST' | 'PUT' | 'DELETE';
const r = (name: string, method: M, capability: Capability, tag: ConfidenceTag) =>
  ({ name, method, path: `/${name.replace(/#.*$/, '')}`, capability, tag });

export const eposDeclaration = defineConnector({
  platform: 'epos',
  system: 'epos',
  title: 'ЭПОС.Школа (Пермский край)',
  // `diary.read`: a pupil's or parent's profile reads the pupil's own lessons, marks and absences through the
  // same routes filtered by `student_profile_id` (§2.4).
  capabilities: ['roster.read', 'journal.read', 'finals.read', 'diary.read', 'marks.write', 'attendance.write'],
  // `core/api/academic_years` lists earlier years too, and every year-scoped read takes `academic_year_id`
  // (connectors/epos/school-year.ts picks it from the scope) [A]: last year's final marks can be read in the autumn.
  pastYearFinals: true,
  authKinds: ['password', 'imported_token'],
  configSchema: eposConfig,
  routes: [
    r('core/api/schools/{id}', 'GET', 'roster.read', 'A'),
    r('core/api/academic_years', 'GET', 'roster.read', 'V'),
    r('core/api/control_forms', 'GET', 'roster.read', 'A'),
    r('jersey/api/groups', 'GET', 'roster.read', 'A'),
    // Which class follows quarters and which half-years, with period ids and dates: a МЭШ web-app route [U].
    r('core/api/attestation_periods_schedules', 'GET', 'roster.read', 'U'),
    r('core/api/teacher_profiles', 'GET', 'roster.read', 'A'),
    r('core/api/student_profiles', 'GET', 'roster.read', 'A'),
    r('jersey/api/schedule_items', 'GET', 'journal.read', 'A'),
    r('core/api/marks', 'GET', 'journal.read', 'A'),
    // No public client reads absences; the route is the МЭШ write route read back (§2.5) [U].
    r('core/api/attendances', 'GET', 'journal.read', 'U'),
    // Per pupil, filtered by the due day [A МЭШ]; tied to lessons by group and day set (homework.ts).
    r('core/api/student_homeworks', 'GET', 'journal.read', 'A'),
    r('core/api/marks#post', 'POST', 'marks.write', 'A'),
    r('core/api/marks/{id}#put', 'PUT', 'marks.write', 'A'),
    r('core/api/marks/{id}#delete', 'DELETE', 'marks.write', 'A'),
    r('core/api/attendances#post', 'POST', 'attendance.write', 'A'),
  ],
  mapperVersion: 'epos-1',
  // No public route deletes an absence (§2.5): the writer refuses it, and the dry runs predict it.
  refusesWrites: { attendance_record: { delete: 'epos: no public route deletes an absence (§2.5)' } },
  // A written mark or absence is stamped by the platform with the writing account and the time of the write.
  unwritable: { mark: ['recordedAt', 'recordedBy'], attendance_record: ['recordedAt', 'recordedBy'] },
  uncarried: {
    person: ['emails', 'phones', 'username', 'identifiers', 'enabled', 'preferredGivenName'],
    section: ['weeklyHours', 'periods'],
    // A work is derived from its marks (lesson × control form): ЭПОС has no work object with a title or due date.
    work: ['title', 'dueDate'],
    lesson: ['recordedAt', 'recordedBy'],
    mark: ['publishedToFamilyAt'],
    attendance_record: ['rawCode'],
    final_mark: ['isCurrent'],
    guardian_link: ['isPrimaryContact', 'livesWith', 'emergency', 'accessScope', 'digitalAccess', 'verifiedAt', 'verifiedBy'],
  },
});
