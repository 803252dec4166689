// АСУ РСО = NetSchool «Сетевой город. Образование» web API (platforms.md §1): the one declaration the
// registry, `map --list` and docs/platforms/asurso.md read. Tags follow platforms.md: [V] read in a public
// client, [U] seen only in NetSchool's own front-end scripts (the teacher routes of §1.6).
import * as z from 'zod';
import { defineConnector, type Capability, type ConfidenceTag } from '../contract.js';
import { ASURSO_UNCARRIED } from '../../mappers/asurso/uncarried.js';
import { letterOf } from '../../mappers/asurso/codes.js';
import { connectorRateLimit } from '../http/rate-limit-schema.js';

export const asursoConfig = z.object({
  /** Origin of the host, e.g. `https://asurso.ru` (routes add `/webapi/…`). */
  baseUrl: z.url(),
  /** The school id `scid` of the login form; when absent, `schoolName` is looked up with `schools/search?name=`. */
  schoolId: z.number().int().positive().optional(),
  /** The same `scid`, under the name config/example-region.yaml gives it (`options.loginSchoolId`). */
  loginSchoolId: z.number().int().positive().optional(),
  schoolName: z.string().min(3).optional(),
  auth: z.discriminatedUnion('kind', [
    /** Login + password, salted-MD5 form login (§1.2). `rolegroup` picks a role of a multi-role account. */
    z.object({ kind: z.literal('password'), login: z.string().min(1), password: z.string().min(1), rolegroup: z.number().int().optional() }),
    /**
     * A session captured in a browser after a Госуслуги login (hosts with `logindata.esiaMainAuth`, §1.3):
     * the `at` token, `ver` and the cookies. It cannot be renewed here: when it expires the run stops with
     * an error saying to import a new one.
     */
    z.object({
      kind: z.literal('imported_session'), at: z.string().min(1), ver: z.string().min(1), cookies: z.record(z.string(), z.string()).default({}),
      /** Log the session out at the end of the run (kills the browser session too, lentryd #26). */
      logoutOnClose: z.boolean().default(true),
    }),
  ]),
  /** The school's IANA zone: NetSchool dates carry no offset (§1.8). Samara is UTC+4. */
  timeZone: z.string().default('Europe/Samara'),
  /**
   * Read final marks through the report queue (docs/platforms/asurso.md "Final marks"); `false` lets journal sync
   * read the journal without them, on a server whose queue hub this connector cannot use.
   */
  finalMarks: z.boolean().default(true),
  /**
   * The report queue's hub: `auto` by the version `logindata` states (classic before 5.29, the ASP.NET Core hub
   * from 5.29), or `classic` / `core` where a server's version misleads.
   */
  reportHub: z.enum(['auto', 'classic', 'core']).default('auto'),
  /**
   * `diary.read` of a parent account with several children: the pupil's `studentId` (student/diary/init lists them).
   * Without it the diary is the child the server names current; a studentId not among the account's children stops.
   */
  diaryStudentId: z.coerce.string().regex(/^\d+$/).optional(),
  rateLimit: connectorRateLimit({ requestsPerSecond: 5, concurrency: 2 }),
}).superRefine((c, ctx) => {
  // The login form names its school (scid): without an id or a name to look it up, every run stopped at its login —
  // after `config check` had said OK (the school's id under schools[].platforms is the gateway's, not the form's).
  if (c.auth.kind === 'password' && c.schoolId === undefined && c.loginSchoolId === undefined && c.schoolName === undefined) {
    ctx.addIssue({ code: 'custom', path: ['schoolId'], message: 'a password login needs the login form\'s school: options.schoolId (its scid), or options.schoolName to look it up with schools/search' });
  }
});
export type AsursoConfig = z.infer<typeof asursoConfig>;

type M = 'GET' | 'POST' | 'DELETE';
const r = (name: string, method: M, capability: Capability, tag: ConfidenceTag = 'V') =>
  ({ name, method, path: `/webapi/${name.replace(/#.*$/, '')}`, capability, tag });

export const asursoDeclaration = defineConnector({
  platform: 'asurso',
  system: 'asu_rso',
  uncarried: ASURSO_UNCARRIED,
  // Integer marks, «точка» as «.», no letter for "absent, no reason yet" (docs/platforms/asurso.md "Folded").
  folds: ['modifier-dropped', 'owed-spelling', 'unknown-as-unexcused'],
  // The letter quickedit is given (write-bodies.ts): the raw code's own where it is one of NetSchool's meaning the same.
  writtenAttendanceCode: letterOf,
  slotsInColumnOrder: true,
  // quickedit carries neither a mark's comment nor its date: read back, the mark has the lesson's date (docs/platforms/asurso.md).
  // A column the gateway adds is named by its work type (quickedit takes no title).
  // A final mark's average is АСУ РСО's own, from the integer marks it holds (5- as 5): a school entering the final
  // marks by hand cannot make it equal the source's.
  // A lesson's homework is read from its homework-type column, but no route the connector has writes one (quickedit
  // takes marks and absences): a push or migration into АСУ РСО leaves it out and never counts it as written.
  unwritable: { mark: ['comment', 'markDate'], work: ['title'], final_mark: ['computedAverage'], lesson: ['homework'] },
  title: 'АСУ РСО («Сетевой город. Образование», NetSchool)',
  capabilities: ['roster.read', 'journal.read', 'finals.read', 'diary.read', 'marks.write', 'attendance.write'],
  authKinds: ['password', 'imported_session'],
  configSchema: asursoConfig,
  routes: [
    r('context', 'GET', 'roster.read'),
    r('schools/search', 'GET', 'roster.read'),
    r('grade/journal/filter/init', 'GET', 'roster.read', 'U'),
    r('terms/{termId}', 'GET', 'roster.read', 'U'),
    r('subjectgroups', 'GET', 'roster.read', 'U'),
    r('grade/studentList', 'GET', 'roster.read', 'U'),
    r('grade/assignment/types', 'GET', 'journal.read'),
    r('grade/journal/assignments/types/weights', 'GET', 'journal.read', 'U'),
    r('grade/attendance/reasons', 'GET', 'journal.read', 'U'),
    r('grade/journal', 'GET', 'journal.read', 'U'),
    r('grade/journal/edit', 'GET', 'journal.read', 'U'),
    // Final marks: the report queue (§1.5) over the server's queue hub (./report-hub.ts): the classic one's
    // long-polling transport before 5.29, the ASP.NET Core one's websocket from 5.29 (./report-api.ts).
    r('v2/reports/studenttotal/queue', 'POST', 'finals.read'),
    r('earlyaccess', 'GET', 'finals.read'),
    r('queueHub', 'GET', 'finals.read'),
    r('signalr/queueHub', 'GET', 'finals.read'),
    r('signalr/negotiate', 'GET', 'finals.read'),
    r('signalr/connect', 'POST', 'finals.read'),
    r('signalr/start', 'GET', 'finals.read'),
    r('signalr/send', 'POST', 'finals.read'),
    r('signalr/poll', 'POST', 'finals.read'),
    r('signalr/abort', 'POST', 'finals.read'),
    r('files/{id}#studenttotal', 'GET', 'finals.read'),
    r('student/diary/init', 'GET', 'diary.read'),
    r('student/diary', 'GET', 'diary.read'),
    r('student/diary/assigns/{id}', 'GET', 'diary.read'),
    r('grade/journal/quickedit', 'POST', 'marks.write', 'U'),
    r('grade/journal/quickedit#attendance', 'POST', 'attendance.write', 'U'),
  ],
  mapperVersion: 'asurso-2',
});
