// `journal-gateway migrate --from A --to B --school ID [--dry-run]`: full read of A, identity matching
// against B, plan, push through the outbound ledger (resumable), reconciliation; JSON + HTML report.
// Into ЭлЖур (no write API): the import package, then `--verify-import` once the support team loaded it.
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { getPlatform } from '../../connectors/registry.js';
import { createLogger } from '../../infra/logger.js';
import { connectorFor, instanceByName, openJobContext, schoolById, schoolSourceId } from '../../jobs/job-context.js';
import { addDays, instantToLocalDate, schoolYearStart } from '../../model/dates.js';
import { hasCapability } from '../../connectors/contract.js';
import { migrate } from '../../sync/migrate.js';
import { judgeMigrationWindow } from '../../sync/migration-window.js';
import { schoolCanonicalId } from '../../sync/roster-sync.js';
import { joinSharedRateLimits } from '../../jobs/shared-rate-limits.js';
import type { GatewayConfig, SchoolConfig } from '../../config/schema.js';
import type { Logger } from 'pino';
import type { Store } from '../../store/index.js';
import { migrateByPackage, requireReadIntoStore } from '../../sync/migrate-by-package.js';
import { migrationReportBase, migrationSummary, writeMigrationReport } from '../../sync/migration-report.js';
import { checkWindow, parseDay } from '../options.js';
import { Progress } from '../progress.js';
import { UsageError } from '../../infra/operator-errors.js';

export interface MigrateOptions { config: string; from: string; to: string; school: string; dryRun?: boolean; verifyImport?: boolean; since?: string; until?: string; out: string; prefix?: string }

export async function run(opts: MigrateOptions): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  const logger = createLogger({ level: 'warn' });
  // Everything the operator typed is checked before the store opens (an open store would keep the process alive).
  if (opts.from === opts.to) throw new UsageError(`--from and --to are the same instance (${opts.from}): a migration goes from one platform instance to another`);
  const school = schoolById(cfg, opts.school);
  const byPackage = takesImportPackage(cfg, opts.to);
  // Before Redis, the store and both logins: these used to come after both platforms were logged into, so a wrong
  // command line cost two logins and a share of each platform's rate budget before it was refused.
  if (opts.verifyImport && opts.dryRun) throw new UsageError('--verify-import and --dry-run go separately: the dry run plans, --verify-import checks a loaded package');
  if (opts.verifyImport && !byPackage) throw new UsageError(`--verify-import is for a target that takes an import package (ЭлЖур); ${opts.to} is written through its API`);
  const today = instantToLocalDate(new Date().toISOString(), school.timeZone);
  // Default: the school year that contains today (1 September … today).
  if (opts.since) parseDay('--since', opts.since);
  if (opts.until) parseDay('--until', opts.until);
  const window = checkWindow('--since', opts.since ?? schoolYearStart(today), '--until', opts.until ?? addDays(today, 0));
  const runId = `migrate-${opts.from}-${opts.to}-${Date.now()}`;
  // Before the connectors exist: their requests count in the running workers' budget (shared-rate-limits.ts).
  const limits = await joinSharedRateLimits(cfg, logger, opts.prefix);
  try {
    return await migrateWith(cfg, opts, { logger, school, window, runId, byPackage });
  } finally {
    await limits.close();
  }
}

async function migrateWith(
  cfg: GatewayConfig, opts: MigrateOptions,
  { logger, school, window, runId, byPackage }: { logger: Logger; school: SchoolConfig; window: { from: string; to: string }; runId: string; byPackage: boolean },
): Promise<number> {
  // The connectors keep what a platform issues for the next run (a rotated refresh token) in the store, which opens
  // only once the command line is checked: they get it when it is open (before they log in).
  let storeOpened!: (s: Store) => void;
  const store = new Promise<Store>((resolve) => { storeOpened = resolve; });
  const side = (instance: string) => {
    const { connector, run } = connectorFor(cfg, instance, logger, store);
    return { connector, mapper: getPlatform(connector.declaration.platform).mapper, run: { ...run, runId }, schoolSourceId: schoolSourceId(school, instance) };
  };
  const from = side(opts.from);
  const to = side(opts.to);
  const ctx = await openJobContext(cfg, logger);
  storeOpened(ctx.store);
  const progress = new Progress('migrate');
  try {
    // Before the connectors log in: a window before either platform's current school year makes no request (migration-window.ts).
    await judgeMigrationWindow(ctx.store, schoolCanonicalId(school.id), [from, to], window, opts.to);
    // As early, for the same reason: a verification with nothing to verify used to log into both platforms first.
    if (opts.verifyImport) await requireReadIntoStore(ctx.store, school.id);
    // The verification compares the target read back with the store and never reads the source: logging into it
    // cost the old platform a login and rate budget, and failed once that platform was switched off after the move.
    if (!opts.verifyImport) await from.connector.open();
    await to.connector.open();
    const onProgress = (stage: string, done: number, total?: number) => progress.update(done, total, stage);
    const base = migrationReportBase(opts.out, school.id, opts.from, opts.to);
    const common = { store: ctx.store, school: { id: school.id, timeZone: school.timeZone }, from, to, window, deleteThreshold: cfg.sync.deleteThreshold, secondMissAfterHours: cfg.sync.secondMissAfterHours, subjectAliases: cfg.sync.subjectAliases, logger, onProgress };
    const report = byPackage
      ? await migrateByPackage({ ...common, stage: opts.dryRun ? 'dry-run' : opts.verifyImport ? 'verify-import' : 'package', packageDir: `${base}-package`, vendor: vendorOf(cfg, opts.to) })
      : await migrate({ ...common, dryRun: !!opts.dryRun });
    // Waiting for its import only where a package was written: a stage that found ЭлЖур holding everything writes none,
    // and is not "ok" only for what a package cannot fix (deletes the source's read refused).
    const awaitingImport = 'stage' in report && report.stage === 'package' && !report.ok && 'importPackage' in report && !!report.importPackage;
    progress.done(report.dryRun ? 'planned' : awaitingImport ? 'import package written' : report.ok ? 'done, nothing lost' : 'done, NOT everything migrated (see above)');
    // A dry run's plan has a name of its own: under the migration's, it replaced the report the school keeps of what
    // was moved and what was not.
    const files = writeMigrationReport(report, report.dryRun ? `${base}-dry-run` : base);
    process.stdout.write(`${migrationSummary(report)}\nreport: ${files.json}, ${files.html}\n`);
    return report.dryRun || awaitingImport || report.ok ? 0 : 1;
  } finally {
    await from.connector.close().catch(() => {});
    await to.connector.close().catch(() => {});
    await ctx.close();
  }
}

/**
 * A target without a write API (ЭлЖур) gets an import package, then `--verify-import` (docs/migration.md). Judged from
 * the platform's declaration in the registry, so the command line is checked before any connector exists.
 */
function takesImportPackage(cfg: GatewayConfig, instance: string): boolean {
  const { declaration } = getPlatform(instanceByName(cfg, instance).platform);
  return !hasCapability(declaration, 'marks.write') && hasCapability(declaration, 'import_package.export');
}

/** The ЭлЖур vendor (the school's subdomain) of an instance, as its connector options give it: the package names it. */
function vendorOf(cfg: GatewayConfig, instance: string): string | undefined {
  const vendor = cfg.platforms.find((p) => p.instance === instance)?.options?.vendor;
  return typeof vendor === 'string' && vendor ? vendor : undefined;
}
