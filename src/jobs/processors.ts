// The job processors: plain functions (so a sandbox can be added later, engineering.md §2.7) that the
// BullMQ worker and the one-off CLI commands both call.
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { withConnector } from '../connectors/contract.js';
import { getPlatform } from '../connectors/registry.js';
import { addDays, instantToLocalDate } from '../model/dates.js';
import { throwOnFailedWrites } from '../sync/push-failures.js';
import { gradePush } from '../sync/grade-push.js';
import { advanceJournalLock } from '../sync/journal-lock.js';
import { journalSync } from '../sync/journal-sync.js';
import { PastYearWindowError, planPastYearWindow, type PastYearPlan } from '../sync/past-year-window.js';
import { nightlyJournalSync } from '../sync/journal-nightly.js';
import { rosterSync, schoolCanonicalId } from '../sync/roster-sync.js';
import type { RunSummary } from '../sync/run-summary.js';
import { withSchoolSync } from '../sync/school-sync-lease.js';
import { connectorFor, instanceByName, schoolById, schoolSourceId, type JobContext } from './job-context.js';
import { UsageError } from '../infra/operator-errors.js';
import type { ArchiveJobKind, JobData, SyncJobKind } from './job-types.js';
import { ArchiveDamagedError, BackupJobConfigError, nightlyBackup, type NightlyBackupSummary } from '../backup/nightly-job.js';
import { overdueWarning } from '../backup/overdue-checks.js';
import { yearlyArchiveJob, type YearlyArchiveSummary } from '../backup/yearly-job.js';

export interface ProcessorOptions {
  onProgress?: (stage: string, done: number, total?: number) => void;
  /** Each platform's summary as soon as its run is done: kept by the caller even if a later platform's run fails. */
  onSummary?: (summary: RunSummary) => void;
  runId?: string;
}

export async function runJob(kind: SyncJobKind, data: JobData, ctx: JobContext, opts: ProcessorOptions = {}): Promise<RunSummary[]> {
  const cfg = ctx.config;
  let school;
  try {
    school = schoolById(cfg, data.schoolId);
    // An instance the job names must be one of the school's: checked before anything runs, like the school.
    if (data.instance) {
      instanceByName(cfg, data.instance);
      schoolSourceId(school, data.instance);
      // A push writes the system of record's journal into a target: pointed at any other instance (the system of record
      // itself above all) it would rewrite that platform's journal from the store's copy.
      if (kind === 'grade-push' && !school.pushTargets.includes(data.instance)) {
        throw new UsageError(`instance "${data.instance}" is not a push target of school "${school.id}" (its pushTargets: ${school.pushTargets.join(', ') || 'none'})`);
      }
    }
  } catch (e) {
    // A config error: retrying cannot help. The original stays as the cause, so the CLI exits with its usage code.
    throw Object.assign(new UnrecoverableError((e as Error).message), { cause: e });
  }
  const runId = opts.runId ?? `${kind}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
  const today = cfg.sync.windowEndsOn ?? instantToLocalDate(new Date().toISOString(), school.timeZone);
  const window = data.window ?? { from: addDays(today, -school.journalWindowDays), to: today };
  const summaries: RunSummary[] = [];
  const done = (...s: RunSummary[]) => {
    summaries.push(...s);
    for (const x of s) opts.onSummary?.(x);
  };

  if (kind === 'roster-sync') {
    // The system of record first: it owns deletes; the other platforms then link onto its records.
    const instances = data.instance ? [data.instance] : [school.systemOfRecord, ...school.platforms.map((p) => p.instance).filter((i) => i !== school.systemOfRecord)];
    await withSchoolSync(ctx.store, school.id, runId, async (lease) => {
      for (const instance of instances) {
        const { connector, run } = connectorFor(cfg, instance, ctx.logger, ctx.store);
        done(await withConnector(connector, () => rosterSync({
          store: ctx.store, connector, mapper: getPlatform(connector.declaration.platform).mapper, run: { ...run, runId }, lease,
          school: { id: school.id, sourceId: schoolSourceId(school, instance), timeZone: school.timeZone },
          authoritative: instance === school.systemOfRecord, window, deleteThreshold: cfg.sync.deleteThreshold, secondMissAfterHours: cfg.sync.secondMissAfterHours, subjectAliases: cfg.sync.subjectAliases,
          ...(data.acceptDeletes !== undefined ? { acceptDeletes: data.acceptDeletes } : {}),
          logger: ctx.logger, onProgress: opts.onProgress,
        })));
      }
    });
  } else if (kind === 'journal-sync') {
    // The system of record first (its journal is the school's); then every push target, whose lessons
    // (timetable) the push writes into: their platform ids are linked, differing values become conflicts.
    const instances = data.instance ? [data.instance] : [school.systemOfRecord, ...school.pushTargets.filter((i) => i !== school.systemOfRecord)];
    // A window given with the job is judged against each platform's current school year before anything is read: one
    // into an earlier year is refused whole (no platform read half) or read by last year's linked ids (past-year-window.ts).
    const pastYear = new Map<string, PastYearPlan>();
    if (data.window) {
      for (const instance of instances) {
        const { connector, run } = connectorFor(cfg, instance, ctx.logger, ctx.store);
        try {
          pastYear.set(instance, await planPastYearWindow(ctx.store, run, schoolCanonicalId(school.id), connector.declaration, data.window));
        } catch (e) {
          // The command is wrong, not the platform: a retry reads the same window. The cause keeps the CLI's exit 64.
          // Every platform is judged before any is read, so one that cannot read the window blocks the others: the
          // operator is told how to read one alone (a Дневник.ру system of record with an ЭПОС target, say).
          const alone = instances.length > 1 ? ` (this run reads ${instances.join(', ')}; one platform is read alone with --instance)` : '';
          if (e instanceof PastYearWindowError) throw Object.assign(new UnrecoverableError(e.message + alone), { cause: e });
          throw e;
        }
      }
    }
    await withSchoolSync(ctx.store, school.id, runId, async (lease) => {
      for (const instance of instances) {
        const { connector, run } = connectorFor(cfg, instance, ctx.logger, ctx.store);
        const plan = pastYear.get(instance);
        const input = {
          store: ctx.store, connector, mapper: getPlatform(connector.declaration.platform).mapper, run: { ...run, runId }, lease,
          school: { id: school.id, sourceId: schoolSourceId(school, instance), timeZone: school.timeZone },
          isSystemOfRecord: instance === school.systemOfRecord, logger: ctx.logger, onProgress: opts.onProgress,
          deletesFromSnapshot: { threshold: cfg.sync.deleteThreshold },
        };
        // A window given with the job (a backfill, the CLI's --from/--to) is read as asked; a scheduled run reads
        // the recent window and a sweep slice and moves the journal cursors (docs/sync.md "Nightly delta").
        done(...await withConnector(connector, async () => data.window
          ? [await journalSync(plan?.kind === 'by-linked-ids'
            // That year's groups by the ids linked then: a read of some of them proves no deletion, and its final marks
            // are the autumn re-read's (last-year-finals-read.ts).
            ? { ...input, deletesFromSnapshot: undefined, window: data.window, finals: false, scopeYearOnly: true, yearLinks: plan.yearLinks }
            : { ...input, window: data.window })]
          : nightlyJournalSync({ ...input, today, windowDays: school.journalWindowDays, sweepDays: school.journalSweepDays, sweepIntervalHours: cfg.sync.journalSweepIntervalHours, finalsIntervalHours: school.journalFinalsIntervalHours,
            lastYearFinalsUntil: school.journalLastYearFinalsUntil, lastYearFinalsIntervalHours: school.journalLastYearFinalsIntervalHours })));
      }
    });
  } else if (kind === 'grade-push') {
    const source = connectorFor(cfg, school.systemOfRecord, ctx.logger).run;
    // the school's journal closes every N days; R-22 then holds pushes into the closed period (journal-lock.ts).
    if (school.journalLockEveryDays && !data.dryRun) {
      const lock = await advanceJournalLock(ctx.store, { organizationId: schoolCanonicalId(school.id), today, everyDays: school.journalLockEveryDays, runId });
      if (lock.moved) ctx.logger?.info({ school: school.id, lockedThrough: lock.lockedThrough }, 'journal lock moved forward');
    }
    const targets = data.instance ? [data.instance] : school.pushTargets;
    for (const instance of targets) {
      const { connector, run } = connectorFor(cfg, instance, ctx.logger, ctx.store);
      done(await withConnector(connector, () => gradePush({
        store: ctx.store, source: { system: source.system, instance: source.instance },
        target: { connector, system: run.system, instance: run.instance, schoolSourceId: schoolSourceId(school, instance) }, school: { id: school.id },
        dryRun: data.dryRun, runId, logger: ctx.logger, onProgress: opts.onProgress,
      })));
    }
  }
  // A run may have written hundreds of thousands of rows; where no autovacuum gathers statistics (PGlite, or a server
  // with it off) the next runs' small lookups would be planned as scans (src/store/statistics.ts).
  const analyzed = await ctx.store.refreshStatistics().catch((e: unknown) => {
    ctx.logger?.warn({ err: (e as Error).message }, 'planner statistics not refreshed');
    return [];
  });
  if (analyzed.length) ctx.logger?.info({ tables: analyzed }, 'planner statistics refreshed');
  // A push whose writes failed is a failed run: retried as a job, not exit 0 on the command line (push-failures.ts).
  return throwOnFailedWrites(summaries);
}

/** The archive jobs (docs/backup.md): nightly-backup and yearly-archive. */
export async function runArchiveJob(kind: ArchiveJobKind, data: JobData, ctx: JobContext, opts: ProcessorOptions = {}): Promise<NightlyBackupSummary | YearlyArchiveSummary> {
  const runId = opts.runId ?? `${kind}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
  // copies left over a year unchecked are a warning of their own, damaged copies or not (overdue-checks.ts).
  const warnOverdue = (s: NightlyBackupSummary) => {
    if (s.reverified.overdue) ctx.logger?.warn({ school: s.school, overdue: s.reverified.overdue }, overdueWarning(s.school, s.reverified.overdue));
  };
  try {
    if (kind === 'yearly-archive') return await yearlyArchiveJob(ctx.config, ctx.store, data.schoolId, runId);
    const summary = await nightlyBackup(ctx.config, ctx.store, data.schoolId, runId);
    warnOverdue(summary);
    return summary;
  } catch (e) {
    if (e instanceof BackupJobConfigError) throw new UnrecoverableError(e.message); // missing key, one room: retrying cannot help
    // Tonight's backup is stored; a retry would only make another one. The damaged copy is the operator's to fix.
    if (e instanceof ArchiveDamagedError) {
      warnOverdue(e.summary);
      throw new UnrecoverableError(e.message);
    }
    throw e;
  }
}
