// The connector contract every platform implements (DECISIONS.md §5, PLATFORM-SLICE.md §2;
// Nango-style declarations, engineering.md §1.1 and §1.9). A connector reads raw payloads page by page;
// a pure mapper (src/mappers/<p>/) turns each payload into canonical records. Nothing here does I/O.
import type * as z from 'zod';
import type { Logger } from 'pino';
import type { LocalDate } from '../model/dates.js';
import type { EntityName, SourceSystem } from '../model/enums.js';
import type { AttendanceRecordRecord, LessonRecord, MarkRecord } from '../model/records.js';
import type { RateLimiter, RateLimitOptions } from './http/rate-limiter.js';
import type { RetryOptions } from './http/types.js';

/** What a connector can do. Asking for anything else is a {@link CapabilityNotSupportedError}. */
export type Capability =
  | 'roster.read'
  | 'journal.read'
  | 'finals.read'
  | 'diary.read'
  | 'marks.write'
  | 'attendance.write'
  | 'lessons.write'
  | 'import_package.export'
  | 'import.verify';

export const CAPABILITIES: readonly Capability[] = [
  'roster.read', 'journal.read', 'finals.read', 'diary.read', 'marks.write', 'attendance.write', 'lessons.write',
  'import_package.export', 'import.verify',
];

/**
 * How an account signs in: `password` (login + password), `imported_session` (cookies/`at` taken from a
 * browser after a Госуслуги login), `imported_token` (a token pasted by the operator), `partner_oauth`
 * (Дневник.ру partner app), `credentials` (a developer key plus login, ЭлЖур).
 */
export type AuthKind = 'password' | 'imported_session' | 'imported_token' | 'partner_oauth' | 'credentials';

/** Confidence tag from platforms.md: verified, by analogy, secondary source, uncertain. */
export type ConfidenceTag = 'V' | 'A' | 'S' | 'U';

/** One platform route a connector calls (the names `journal-gateway map <p> --list` prints). */
export interface RouteDeclaration {
  /** Route as platforms.md writes it and as mappers receive it: `student/diary`, `getmarks`, `edu-groups/{g}/final-marks`. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** HTTP path template with `{param}` placeholders: `/webapi/student/diary`, `/v2/edu-groups/{g}/final-marks`. */
  path: string;
  capability: Capability;
  /** platforms.md confidence of this route's behaviour. */
  tag?: ConfidenceTag;
}

/**
 * The one exported declaration of a platform (Nango's provider entry): the registry, the CLI and the
 * docs read it. Adding a capability is adding it here.
 */
export interface ConnectorDeclaration<C extends z.ZodType = z.ZodType> {
  /** Registry id and folder name: `asurso` | `epos` | `dnevnik` | `eljur`. */
  platform: string;
  /** Canonical source system written into provenance and source refs. */
  system: SourceSystem;
  /** Russian display name, e.g. «АСУ РСО („Сетевой город. Образование“)». */
  title: string;
  capabilities: readonly Capability[];
  authKinds: readonly AuthKind[];
  /** zod schema of one instance's config (base URL, credentials reference, rate limits, ids). */
  configSchema: C;
  routes: readonly RouteDeclaration[];
  /** Goes into every record's provenance (`mapperVersion`); bump when mapping output changes. */
  mapperVersion: string;
  /**
   * Business fields of canonical records this platform cannot carry (documented per platform in
   * docs/platforms/<p>.md): left out when a migration or an import is reconciled by reading it back.
   */
  uncarried?: Partial<Record<import('../model/enums.js').EntityName, readonly string[]>>;
  /**
   * Business fields the platform carries but a write cannot set (it stamps them itself, e.g. who entered a
   * mark and when): a pushed record reads back with the platform's values there, so a reconciliation after
   * a push or migration leaves them out too.
   */
  unwritable?: Partial<Record<import('../model/enums.js').EntityName, readonly string[]>>;
  /**
   * Values the platform holds in its own spelling (src/model/mark-spelling.ts): `5-` as `5` on АСУ РСО, an unexcused
   * absence as one without a reason on Дневник.ру. Journal sync raises no conflict over them; a migration into the
   * platform names them in its plan and does not count them as differences.
   */
  folds?: readonly import('../model/mark-spelling.js').Fold[];
  /**
   * The code a write of an absence puts on the platform where it depends on a field the comparison leaves out
   * (`uncarried`): АСУ РСО writes the system of record's own letter when it is one of its letters meaning the same (ОТ
   * stays ОТ, НП stays НП), so the raw code is carried by the write though not compared on a read. Grade push's
   * `pushed_hash` covers it (src/sync/pushed-content.ts), or a change of the letter alone looked like nothing to send.
   */
  writtenAttendanceCode?: (a: import('../model/records.js').RecordOf<'attendance_record'>) => string;
  /**
   * The platform has no slot field: it numbers a pupil's two marks on a lesson in its column order, so it cannot hold
   * the system of record's order of two marks on different works (АСУ РСО). Reads of it that are not the system of
   * record's keep the store's order (src/sync/slot-order.ts).
   */
  slotsInColumnOrder?: boolean;
  /**
   * A finals-only read scoped to an earlier school year reads that year's final marks (ЭПОС: `academic_year_id` is
   * chosen from the scope; Дневник.ру: last year's groups, named by `ReadScope.yearLinks`, are read by id). Absent:
   * the connector reads the current year's whatever the scope, so the nightly's autumn re-read of last year's final
   * marks (src/sync/last-year-finals-read.ts) is not made and the summary says so. `by-linked-ids`: the read finds
   * last year only through `yearLinks`, so with none linked it is not made at all (no login, no request).
   */
  pastYearFinals?: boolean | 'by-linked-ids';
  /**
   * A one-off journal read whose window starts before the platform's current school year (src/sync/past-year-window.ts).
   * Absent: the platform reads its journal through the current year's groups, so such a window is refused before any
   * request. `by-linked-ids`: that year's lessons, marks and attendance are read by the ids of its classes and groups
   * the gateway linked then (`ReadScope.yearLinks` with `scopeYearOnly`), with no snapshot deletes.
   */
  pastYearJournal?: 'by-linked-ids';
  /**
   * The platform lists no staff: teachers are known only from the lessons a read shows (ЭлЖур). Its roster snapshot
   * is then complete for pupils but not for staff, and a teacher missing from it is kept, never deleted by absence
   * (src/sync/unlisted-staff.ts).
   */
  staffNotListed?: boolean;
  /**
   * Classes and sections are known only through their pupils (ЭлЖур: `getrules` classes with a pupil, sections from
   * pupils' diaries): one whose pupils are all missing from a read is held with them until their second miss
   * (src/sync/structure-with-pupils.ts).
   */
  structureFromPupils?: boolean;
  /**
   * Write actions the platform has no route for, per entity, with the reason a write of one is refused: a mark's
   * delete on Дневник.ру, an absence's on ЭПОС. The connector's writer refuses such an operation with exactly this
   * reason, and the dry runs (`push --dry-run`, `migrate --dry-run`) predict the refusal from it — before, they counted
   * only what the ledger had seen refused, and said "would be refused 0" before a push that was then refused. Only what
   * is certain before any call belongs here (not a refusal that depends on what the platform holds).
   */
  refusesWrites?: Partial<Record<EntityName, Partial<Record<WriteOp<unknown>['action'], string>>>>;
}

/**
 * Identity helper that keeps the config type and checks the declaration once at load time: route names
 * unique, each route's capability declared. Throws a plain Error on a broken declaration (a bug).
 */
export function defineConnector<C extends z.ZodType>(decl: ConnectorDeclaration<C>): ConnectorDeclaration<C> {
  const names = new Set<string>();
  for (const r of decl.routes) {
    if (names.has(r.name)) throw new Error(`${decl.platform}: route "${r.name}" declared twice`);
    names.add(r.name);
    if (!decl.capabilities.includes(r.capability)) {
      throw new Error(`${decl.platform}: route "${r.name}" needs capability ${r.capability}, which the declaration lacks`);
    }
  }
  return decl;
}

/** Asked a connector for something its platform cannot do (e.g. `marks.write` on ЭлЖур, DECISIONS.md §5). */
export class CapabilityNotSupportedError extends Error {
  constructor(readonly platform: string, readonly capability: Capability | string) {
    super(`платформа ${platform} не поддерживает ${capability} (capability not supported: ${platform} has no ${capability})`);
    this.name = 'CapabilityNotSupportedError';
  }
}

export function hasCapability(decl: Pick<ConnectorDeclaration, 'capabilities'>, cap: Capability): boolean {
  return decl.capabilities.includes(cap);
}

/** Why the platform refuses every `action` on `entity` (its declaration's `refusesWrites`), or undefined if it may not. */
export function declaredRefusal(
  decl: Pick<ConnectorDeclaration, 'refusesWrites'>, entity: EntityName, action: WriteOp<unknown>['action'],
): string | undefined {
  return decl.refusesWrites?.[entity]?.[action];
}

/** Throws {@link CapabilityNotSupportedError} unless `decl` declares `cap`. */
export function requireCapability(decl: Pick<ConnectorDeclaration, 'platform' | 'capabilities'>, cap: Capability): void {
  if (!decl.capabilities.includes(cap)) throw new CapabilityNotSupportedError(decl.platform, cap);
}

/** What to read: one school (the account's own if omitted) over a calendar-date window. */
export interface ReadScope {
  /** The platform's own school id (NetSchool `schoolId`, ЭлЖур vendor school…). */
  schoolSourceId?: string;
  from: LocalDate;
  to: LocalDate;
  /**
   * Disjoint ranges inside [from, to] to read instead of all of it. A nightly sync reads the recent window and an
   * older slice in one pass, so the set-up reads (context, groups, periods) are made once, not once per window.
   * Ranges that touch (the sweep's last slice ends the day before the recent window) are one range request where the
   * connector joins them (packedScopeWindows: ЭПОС, ЭлЖур) and the join is at most 31 days.
   */
  ranges?: readonly { from: LocalDate; to: LocalDate }[];
  /**
   * Where a platform answers final marks per period and the connector reads only those of periods ending near the
   * ranges read (АСУ РСО's report queue): the days to judge that by instead. A migration reads its journal slice by
   * slice but the final marks of its whole window, with the last slice.
   */
  finalsWindow?: { from: LocalDate; to: LocalDate };
  /** Limit to some capabilities (default: every read capability the connector has). */
  capabilities?: readonly Capability[];
  /**
   * The read is about the school year holding [from, to] and no other (the nightly's autumn read of last year's final
   * marks): a connector that picks the year from the scope reads nothing when the platform does not list that year,
   * instead of falling back to the current one. Only for connectors that declare `pastYearFinals` (a finals-only read)
   * or `pastYearJournal` (a journal read of an earlier year's window).
   */
  scopeYearOnly?: boolean;
  /**
   * With `scopeYearOnly`: the platform ids the crosswalk links to the school's classes, sections and terms of the
   * scope's school year (src/sync/year-links.ts). A platform that lists only the current year's groups (Дневник.ру)
   * finds an earlier year's groups by them: the gateway read and linked them that year.
   */
  yearLinks?: YearLinks;
  /**
   * Days per range request for this read (default: the instance's `windowDays`; at most 31, the longest range the
   * connectors allow). The nightly sweep asks for its whole slice as one range: one request per route and class.
   */
  windowDays?: number;
  /**
   * Set-up answers kept between runs (e.g. Дневник.ру's reporting periods of every class: one request per class on
   * every night, for lists that change a few times a year). Absent: the connector reads them as always.
   */
  setupCache?: SetupCache;
  /**
   * The read must bring the school's own structure (subjects, sections, their members, teachers) because this
   * platform is the school's system of record or a migration's source: what its journal is placed on and what a
   * snapshot deletes by absence. Absent or false: the platform is a push or migration target, or a roster platform
   * beside another system of record, and only what it is matched by is wanted. Only a connector whose structure is
   * costly to read looks at it (ЭлЖур: its structure is what a year of diary pages shows, a request per class and
   * week); the others' roster reads bring their structure either way.
   */
  schoolStructure?: boolean;
}

/**
 * Where a connector keeps set-up answers between runs, per platform instance and school. `get` answers only what is
 * younger than the cache's age limit. A connector that finds the platform's data moved past a cached answer (a
 * work naming a period the cached list lacks) reads it again and `set`s the new answer.
 */
export interface SetupCache {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** What a mapper needs beside the payload and cannot read from it. */
export interface BatchContext {
  /** IANA zone of the school (`Europe/Samara`); platform wall times are interpreted in it. */
  timeZone: string;
  /** Ids the connector put into the URL (`{g}` edu-group, `studentId`, `schoolId`…), as strings. */
  ids: Readonly<Record<string, string>>;
  /** Body format where a route can answer in more than one (ЭлЖур `out_format`). */
  format?: 'json' | 'xml' | 'html';
  /** When the payload was received (UTC ISO instant). */
  fetchedAt: string;
  /**
   * Why the answer is not known to hold every record the platform had (a paged list that changed between two of its
   * page requests, paged-list.ts): what it lacks is not known to be gone, so a read with it deletes nothing.
   */
  partial?: string;
}

/** One raw page a connector read. `route` is a declared {@link RouteDeclaration.name}. */
export interface PlatformBatch {
  route: string;
  /** The decoded body exactly as received (JSON value, XML/HTML text). Mappers validate it. */
  payload: unknown;
  context: BatchContext;
}

/** The write side (grade push, DECISIONS.md §7): one ledger operation each. */
export interface WriteOp<R> {
  /** OutboundOperation id = idempotency key; the same op sent twice must not create a duplicate. */
  operationId: string;
  action: 'upsert' | 'delete';
  record: R;
  /**
   * What the write needs to know about the target, as grade push fills it (a connector translates these
   * into its own parameters; it may also accept its own names directly, as its contract tests send them):
   * - platform ids from the crosswalk: `student`, `lesson`, `section`, `work`, `gradingPeriod`;
   * - from the canonical work a mark belongs to: `workTypeCode`, `workTitle`, `dueDate`;
   * - `school`: the school's id on the target (the config's), for an account that sees several schools;
   * - `lessonDate`: the lesson's day (YYYY-MM-DD), for a writer that must look a record up by group and day.
   */
  targetIds: Readonly<Record<string, string>>;
  /** The platform's id of the object if it already exists there. */
  existingSourceId?: string;
}
export type MarkWriteOp = WriteOp<MarkRecord>;
export type AttendanceWriteOp = WriteOp<AttendanceRecordRecord>;
/** A lesson's homework (no platform publishes a route that writes a lesson's topic). */
export type LessonWriteOp = WriteOp<LessonRecord>;

export interface WriteResult {
  operationId: string;
  /** `refused` = the platform said no for a reason a retry cannot fix (period lock, R-22). */
  status: 'applied' | 'unchanged' | 'refused' | 'failed';
  /** The platform's id of the written object. */
  sourceId?: string;
  /** Redacted reason for refused/failed. */
  reason?: string;
  /**
   * Applied, but a record of the platform is left without a canonical one and no route removes it (Дневник.ру: a mark
   * the system of record deleted while renumbering the pupil's cell): what a teacher removes by hand. The push counts it.
   */
  leftOnTarget?: string;
  retryable?: boolean;
  /** Failed because the platform refused the account (403, or still 401 after a re-login), not this data. */
  accountRefused?: boolean;
  /** Failed because the platform asked to wait this long (a `Retry-After` beyond what a run waits): the job's retry waits it out. */
  retryAfterMs?: number;
}

/** A platform connector bound to one account of one instance. */
export interface Connector {
  readonly declaration: ConnectorDeclaration;
  /** Logs in (or validates an imported session). */
  open(): Promise<void>;
  /** Logs out and releases resources. Always called (use {@link withConnector}); must not throw. */
  close(): Promise<void>;
  /**
   * Reads a school over `scope`, page by page (class-level routes where the platform has them), so memory
   * stays flat. Throws {@link CapabilityNotSupportedError} for a capability in `scope.capabilities` it lacks.
   */
  readSchool(scope: ReadScope): AsyncIterable<PlatformBatch>;
  /** Present only with `marks.write`. */
  writeMarks?(ops: readonly MarkWriteOp[]): Promise<WriteResult[]>;
  /** Present only with `attendance.write`. */
  writeAttendance?(ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]>;
  /** Present only with `lessons.write`: a lesson's homework. */
  writeLessons?(ops: readonly LessonWriteOp[]): Promise<WriteResult[]>;
}

/** What `createConnector` gets besides the validated config. */
export interface ConnectorDeps {
  /** Instance name (rate budget key, provenance `instance`). */
  instance: string;
  logger?: Logger;
  /** Override the config's limits (benchmarks, tests). */
  rateLimit?: Partial<RateLimitOptions>;
  retry?: Partial<RetryOptions>;
  /** Milliseconds an attempt may take (the instance's `timeoutMs`; default 30 s). */
  timeoutMs?: number;
  /** A shared limiter (the jobs layer's Redis limiter). */
  limiter?: RateLimiter;
  /** Clock for `fetchedAt` (tests). */
  now?: () => Date;
  /**
   * Where a connector keeps what the platform issued that the next run needs (a partner OAuth refresh token rotates at
   * every use): shared by every process on the store. Without one, such a credential lives as long as the connector.
   */
  vault?: CredentialVault;
}

/** One platform instance's saved credentials, by name (store: platform_credentials). Values are secrets: never logged. */
export interface CredentialVault {
  load(name: string): Promise<string | undefined>;
  save(name: string, value: string): Promise<void>;
}

/**
 * Opens the connector, runs `fn`, and always closes it (logout), even when `fn` throws.
 */
export async function withConnector<T>(connector: Connector, fn: (c: Connector) => Promise<T>): Promise<T> {
  try {
    await connector.open();
    return await fn(connector);
  } finally {
    await connector.close();
  }
}

/** Platform ids of one school year's classes, sections and terms, by entity (ReadScope.yearLinks). */
export interface YearLinks {
  homeroom_class: readonly string[];
  section: readonly string[];
  academic_session: readonly string[];
  /**
   * That year's class and section ids the platform kept into a later school year (5А's group now 6А's): the crosswalk
   * links them to the later year's records now (src/sync/other-year-ids.ts), so they are not among the ids above and
   * their answers are the later year's. A connector does not ask for them as that year's, and says so by id: without
   * this, a read of that year left them out with no word, and could read little and still count as done.
   */
  keptLater?: { homeroom_class: readonly string[]; section: readonly string[] };
}
