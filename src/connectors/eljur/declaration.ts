// ЭлЖур API v1.4 (platforms.md §4): the one declaration the registry, `map --list` and
// docs/platforms/eljur.md read. ЭлЖур has no public journal write API (§4.4): no write capability here.
import * as z from 'zod';
import { defineConnector } from '../contract.js';
import { connectorRateLimit } from '../http/rate-limit-schema.js';

/** One instance (an ЭлЖур host + developer key) and the account it reads with. */
export const eljurConfig = z.object({
  /** Origin of the API, e.g. `https://api.eljur.ru` or `https://{vendor}.eljur.ru` (routes add `/api/…`). */
  baseUrl: z.url(),
  /** Developer key issued by ЭлЖур support (§4.2). A secret: redacted from every log and error. */
  devkey: z.string().min(1),
  /** School subdomain (`vendor`); tokens are valid for this vendor only (§4.5). */
  vendor: z.string().min(1),
  auth: z.discriminatedUnion('kind', [
    /** `/api/auth` with login + password (the devkey and vendor above). */
    z.object({ kind: z.literal('credentials'), login: z.string().min(1), password: z.string().min(1) }),
    /** ESIA-only regional hosts: a `v_token` exchanged at `apiv3/getusersvendors` for this vendor's token. */
    z.object({ kind: z.literal('imported_session'), vToken: z.string().min(1) }),
    /** An `auth_token` pasted by the operator (no re-login possible). */
    z.object({ kind: z.literal('imported_token'), token: z.string().min(1) }),
  ]),
  /** `out_format`: `json`, or the deprecated `xml` some installations still answer (§4.5). */
  format: z.enum(['json', 'xml']).default('json'),
  /** IANA zone of the school (ЭлЖур sends no offset; Crimea is `Europe/Simferopol`). */
  timeZone: z.string().default('Europe/Simferopol'),
  /** One `days=` range covers at most this many days. */
  windowDays: z.number().int().min(1).max(31).default(7),
  /** Pupils per request (`student=` comma list [S]). */
  studentsPerRequest: z.number().int().min(1).max(200).default(40),
  rateLimit: connectorRateLimit({ requestsPerSecond: 3, concurrency: 2 }),
});
export type EljurConfig = z.infer<typeof eljurConfig>;

type Cap = 'roster.read' | 'journal.read' | 'finals.read' | 'import_package.export' | 'import.verify';
const r = (name: string, capability: Cap, tag: 'V' | 'S' | 'U' = 'V', method: 'GET' | 'POST' = 'GET', path = `/api/${name}`) =>
  ({ name, method, path, capability, tag }) as const;

export const eljurDeclaration = defineConnector({
  platform: 'eljur',
  system: 'eljur',
  title: 'ЭлЖур (API v1.4)',
  capabilities: ['roster.read', 'journal.read', 'finals.read', 'import_package.export', 'import.verify'],
  authKinds: ['credentials', 'imported_session', 'imported_token'],
  configSchema: eljurConfig,
  routes: [
    r('auth', 'roster.read', 'V', 'POST'),
    r('getusersvendors', 'roster.read', 'S', 'GET', '/apiv3/getusersvendors'),
    r('getrules', 'roster.read'),
    r('getperiods', 'roster.read'),
    r('getschedule', 'journal.read'),
    r('getdiary', 'journal.read'),
    r('gethomework', 'journal.read'),
    // `marks[].lesson_id` is read as the lesson's id and `nm` as the mark's place in its lesson [U]:
    // src/mappers/eljur/codes.ts.
    r('getmarks', 'journal.read', 'U'),
    r('getfinalassessments', 'finals.read'),
  ],
  mapperVersion: 'eljur-1',
  // A migration source and a system of record like the others: the roster read brings the classes (`getrules`), the year
  // and terms (`getperiods`) and, when asked for the school's structure as a system of record or migration source
  // (`ReadScope.schoolStructure`), the subjects, sections, their pupils and teachers (the diary pages of the year so
  // far), so the journal read's lessons, marks and final marks have records to hang off (docs/platforms/eljur.md).
  // Teachers appear only as the `teacher_id` of diary lessons: one without a lesson in the days read is not gone.
  staffNotListed: true,
  // Classes and sections appear only with their pupils: when all of them are missing, so is it — not gone on its own.
  structureFromPupils: true,
  uncarried: {
    person: ['birthDate', 'emails', 'phones', 'username', 'identifiers', 'enabled', 'preferredGivenName'],
    section: ['weeklyHours', 'periods'],
    lesson: ['homework', 'substituteTeacherId', 'recordedAt', 'recordedBy'],
    mark: ['recordedAt', 'recordedBy', 'publishedToFamilyAt'],
    attendance_record: ['minutesLate', 'recordedAt', 'recordedBy'],
    final_mark: ['computedAverage', 'isCurrent', 'recordedAt', 'recordedBy'],
  },
});
