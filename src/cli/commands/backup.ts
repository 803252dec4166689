// `journal-gateway backup run|verify|restore|prune|list` (docs/backup.md): signed, verified store backups
// on two media (R-33…R-35) and the snapshots' retention (R-32). Prints ids, paths and counts, and a class journal's
// class by its title («5А», the id only where two classes of the year share it): never a person's name.
import path from 'node:path';
import { getSnapshot, listSnapshots, pruneExpired, pruneSnapshot, verifySnapshot } from '../../backup/catalog.js';
import { checkSeparateDevices } from '../../backup/destinations.js';
import { recordedLocations, removeLeftovers, type Leftover } from '../../backup/leftovers.js';
import { organizationFor, schoolOfOrganization } from '../../backup/backup-scope.js';
import { signerFromConfig, verifierFromConfig } from '../../backup/keys.js';
import { checkBackup, restoreChecked } from '../../backup/restore.js';
import { runBackup } from '../../backup/run-backup.js';
import { verifyBackup } from '../../backup/verify.js';
import { yearlyArchive, yearlyArchiveGaps } from '../../backup/yearly-archive.js';
import { classNamesOf } from '../../backup/snapshot-classes.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { openConfiguredStore as openStoreOf, schoolById } from '../../jobs/job-context.js';
import type { GatewayConfig } from '../../config/schema.js';
import { openStore, type CanonicalStore } from '../../store/index.js';
import { renderTable } from '../table.js';
import { Progress } from '../progress.js';
import { UsageError } from '../../infra/operator-errors.js';
import { parseCsvSeparator } from '../options.js';
import { checkRestoreInto } from '../restore-into.js';

export interface BackupOptions {
  config: string;
  school?: string;
  organization?: string;
  dir?: string;
  into?: string;
  expired?: boolean;
  json?: boolean;
  year?: string;
  check?: boolean;
  amend?: boolean;
  /** archive: the CSV documents' field separator (default: backup.csvSeparator). */
  separator?: string;
}

const runIdOf = (action: string) => `backup-${action}-${new Date().toISOString().replace(/[-:.]/g, '')}`;

function openConfiguredStore(cfg: GatewayConfig, dataDir?: string): Promise<CanonicalStore> {
  if (dataDir) return openStore({ databaseUrl: null, dataDir: path.resolve(dataDir) });
  return openStoreOf(cfg);
}

async function withStore<T>(cfg: GatewayConfig, fn: (s: CanonicalStore) => Promise<T>, dataDir?: string): Promise<T> {
  const store = await openConfiguredStore(cfg, dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const printLeftovers = (removed: Leftover[]) => {
  for (const l of removed) {
    out(l.action === 'completed'
      ? `completed ${l.path} on ${l.destination}: a recorded copy an interrupted run had not yet renamed (last written ${l.lastWrite})`
      : `removed ${l.path} on ${l.destination}: half-written by an interrupted run (last written ${l.lastWrite})`);
  }
};

/** The school `--school` or `--organization` names (its organization id), or undefined for every school. */
async function scopeOf(store: CanonicalStore, cfg: GatewayConfig, opts: BackupOptions): Promise<string | undefined> {
  if (!opts.school && !opts.organization) return undefined;
  return organizationFor(store, cfg, { organizationId: opts.organization, schoolId: opts.school });
}

/** The snapshot `id`, refused when it is not the named school's: a prune or verify must never act on another school. */
async function snapshotIn(store: CanonicalStore, id: string, organizationId: string | undefined, opts: BackupOptions): Promise<string> {
  const s = await getSnapshot(store, id);
  if (organizationId !== undefined && s.organizationId !== organizationId) {
    throw new UsageError(`snapshot ${id} belongs to organization ${s.organizationId}, not to ${opts.school ? `school ${opts.school}` : 'the --organization given'} (${organizationId})`);
  }
  return s.id;
}

export async function run(action: string, id: string | undefined, opts: BackupOptions): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  switch (action) {
    case 'run': return withStore(cfg, async (store) => {
      await checkSeparateDevices(cfg.backup.destinations, cfg.backup.allowOneDevice);
      const runId = runIdOf('run');
      const organizationId = await organizationFor(store, cfg, { organizationId: opts.organization, schoolId: opts.school });
      // --school or --organization: that school only, with its platform instances' cursors; neither: the whole store
      const school = opts.school ? schoolById(cfg, opts.school) : opts.organization ? await schoolOfOrganization(store, cfg, organizationId) : undefined;
      const progress = new Progress('backup');
      const r = await runBackup(store, {
        onProgress: (stage, done) => progress.update(done, undefined, stage),
        destinations: cfg.backup.destinations, signer: await signerFromConfig(cfg.backup), verifier: await verifierFromConfig(cfg.backup),
        nightlyRetentionDays: cfg.backup.nightlyRetentionDays, runId, organizationId, region: cfg.region.id,
        ...(school ? { schoolId: school.id, school: { instances: school.platforms.map((p) => p.instance) } } : {}),
      });
      progress.clear();
      if (opts.json) out(JSON.stringify({ snapshotId: r.snapshot.id, records: r.records, bytes: r.bytes, retainUntil: r.snapshot.retainUntil, copies: r.copies, leftoversRemoved: r.leftoversRemoved }));
      else {
        printLeftovers(r.leftoversRemoved);
        out(`snapshot ${r.snapshot.id}: ${r.records} records, ${r.bytes} bytes a copy, kept until ${r.snapshot.retainUntil}`);
        out(renderTable(['medium', 'room', 'location', 'verified'], r.copies.map((c) => [c.medium, c.siteRoom, c.location ?? '', c.verifiedAt ?? ''])));
      }
      return 0;
    });
    case 'verify': {
      const verifier = await verifierFromConfig(cfg.backup);
      if (opts.dir) {
        const r = await verifyBackup(path.resolve(opts.dir), verifier);
        for (const p of r.problems) out(`${r.dir}: ${p.file}: ${p.message}`);
        out(r.ok ? `${r.dir}: ok (${r.manifest?.files.length} files, signature by ${r.manifest?.signer.certificateHash})` : `${r.dir}: ${r.problems.length} problem(s)`);
        return r.ok ? 0 : 1;
      }
      return withStore(cfg, async (store) => {
        const scope = await scopeOf(store, cfg, opts);
        const ids = id ? [await snapshotIn(store, id, scope, opts)] : (await listSnapshots(store, scope)).map((s) => s.id);
        if (!ids.length) {
          // Nothing checked is not "all is well": a monitoring script must not read silence as verified backups.
          process.stderr.write(`R-34: no backup or archive snapshot is recorded${scope ? ` for ${opts.school ? `school ${opts.school}` : `organization ${scope}`}` : ' in the store'}: nothing to verify (journal-gateway backup run makes one)\n`);
          return 1;
        }
        let bad = 0;
        for (const sid of ids) {
          const { checks, prunedMeanwhile } = await verifySnapshot(store, sid, verifier, runIdOf('verify'), { allowOneDevice: cfg.backup.allowOneDevice });
          if (prunedMeanwhile) {
            // Its copies were removed on purpose while they were read: no damage, and nothing recorded.
            out(`${sid}: pruned while it was being verified; nothing recorded`);
            continue;
          }
          for (const c of checks) {
            if (!c.ok) bad++;
            out(`${sid} ${c.medium} (${c.siteRoom}) ${c.location}: ${c.ok ? 'ok' : `${c.problems.length} problem(s)`}`);
            for (const p of c.problems) out(`  ${p.file}: ${p.message}`);
          }
        }
        if (bad) process.stderr.write(`R-34: ${bad} damaged cop${bad === 1 ? 'y' : 'ies'}: restore them from a good copy\n`);
        return bad ? 1 : 0;
      });
    }
    case 'restore': {
      if (!opts.dir) throw new UsageError('backup restore needs --dir <backup directory> (one copy of a backup)');
      if (opts.into) checkRestoreInto(opts.into);
      const verifier = await verifierFromConfig(cfg.backup);
      // The copy is checked before the target is opened: opening creates and migrates it (a PGlite directory at
      // --into, the configured PostgreSQL schema), which a damaged copy must not leave behind.
      const checked = await checkBackup(path.resolve(opts.dir), verifier);
      return withStore(cfg, async (store) => {
        const r = await restoreChecked(checked, store);
        const records = Object.values(r.records).reduce((a, b) => a + b, 0);
        out(`restored backup ${r.backupId}: ${records} records, ${Object.entries(r.tables).map(([t, n]) => `${n} ${t}`).join(', ')}`);
        if (r.ignoredFiles.length) out(`ignored ${r.ignoredFiles.length} file(s) the manifest does not list (something wrote into this copy; \`backup verify\` reports them): ${r.ignoredFiles.join(', ')}`);
        if (r.crosswalkLinksOutside) out(`${r.crosswalkLinksOutside} crosswalk row(s) were superseded by a row of another school (not in this backup): supersededBy left empty`);
        return 0;
      }, opts.into);
    }
    case 'prune': {
      // Retention (R-32, a blocking rule) is judged by the machine's clock only: a date given on the command line
      // once deleted a 25-year summary sheet on the day it was made.
      const today = new Date().toISOString().slice(0, 10);
      if (!id && !opts.expired) throw new UsageError('backup prune needs a snapshot id, or --expired for every snapshot past its retainUntil');
      return withStore(cfg, async (store) => {
        const runId = runIdOf('prune');
        const scope = await scopeOf(store, cfg, opts);
        printLeftovers(await removeLeftovers(cfg.backup.destinations, { recorded: await recordedLocations(store) }));
        const expired = id ? undefined : await pruneExpired(store, today, runId, scope);
        const results = id ? [await pruneSnapshot(store, await snapshotIn(store, id, scope, opts), today, runId)] : expired!.pruned;
        for (const k of expired?.keptAsNewest ?? []) out(`kept ${k}: past its retainUntil, but the school's newest nightly backup whose last check passed`);
        for (const p of results) {
          const partly = p.unreachable.length || p.unproven.length;
          out(`${partly ? 'partly pruned' : 'pruned'} ${p.id} (${p.kind}, kept until ${p.retainUntil}): removed ${p.removed.length} cop${p.removed.length === 1 ? 'y' : 'ies'}${p.skipped.length ? `, left ${p.skipped.join(', ')} (gone already, or another snapshot's)` : ''}`);
          for (const d of p.removedDamaged) out(`  removed ${d.location} though damaged (${d.why}): its manifest.sig is this snapshot's signature`);
          if (p.unreachable.length) out(`  unreachable: ${p.unreachable.join(', ')} — medium not mounted? the snapshot is kept for these copies; prune again once it is back`);
          for (const u of p.unproven) out(`  not removed: ${u.location} — ${u.why}, so it cannot be told from another snapshot's copy; the snapshot is kept for it. Look at it (\`backup verify --dir\`); if it is this snapshot's, delete the directory, then prune again`);
        }
        if (!results.length) out('nothing past its retainUntil');
        return results.some((p) => p.unreachable.length || p.unproven.length) ? 1 : 0;
      });
    }
    case 'list': return withStore(cfg, async (store) => {
      const rows = await listSnapshots(store, await scopeOf(store, cfg, opts));
      const classes = await classNamesOf(store, rows.map((s) => s.homeroomClassId));
      if (opts.json) {
        for (const s of rows) {
          out(JSON.stringify({
            id: s.id, kind: s.kind, schoolYear: s.schoolYear,
            ...(s.homeroomClassId ? { homeroomClassId: s.homeroomClassId, class: classes.get(s.homeroomClassId) } : {}),
            createdAt: s.createdAt, retainUntil: s.retainUntil, copies: s.copies,
          }));
        }
      } else out(renderTable(['snapshot', 'kind', 'class', 'year', 'created', 'kept until', 'copies', 'last verified'], rows.map((s) => [
        s.id, s.kind, s.homeroomClassId ? classes.get(s.homeroomClassId)! : '—', s.schoolYear, s.createdAt, s.retainUntil, s.copies.map((c) => `${c.medium}@${c.siteRoom}`).join(', '),
        // A damaged copy keeps its old verifiedAt: shown as damaged, not as verified then.
        s.copies.some((c) => c.lastCheckFailedAt) ? `damaged: ${s.copies.filter((c) => c.lastCheckFailedAt).map((c) => c.medium).join(', ')}` : s.copies.map((c) => c.verifiedAt ?? '—').sort()[0] ?? '—',
      ])));
      return 0;
    });
    case 'archive': {
      const year = Number(opts.year);
      if (!opts.year || !Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError(`backup archive needs --year <ending year, e.g. 2026 for 2025/2026>${opts.year ? `; got "${opts.year}"` : ''}`);
      // The configured one unless asked otherwise: the scheduled job's --amend runs compare bytes, so a manual run that
      // wrote the other separator would make the next job run re-make every document.
      const csvSeparator = opts.separator === undefined ? cfg.backup.csvSeparator : parseCsvSeparator('--separator', opts.separator);
      return withStore(cfg, async (store) => {
        const organizationId = await organizationFor(store, cfg, { organizationId: opts.organization, schoolId: opts.school });
        if (opts.check) {
          const gaps = await yearlyArchiveGaps(store, organizationId, year);
          const missing = await classNamesOf(store, gaps.classesMissing);
          out(`R-31 ${year - 1}/${year}: ${gaps.classesMissing.length} homeroom class(es) without a class journal snapshot${gaps.classesMissing.length ? ` (${gaps.classesMissing.map((id) => missing.get(id)).join(', ')})` : ''}; summary sheet ${gaps.summarySheet ? 'present' : 'missing'}`);
          return gaps.classesMissing.length || !gaps.summarySheet ? 1 : 0;
        }
        await checkSeparateDevices(cfg.backup.destinations, cfg.backup.allowOneDevice);
        const r = await yearlyArchive(store, {
          organizationId, schoolYear: year, runId: runIdOf('archive'), destinations: cfg.backup.destinations,
          signer: await signerFromConfig(cfg.backup), verifier: await verifierFromConfig(cfg.backup), csvSeparator, ...(opts.amend ? { amend: true } : {}),
        });
        if (r.alreadyArchived) out(`${r.alreadyArchived} class journal(s) were archived earlier and ${opts.amend ? 'are unchanged' : 'left alone (--amend makes again those whose data changed)'}${r.summarySheet ? '' : '; the summary sheet too'}`);
        if (r.amended) out(`${r.amended} snapshot(s) made again because what they show changed; each names the one it supersedes, which is kept`);
        const classes = await classNamesOf(store, r.classJournals.map((s) => s.homeroomClassId));
        out(renderTable(['snapshot', 'kind', 'class', 'kept until', 'supersedes', 'copies'], [...r.classJournals, ...(r.summarySheet ? [r.summarySheet] : [])].map((s) => [
          s.id, s.kind, s.homeroomClassId ? classes.get(s.homeroomClassId)! : '—', s.retainUntil, typeof s.ext?.supersedes === 'string' ? s.ext.supersedes : '—', s.copies.map((c) => c.location ?? '').join(' '),
        ])));
        return 0;
      });
    }
    default:
      throw new UsageError(`unknown backup action "${action}": use run, verify, restore, prune, list or archive`);
  }
}
