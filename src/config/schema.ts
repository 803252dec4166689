// The gateway configuration (YAML), validated with zod. Every field an operator sets is here, with
// its default; platform-specific instance settings are validated again by the connector's own schema.
import { CronExpressionParser } from 'cron-parser';
import * as z from 'zod';
import { IanaZone } from '../model/dates.js';
import { readableConnectionUrl } from './connection-url.js';
import { AuthConfig, WebConfig } from '../auth/config.js';
import { RateLimitFields } from '../connectors/http/rate-limit-schema.js';
import { CSV_SEPARATORS, DEFAULT_CSV_SEPARATOR } from '../infra/csv-field.js';
import { distinctSites } from './site-key.js';
import { MinMarksConfig } from './min-marks.js';
import { LAST_YEAR_FINALS_INTERVAL_HOURS, LAST_YEAR_FINALS_UNTIL } from '../sync/last-year-finals.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * 5 fields, or 6 with seconds first, checked by the parser BullMQ's job schedulers use (cron-parser, the same
 * version): a value out of range ("0 25 * * *") passed the shape check and then stopped the worker at start-up.
 */
const Cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, { error: 'expected a cron expression, e.g. "0 2 * * *"' }).superRefine((expr, ctx) => {
  let parsed: ReturnType<typeof CronExpressionParser.parse>;
  try {
    parsed = CronExpressionParser.parse(expr);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a valid cron expression: ${(e as Error).message}` });
    return;
  }
  // One that parses but names no real day ("0 0 31 4,6 *": there is no 31 April or June) never fires: BullMQ then
  // leaves the scheduler out without an error, or keeps the one it replaces, and the school runs at the old time.
  try {
    parsed.next();
  } catch {
    ctx.addIssue({ code: 'custom', message: `the cron expression "${expr}" never fires (no such day in any year?)` });
  }
});

/**
 * What is not set here is the platform's default budget (its connector's `rateLimit` default, docs/platforms/*.md:
 * ЭПОС 1/s, ЭлЖур 3/s, Дневник.ру 5/s with 4 in flight), filled in by check-platforms.ts rateLimitOf. A gateway-wide
 * default of 5/s used to replace them, and an ЭПОС instance set up as its docs show ran at 5 requests a second.
 */
export const RateLimitConfig = z.strictObject({
  ...RateLimitFields,
  requestsPerSecond: RateLimitFields.requestsPerSecond.optional(),
  concurrency: RateLimitFields.concurrency.optional(),
});

/**
 * How the gateway signs in to an instance. The kinds and their fields differ per platform (NetSchool
 * password, Дневник.ру partner OAuth, ЭлЖур developer key + login, imported sessions for Госуслуги-only
 * hosts); each connector's own schema checks them (`config check` reports its paths here).
 */
export const PlatformAuthConfig = z.looseObject({ kind: z.string().min(1) });

export const PlatformInstanceConfig = z.strictObject({
  /** Operator's name for this installation, e.g. `asurso-samara`; used in the crosswalk and rate limits. */
  instance: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'use lower-case letters, digits and dashes' }),
  platform: z.string().min(1),
  baseUrl: z.url(),
  auth: PlatformAuthConfig,
  rateLimit: RateLimitConfig.prefault({}),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Platform-specific settings (e.g. ЭлЖур `vendor`/`devkey`); checked by the connector's schema. */
  options: z.record(z.string(), z.unknown()).default({}),
});

export const SchoolConfig = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  timeZone: IanaZone,
  /** The platform instance whose data is authoritative for marks and rosters. */
  systemOfRecord: z.string().min(1),
  /** Ids of this school on each platform instance it lives on. */
  platforms: z.array(z.strictObject({ instance: z.string().min(1), schoolId: z.string().min(1) })).min(1),
  /** Targets that grade push writes to (must support the write capabilities). */
  pushTargets: z.array(z.string()).default([]),
  schedules: z.strictObject({
    rosterSync: Cron.optional(),
    journalSync: Cron.optional(),
    gradePush: Cron.optional(),
    /** Nightly backup of the store (docs/backup.md, R-35). */
    nightlyBackup: Cron.optional(),
    /** Yearly archive of the current school year (R-31, by 30 June), e.g. "0 3 20-30 6 *": a run adds only what is missing. */
    yearlyArchive: Cron.optional(),
  }).default({}),
  /** How many days back a scheduled journal sync reads (the window ends today in the school's zone). */
  journalWindowDays: z.number().int().min(1).max(366).default(14),
  /**
   * Days of older journal a scheduled journal sync re-reads per night, rotating from 1 September up to the recent
   * window (docs/sync.md "Nightly delta"): a corrected old mark is caught within one sweep cycle. 0 turns it off.
   */
  journalSweepDays: z.number().int().min(0).max(366).default(28),
  /**
   * Hours that must pass after a night read final marks before a scheduled journal sync reads them again, while they
   * are due near a period's end (0: whenever due). On АСУ РСО a final-marks read is one report per pupil — 2,126
   * requests for a 1,000-pupil school, 55% of its full sync (bench/asurso-nightly.ts) — so a region with many schools on
   * one budget may read them, say, weekly (168); a final mark then reaches the store up to that much later.
   */
  journalFinalsIntervalHours: z.number().min(0).max(24 * 31).default(0),
  /**
   * The last day (MM-DD, 09-01 … 12-31) of the autumn re-take season: from 1 September until this day a scheduled
   * journal sync also re-reads the previous school year's final marks, corrected after pupils promoted with academic
   * debt («условный перевод») retake — the year mark the yearly archive's summary sheet keeps (docs/sync.md "Nightly
   * delta", "Last year's final marks in the autumn"). Only where the platform can read an earlier year (ЭПОС).
   */
  journalLastYearFinalsUntil: z.string().regex(/^(09|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'a day MM-DD from 09-01 to 12-31' })
    .refine((d) => !Number.isNaN(Date.parse(`2001-${d}T00:00:00Z`)) && new Date(`2001-${d}T00:00:00Z`).toISOString().slice(5, 10) === d, { error: 'not a day of the calendar' })
    .default(LAST_YEAR_FINALS_UNTIL),
  /**
   * Hours between two of those autumn reads (0: every scheduled run of the season). Weekly by default: one finals-only
   * read of last year a week (on Дневник.ру-sized schools one request per group; on ЭПОС the pupils' pages), and a
   * corrected year mark reaches the store within a week of its entry.
   */
  journalLastYearFinalsIntervalHours: z.number().min(0).max(24 * 31).default(LAST_YEAR_FINALS_INTERVAL_HOURS),
  /**
   * R-23: the journal closes every this many days since 1 September (seed 000: every two weeks, 14). Before each grade
   * push the gateway moves the school's JournalLock to the end of the last whole block, and R-22 refuses pushes into
   * it without an unlock order (`journal-gateway unlock`). Unset: the gateway keeps no lock of its own.
   */
  journalLockEveryDays: z.number().int().min(1).max(366).optional(),
  /** Per-school weight overrides of the regional defaults (R-12), by work-type code. */
  workTypeWeights: z.record(z.string(), z.number().int().min(1).max(100)).default({}),
  /**
   * R-11: graded marks a pupil needs in a quarter by the subject's weekly hours, e.g. `[{ weeklyHoursUpTo: 2, marks: 3 },
   * { marks: 4 }]` (the built-in table when unset). The progress report's «Нужно отметок» follows it (docs/reports.md).
   */
  minMarks: MinMarksConfig.optional(),
});

export const BackupDestination = z.strictObject({
  name: z.string().min(1),
  /** The medium, e.g. `disk-a`, `nas`, `tape` (R-33: at least two different media). */
  medium: z.string().min(1),
  /** The room the medium is kept in (R-33: different rooms). */
  room: z.string().min(1),
  path: z.string().min(1),
});

export const GatewayConfig = z.strictObject({
  region: z.strictObject({ id: z.string().min(1), name: z.string().min(1), timeZone: IanaZone.default('Europe/Samara') }),
  store: z.strictObject({
    /** PostgreSQL URL; empty means the embedded PGlite store under `dataDir`. */
    databaseUrl: z.string().regex(/^(postgres(ql)?:\/\/.+)?$/, { error: 'a PostgreSQL URL (postgres://user@host:5432/db), or empty for the embedded store' }).superRefine(readableConnectionUrl).optional(),
    /** PostgreSQL schema to use (created when missing); default: the server's search path. */
    schema: z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'a lower-case SQL identifier' }).optional(),
    dataDir: z.string().default('.data'),
  }).prefault({}),
  redis: z.strictObject({
    url: z.string().regex(/^(rediss?:\/\/.+|redis\+unix:\/\/\/.+)?$/, { error: 'a Redis URL (redis://host:6379, rediss://… for TLS, redis+unix:///path/to.sock), or empty' }).superRefine(readableConnectionUrl).optional(),
  }).prefault({}),
  logging: z.strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    pretty: z.boolean().optional(),
  }).prefault({}),
  platforms: z.array(PlatformInstanceConfig).default([]),
  schools: z.array(SchoolConfig).default([]),
  sync: z.strictObject({
    /** Deletes from a snapshot are refused above this share of a scope (canonical-model.md §C.2). */
    deleteThreshold: z.number().min(0).max(1).default(0.1),
    /**
     * A pupil (or an enrollment, a role, a guardian link) is deleted when missing from two roster reads at least this
     * many hours apart: two reads minutes apart — the scheduled run and an operator's `sync roster`, a retried job —
     * see the platform in one state, which may be a passing glitch. 0: any two reads in a row.
     */
    secondMissAfterHours: z.number().min(0).max(24 * 14).default(12),
    /**
     * The day scheduled journal windows end on, instead of today in the school's zone: replaying a past
     * period on the usual schedule (a backfill after an outage, a demo or test school of a past year).
     */
    windowEndsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a date YYYY-MM-DD' }).optional(),
    /**
     * Hours that must pass before a scheduled journal sync reads the next sweep slice of older weeks: a school
     * synced every 30 minutes still sweeps at most once in that time (0: every run sweeps). The default, 44, is a
     * slice every other night: a night then costs ~4% of a full sync's requests instead of ~5.2% (issue 7's target
     * is ≤ 5%), and a correction of an older week takes up to two sweep cycles of nights (docs/sync.md "Nightly
     * delta"); 20 is a slice every night.
     */
    journalSweepIntervalHours: z.number().min(0).max(24 * 7).default(44),
    /**
     * Subject titles another platform uses → the title the school's system of record uses for the same subject
     * («Английский язык» → «Иностранный язык (английский)»). Subjects are recognised across platforms by title, so a
     * target that names one differently gets a subject — and lessons — of its own, and no mark of it can be placed
     * there. Roster sync lists such subjects; set the alias before that platform's first roster sync of the school
     * (docs/sync.md "Subjects named differently").
     */
    subjectAliases: z.record(z.string().min(1), z.string().min(1)).default({}),
  }).prefault({}),
  backup: z.strictObject({
    destinations: z.array(BackupDestination).default([]),
    /** Private key (PEM): Ed25519, or with signer openssl-gost a GOST R 34.10-2012 key (docs/backup.md). */
    signingKeyFile: z.string().optional(),
    /** Public key (PEM) verify and restore check against; default: the public half of signingKeyFile. */
    verifyKeyFile: z.string().optional(),
    /**
     * Public keys (Ed25519 PEM) or certificates (openssl-gost) of earlier signing keys: a snapshot one of them signed
     * still verifies after the key was changed — archives are kept 25 years, signing keys are not (docs/backup.md).
     */
    retiredVerifyKeyFiles: z.array(z.string()).default([]),
    /** `openssl-gost` signs through the same signer as the ESIA login (needs certificateFile). */
    signer: z.enum(['ed25519', 'openssl-gost']).default('ed25519'),
    certificateFile: z.string().optional(),
    /** How long a nightly backup is kept before `backup prune` may remove it. */
    nightlyRetentionDays: z.number().int().min(1).default(30),
    /**
     * Field separator of the yearly archive's CSV documents (R-31), for the scheduled job and `backup archive` (whose
     * --separator overrides it): "," (RFC 4180, the default, as the reports') or ";" (Excel in a Russian locale).
     */
    csvSeparator: z.enum(CSV_SEPARATORS).default(DEFAULT_CSV_SEPARATOR),
    /**
     * Lets destinations share one file system (a trial on one machine, the demo). Off: a backup whose destinations
     * are on one device — an unmounted share, most often — is refused (R-33).
     */
    allowOneDevice: z.boolean().default(false),
    /**
     * How many snapshots of a school a night re-verifies at most when some copies are over a year unchecked (R-34):
     * the nightly then catches up by itself. Unset: REVERIFY_CATCH_UP_PER_NIGHT (50, src/backup/reverify.ts); 0
     * keeps the usual five a night (docs/backup.md).
     */
    reverifyCatchUpPerNight: z.number().int().min(0).optional(),
  }).prefault({}),
  /** Parents' login (ESIA, generic OpenID Connect); see docs/login.md. */
  auth: AuthConfig.optional(),
  /** The parents' diary server (`journal-gateway serve`). */
  web: WebConfig.optional(),
}).superRefine((cfg, ctx) => {
  const instances = new Set<string>();
  cfg.platforms.forEach((p, i) => {
    if (instances.has(p.instance)) ctx.addIssue({ code: 'custom', path: ['platforms', i, 'instance'], message: `duplicate instance "${p.instance}"` });
    instances.add(p.instance);
  });
  const schoolsSeen = new Map<string, string>();
  cfg.schools.forEach((s, i) => {
    // One id, one school: the second was never synced, and its schedules replaced the first's. Job scheduler ids
    // cannot hold ":" (BullMQ's key separator, jobs/schedules.ts writes "-"), so "a:b" and "a-b" are one school there.
    const schedulerKey = s.id.replace(/:/g, '-');
    const other = schoolsSeen.get(schedulerKey);
    if (other !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['schools', i, 'id'], message: other === s.id ? `duplicate school "${s.id}"` : `school ids "${other}" and "${s.id}" name the same job schedules (":" is written "-")` });
    }
    schoolsSeen.set(schedulerKey, s.id);
    if (!instances.has(s.systemOfRecord)) {
      ctx.addIssue({ code: 'custom', path: ['schools', i, 'systemOfRecord'], message: `no platform instance "${s.systemOfRecord}" in platforms[]` });
    }
    s.platforms.forEach((p, j) => {
      if (!instances.has(p.instance)) ctx.addIssue({ code: 'custom', path: ['schools', i, 'platforms', j, 'instance'], message: `no platform instance "${p.instance}" in platforms[]` });
    });
    s.pushTargets.forEach((t, j) => {
      const path = ['schools', i, 'pushTargets', j];
      if (!instances.has(t)) ctx.addIssue({ code: 'custom', path, message: `no platform instance "${t}" in platforms[]` });
      // Grade push writes the system of record's journal into its targets: into itself, it would rewrite the school's
      // own journal from the store's copy, undoing an edit made since the last read.
      else if (t === s.systemOfRecord) ctx.addIssue({ code: 'custom', path, message: `"${t}" is the school's systemOfRecord: grade push writes from it, never into it` });
      else if (!s.platforms.some((p) => p.instance === t)) ctx.addIssue({ code: 'custom', path, message: `the school has no id on "${t}": add { instance: ${t}, schoolId: … } to its platforms` });
    });
    // A schedule that can only fail (or do nothing) every night after a green check: said here, not by the job.
    for (const kind of ['nightlyBackup', 'yearlyArchive'] as const) {
      if (!s.schedules[kind]) continue;
      const missing = [...(cfg.backup.signingKeyFile ? [] : ['backup.signingKeyFile']), ...(cfg.backup.destinations.length ? [] : ['backup.destinations'])];
      if (missing.length) ctx.addIssue({ code: 'custom', path: ['schools', i, 'schedules', kind], message: `a scheduled ${kind === 'nightlyBackup' ? 'backup' : 'archive'} needs ${missing.join(' and ')} (docs/backup.md): every run would fail` });
    }
    if (s.schedules.gradePush && s.pushTargets.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['schools', i, 'schedules', 'gradePush'], message: 'a scheduled grade push needs pushTargets: with none, every run pushes nothing' });
    }
  });
  const owner = new Map<string, string>();
  cfg.schools.forEach((s, i) => s.platforms.forEach((p, j) => {
    const key = `${p.instance}|${p.schoolId}`;
    const other = owner.get(key);
    if (other && other !== s.id) {
      ctx.addIssue({ code: 'custom', path: ['schools', i, 'platforms', j, 'schoolId'], message: `school id ${p.schoolId} on ${p.instance} is already school "${other}"` });
    }
    owner.set(key, s.id);
  }));
  const schoolIds = new Set(cfg.schools.map((s) => s.id));
  cfg.web?.staff.forEach((a, i) => {
    if (a.schools === 'all') return;
    a.schools.forEach((id, j) => {
      if (!schoolIds.has(id) && !UUID.test(id)) {
        ctx.addIssue({ code: 'custom', path: ['web', 'staff', i, 'schools', j], message: `no school "${id}" in schools[] (nor a canonical organization id)` });
      }
    });
  });
  // Case, spacing and ё/е do not make two rooms or two media (site-key.ts).
  const rooms = distinctSites(cfg.backup.destinations.map((d) => d.room));
  if (cfg.backup.destinations.length === 1 || (cfg.backup.destinations.length > 1 && rooms < 2)) {
    ctx.addIssue({ code: 'custom', path: ['backup', 'destinations'], message: 'R-33: backups need at least two destinations in different rooms' });
  }
  // `backup run` refuses this too; `config check` says it first.
  if (cfg.backup.destinations.length > 1 && distinctSites(cfg.backup.destinations.map((d) => d.medium)) < 2) {
    ctx.addIssue({ code: 'custom', path: ['backup', 'destinations'], message: 'R-33: backups need at least two destinations on different media' });
  }
});

export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type PlatformInstanceConfig = z.infer<typeof PlatformInstanceConfig>;
export type SchoolConfig = z.infer<typeof SchoolConfig>;
