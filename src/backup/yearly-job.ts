// The yearly-archive job (R-31): scheduled per school in June, it archives the current school year's
// class journals and summary sheet. Safe to run every day of the window: a run adds what is missing and makes a
// class journal or the summary sheet again only when what it shows changed since (a late correction, an August
// retake), superseding the earlier snapshot, which is kept.
import type { GatewayConfig } from '../config/schema.js';
import { schoolById } from '../jobs/job-context.js';
import { instantToLocalDate, schoolYearOfDate } from '../model/dates.js';
import { CanonicalStore, type Store } from '../store/index.js';
import { organizationFor } from './backup-scope.js';
import { BackupConfigError, checkSeparateDevices } from './destinations.js';
import { signerFromConfig, verifierFromConfig } from './keys.js';
import { BackupJobConfigError } from './nightly-job.js';
import { yearlyArchive } from './yearly-archive.js';

export interface YearlyArchiveSummary {
  runId: string;
  kind: 'yearly-archive';
  school: string;
  schoolYear: number;
  classJournals: number;
  summarySheet: boolean;
  alreadyArchived: number;
  /** Snapshots made again because their class's journal or the school's final marks changed since. */
  amended: number;
  startedAt: string;
  finishedAt: string;
}


export async function yearlyArchiveJob(cfg: GatewayConfig, store: Store, schoolId: string, runId: string, now = new Date()): Promise<YearlyArchiveSummary> {
  const startedAt = new Date().toISOString();
  if (!(store instanceof CanonicalStore)) throw new BackupJobConfigError('yearly-archive reads the SQL store directly; this job context has another store');
  let setup;
  try {
    const school = schoolById(cfg, schoolId);
    await checkSeparateDevices(cfg.backup.destinations, cfg.backup.allowOneDevice);
    setup = {
      signer: await signerFromConfig(cfg.backup), verifier: await verifierFromConfig(cfg.backup),
      schoolYear: schoolYearOfDate(instantToLocalDate(now.toISOString(), school.timeZone)),
    };
  } catch (e) {
    throw new BackupJobConfigError((e as Error).message);
  }
  const organizationId = await organizationFor(store, cfg, { schoolId });
  try {
    const r = await yearlyArchive(store, {
      organizationId, schoolYear: setup.schoolYear, runId, destinations: cfg.backup.destinations, signer: setup.signer, verifier: setup.verifier,
      amend: true, csvSeparator: cfg.backup.csvSeparator,
    });
    return {
      runId, kind: 'yearly-archive', school: schoolId, schoolYear: setup.schoolYear, classJournals: r.classJournals.length,
      summarySheet: r.summarySheet !== null, alreadyArchived: r.alreadyArchived, amended: r.amended, startedAt, finishedAt: new Date().toISOString(),
    };
  } catch (e) {
    if (e instanceof BackupConfigError) throw new BackupJobConfigError(e.message);
    throw e;
  }
}

export function formatYearlySummary(s: YearlyArchiveSummary): string {
  return `yearly-archive ${s.school} ${s.schoolYear - 1}/${s.schoolYear}: ${s.classJournals} class journal(s) archived, summary sheet ${s.summarySheet ? 'archived' : 'already there'}, ${s.alreadyArchived} class(es) archived earlier and unchanged${s.amended ? `, ${s.amended} snapshot(s) made again because the data changed (the earlier ones are kept)` : ''}`;
}
