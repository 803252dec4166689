// `journal-gateway sync roster|journal --school ID` and `journal-gateway push --school ID [--dry-run]`:
// one-off runs on the same processors as the scheduled jobs, with progress and the run summary (printed, and
// written under <store.dataDir>/runs/ for a ticket).
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { createLogger } from '../../infra/logger.js';
import { openJobContext } from '../../jobs/job-context.js';
import type { SyncJobKind } from '../../jobs/job-types.js';
import { runJob } from '../../jobs/processors.js';
import { joinSharedRateLimits } from '../../jobs/shared-rate-limits.js';
import { formatSummary, type RunSummary } from '../../sync/run-summary.js';
import { writeRunSummaryFile } from '../../sync/run-summary-file.js';
import { checkWindow } from '../options.js';
import { Progress } from '../progress.js';
import { UsageError } from '../../infra/operator-errors.js';

export interface SyncOptions { config: string; school: string; instance?: string; from?: string; to?: string; dryRun?: boolean; json?: boolean; acceptDeletes?: string; prefix?: string }

export async function run(kind: SyncJobKind, opts: SyncOptions): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  // The options are checked before the store opens: a mistake is one line and exit 64 (usage), nothing touched.
  if ((opts.from && !opts.to) || (!opts.from && opts.to)) throw new UsageError('--from and --to go together (YYYY-MM-DD)');
  if (opts.from && opts.to) checkWindow('--from', opts.from, '--to', opts.to);
  if (opts.acceptDeletes !== undefined && !/^\d+$/.test(opts.acceptDeletes)) {
    throw new UsageError(`--accept-deletes takes the number of missing records a refused run reported (a whole number), not "${opts.acceptDeletes}"`);
  }
  const logger = createLogger({ level: cfg.logging.level === 'info' ? 'warn' : cfg.logging.level });
  // Before any connector exists: its requests count in the running workers' budget (shared-rate-limits.ts).
  const limits = await joinSharedRateLimits(cfg, logger, opts.prefix);
  const ctx = await openJobContext(cfg, logger).catch(async (e) => { await limits.close(); throw e; });
  const progress = new Progress(kind);
  // Every platform's summary, kept as its run ends: printed and written even when a later platform's run fails.
  const summaries: RunSummary[] = [];
  const report = () => {
    // The command a summary suggests names this run's configuration, so it can be pasted as printed.
    for (const s of summaries) process.stdout.write(`${opts.json ? JSON.stringify(s) : formatSummary(s).replaceAll('--config FILE', `--config ${shellWord(opts.config)}`)}\n`);
    const file = writeRunSummaryFile(cfg.store.dataDir, summaries);
    if (file) process.stderr.write(`summary: ${file}\n`);
  };
  try {
    await runJob(kind, {
      schoolId: opts.school, ...(opts.instance ? { instance: opts.instance } : {}),
      ...(opts.from && opts.to ? { window: { from: opts.from, to: opts.to } } : {}), ...(opts.dryRun ? { dryRun: true } : {}),
      ...(opts.acceptDeletes !== undefined ? { acceptDeletes: Number(opts.acceptDeletes) } : {}),
    }, ctx, { onProgress: (stage, done, total) => progress.update(done, total, stage), onSummary: (s) => summaries.push(s) });
    progress.done(`${summaries.length} run(s)`);
    report();
    return 0;
  } catch (e) {
    progress.clear();
    report();
    throw e;
  } finally {
    await ctx.close();
    await limits.close();
  }
}

/** A path as one shell word: quoted when it holds anything but letters, digits and `._/-` (a space would split it). */
const shellWord = (path: string) => (/^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`);
