// The four-platform demo (issue 8): the real jobs on real Redis against the emulators, a migration into
// ЭлЖур with its import package and read-back, a nightly backup on two media with its verification, and a
// reconciliation table of every platform read back. `ok` only when nothing was lost or duplicated.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NightlyBackupSummary } from '../../backup/nightly-job.js';
import { verifierFromConfig } from '../../backup/keys.js';
import { verifyBackup } from '../../backup/verify.js';
import { getPlatform } from '../../connectors/registry.js';
import { importIntoEmulator } from '../../emulators/eljur/admin-import.js';
import type { RedisEndpoint } from '../../infra/redis-service.js';
import { connectorFor, openJobContext, schoolById, schoolSourceId } from '../../jobs/job-context.js';
import { openJobRunner } from '../../jobs/run-once.js';
import { startWorker } from '../../jobs/worker.js';
import { migrateByPackage } from '../../sync/migrate-by-package.js';
import { migrationReportBase, migrationSummary, writeMigrationReport } from '../../sync/migration-report.js';
import { decidePersonMatch, pendingReview } from '../../sync/review.js';
import { schoolCanonicalId } from '../../sync/roster-sync.js';
import { formatSummary, type RunSummary } from '../../sync/run-summary.js';
import { schoolRecords } from '../../sync/school-records.js';
import { dropSchema } from '../../store/open-store.js';
import { renderTable } from '../table.js';
import { INSTANCES, SCHOOL_ID, startDemoRegion, type DemoRegion } from './region.js';
import { expectedOf, rowOf, TALLIED, tallyPlatform, type TallyRow } from './tally.js';

export interface DemoOptions { seed: number; pupils: number; weeks: number; dataDir: string; databaseUrl?: string; redis: RedisEndpoint; logger: Logger; out: NodeJS.WritableStream }

/** Seams for the tests: what happens to the emulators between steps (e.g. a target losing a write). */
export interface DemoHooks { afterPush?: (region: DemoRegion) => void | Promise<void> }

export interface DemoResult { ok: boolean; rows: TallyRow[]; reports: string[]; backupVerified: boolean; seconds: number }

export async function runDemo(opts: DemoOptions, hooks: DemoHooks = {}): Promise<DemoResult> {
  const t0 = performance.now();
  const out = (s = '') => opts.out.write(`${s}\n`);
  const step = (s: string) => out(`\n[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${s}`);
  // The demo's own directory (and PostgreSQL schema) starts empty, so every run shows the same numbers.
  rmSync(opts.dataDir, { recursive: true, force: true });
  const schema = opts.databaseUrl ? 'jg_demo' : undefined;
  if (opts.databaseUrl && schema) await dropSchema(opts.databaseUrl, schema);
  step('starting the four emulators, the store and a worker');
  const region = await startDemoRegion({ ...opts, schema });
  const prefix = `jg-demo-${randomUUID()}`;
  const ctx = await openJobContext(region.config, opts.logger);
  const worker = await startWorker(region.config, opts.logger, { redisUrl: opts.redis.url, prefix, store: ctx.store, concurrency: 1 });
  const jobs = await openJobRunner(opts.redis.url, prefix);
  const reports: string[] = [];
  try {
    const { school, config, window } = region;
    out(`school: ${school.all('person').length} people, ${school.all('lesson').length} lessons, ${school.all('mark').length} marks, ${school.all('attendance_record').length} absences, ${window.from} … ${window.to}`);
    out(`platforms: ${INSTANCES.sor} (Дневник.ру, system of record: the journal), ${INSTANCES.asurso} (АСУ РСО), ${INSTANCES.epos} (ЭПОС.Школа), ${INSTANCES.eljur} (ЭлЖур) — roster and timetable only`);
    out(`redis: ${opts.redis.origin === 'private' ? 'a private redis-server on a Unix socket under .data/' : opts.redis.url.replace(/\/\/[^@/]*@/, '//***@')}; store: ${opts.databaseUrl ? `PostgreSQL, schema ${schema}` : `PGlite in ${opts.dataDir}`}`);
    const job = async (kind: 'roster-sync' | 'journal-sync' | 'grade-push', instance?: string) => {
      const summaries = await jobs.run<RunSummary[]>(kind, { schoolId: SCHOOL_ID, window, ...(instance ? { instance } : {}) });
      for (const s of summaries) out(`  ${formatSummary(s)}`);
      return summaries;
    };

    step('roster sync from all four platforms (job roster-sync)');
    await job('roster-sync');
    // АСУ РСО's teacher routes and ЭлЖур send no birth date: their people wait in the review queue. The demo
    // plays the school's operator and accepts the exact-name proposals (docs/sync.md, `journal-gateway review`).
    const proposals = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && r.rule === 'name_exact_no_birthdate');
    for (const p of proposals) await decidePersonMatch(ctx.store, p.id, 'merge', 'demo-review');
    step(`review queue: ${proposals.length} people from АСУ РСО and ЭлЖур proposed by exact full name (no birth date there); the operator accepts them; roster sync again`);
    await job('roster-sync');

    step('journal sync: the system of record, then the push targets\' timetables (job journal-sync)');
    await job('journal-sync');
    step('grade push into АСУ РСО and ЭПОС.Школа through the outbound ledger (job grade-push)');
    await job('grade-push');
    await hooks.afterPush?.(region);

    step('migration into ЭлЖур: import package, the support team\'s import (emulator), read-back');
    const side = (instance: string) => {
      const { connector, run } = connectorFor(config, instance, opts.logger, ctx.store);
      return { connector, mapper: getPlatform(connector.declaration.platform).mapper, run: { ...run, runId: `demo-migrate-${Date.now()}` }, schoolSourceId: schoolSourceId(schoolById(config, SCHOOL_ID), instance) };
    };
    const from = side(INSTANCES.sor);
    const to = side(INSTANCES.eljur);
    const reportDir = path.join(opts.dataDir, 'reports');
    const base = migrationReportBase(reportDir, SCHOOL_ID, INSTANCES.sor, INSTANCES.eljur);
    const common = { store: ctx.store, school: { id: SCHOOL_ID, timeZone: schoolById(config, SCHOOL_ID).timeZone }, from, to, window, deleteThreshold: config.sync.deleteThreshold, logger: opts.logger };
    await from.connector.open();
    const packaged = await migrateByPackage({ ...common, stage: 'package', packageDir: `${base}-package` });
    await from.connector.close().catch(() => {});
    const loaded = await importIntoEmulator(region.emulators.eljur.baseUrl, String(region.emulators.eljur.info.devkey), packaged.importPackage!.dir);
    out(`  package: ${packaged.importPackage!.files.map((f) => `${f.name} ${f.rows}`).join(', ')}`);
    out(`  loaded by the ЭлЖур emulator: ${loaded.mark ?? 0} marks, ${loaded.attendance_record ?? 0} absences, ${loaded.lesson ?? 0} lessons`);
    await to.connector.open();
    const verified = await migrateByPackage({ ...common, stage: 'verify-import', packageDir: `${base}-package` });
    await to.connector.close().catch(() => {});
    const files = writeMigrationReport(verified, base);
    reports.push(files.json, files.html, packaged.importPackage!.dir);
    out(migrationSummary(verified).split('\n').filter((l) => /reconciliation|expected|read-back|nothing lost|difference/.test(l)).join('\n'));
    step('roster sync from ЭлЖур after the move (its pupils are linked by the import verification)');
    await job('roster-sync', INSTANCES.eljur);

    step('nightly backup to two directories (job nightly-backup), then verify every copy');
    const backup = await jobs.run<NightlyBackupSummary>('nightly-backup', { schoolId: SCHOOL_ID });
    const verifier = await verifierFromConfig(config.backup);
    let backupVerified = backup.copies.length >= 2;
    for (const c of backup.copies) {
      const v = await verifyBackup(c.location!, verifier);
      backupVerified &&= v.ok;
      out(`  ${c.medium}@${c.siteRoom}: ${c.location} — ${v.ok ? 'verified (SHA-256 of every file, Ed25519 signature)' : `FAILED: ${v.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`}`);
      reports.push(c.location!);
    }
    out(`  ${backup.records} records in snapshot ${backup.snapshotId}`);

    step('reconciliation: every platform read back and compared with the system of record');
    const expected = await expectedOf(ctx.store, await schoolRecords(ctx.store, schoolCanonicalId(SCHOOL_ID), window), { system: from.run.system, instance: from.run.instance }, window);
    const rows: TallyRow[] = [];
    for (const instance of [INSTANCES.sor, INSTANCES.asurso, INSTANCES.epos]) {
      const s = side(instance);
      await s.connector.open();
      try {
        rows.push(...await tallyPlatform(ctx.store, s, window, expected));
      } finally {
        await s.connector.close().catch(() => {});
      }
    }
    // ЭлЖур: its sections exist only in its diary, so its read-back is the import verification's (matched by name and parallel).
    rows.push(...TALLIED.map((e) => rowOf(INSTANCES.eljur, e, expected, verified.reconciliation?.differences ?? [])));
    out(renderTable(['platform', 'entity', 'expected', 'present', 'missing', 'duplicated', 'different'], rows.map((r) => [r.platform, r.entity, r.expected, r.present, r.missing, r.duplicated, r.different])));
    for (const r of rows) {
      if (r.folded) out(`  ${r.platform}: ${r.folded} ${r.entity === 'mark' ? 'marks' : 'absences'} held in the platform's own spelling (${r.entity === 'mark' ? '5-/4+ as the integer, «точка» as «.»' : 'a reason it has no code for'}; not counted as different)`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const lost = rows.filter((r) => r.missing > 0 || r.duplicated > 0 || r.different > 0);
    const ok = lost.length === 0 && backupVerified && verified.ok;
    const tableFile = path.join(reportDir, 'demo-reconciliation.json');
    writeFileSync(tableFile, `${JSON.stringify({ ok, seconds, window, rows, migrationOk: verified.ok, backupVerified }, null, 2)}\n`);
    reports.unshift(tableFile);
    out('\nreports:');
    for (const r of reports) out(`  ${r}`);
    out(`\n${ok ? 'nothing lost' : `LOST, DUPLICATED OR CHANGED: ${lost.map((r) => `${r.platform} ${r.entity} missing ${r.missing}, duplicated ${r.duplicated}, different ${r.different}`).join('; ') || 'see above'}${verified.ok ? '' : '; the ЭлЖур read-back differs'}${backupVerified ? '' : '; a backup copy failed verification'}`} — ${seconds.toFixed(1)} s`);
    return { ok, rows, reports, backupVerified, seconds };
  } finally {
    await jobs.close();
    await worker.close();
    await ctx.close();
    await region.close();
  }
}
