// Migration into a platform with no write API (ЭлЖур, platforms.md §4.4; DECISIONS.md §5): the apply step
// writes the import package for the platform's support team instead of pushing through the ledger, and
// the reconciliation runs once the support team has loaded it — `migrate … --verify-import` reads the
// school back and compares it with the canonical store per entity (docs/migration.md); of the source it uses only
// the connector's declaration, so the CLI does not log into it for the verification. A write-capable
// target goes through migrate.ts instead.
import { buildImportPackage, expectedFromEljur, packageNotCarried, verifyImport, VERIFIED } from '../connectors/eljur/import/index.js';
import { mapBatch } from '../connectors/mapping.js';
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord, RecordOf } from '../model/index.js';
import type { Store } from '../store/index.js';
import { matchEljurSchool } from './eljur-identities.js';
import { judgeMigrationWindow, type JudgedSide } from './migration-window.js';
import { journalSync } from './journal-sync.js';
import type { MigrateInput, MigrationReport, MigrationSide } from './migrate.js';
import { openConflictsAbout } from './open-conflicts.js';
import type { LinkedTerm } from './past-year-window.js';
import { reconciliationOf } from './reconciliation.js';
import { rosterSync, schoolCanonicalId } from './roster-sync.js';
import { withSchoolSync } from './school-sync-lease.js';
import type { RunSummary } from './run-summary.js';
import { packageStageOf, recordPackageStage, type PackageStageRecord } from './package-stage.js';
import { schoolRecords } from './school-records.js';
import { writeImportPackage } from './write-import-package.js';

export type PackageStage = 'dry-run' | 'package' | 'verify-import';

export interface PackageMigrationInput extends Omit<MigrateInput, 'dryRun'> {
  stage: PackageStage;
  /** Where the package files go (stage `package`). */
  packageDir: string;
  /** The package's `generatedAt` (UTC ISO). */
  now?: string;
  /** The school's ЭлЖур vendor (its subdomain, the instance's `options.vendor`): named in the package for the support team. */
  vendor?: string;
}

export interface PackageMigrationReport extends MigrationReport {
  stage: PackageStage;
  /** Stage `package`: what was written for the support team. */
  importPackage?: { dir: string; files: { name: string; rows: number; sha256: string }[] };
  /** Stage `verify-import`: how the school read back was matched (ЭлЖур user ids only, never names). */
  importCheck?: { matchedPupils: number; unmatchedPupils: string[]; quarantined: number; quarantineReasons: string[] };
  /**
   * Stage `verify-import`: the package stage this store recorded for the school (what its source read could not
   * carry, its window), or why the verification cannot vouch for the package: none recorded, or another window.
   */
  packageStage?: PackageStageRecord & { problem?: string };
}

/**
 * The lesson's teacher is left out of the read-back comparison: ЭлЖур lists no staff (docs/platforms/eljur.md),
 * so a teacher's ЭлЖур id cannot be matched to a canonical person. Every other carried field is compared.
 */
const UNMATCHABLE: Partial<Record<EntityName, readonly string[]>> = { lesson: ['scheduledTeacherId'] };

export async function migrateByPackage(input: PackageMigrationInput): Promise<PackageMigrationReport> {
  const { store, school, from, to, window, stage } = input;
  const startedAt = new Date().toISOString();
  const steps: RunSummary[] = [];
  // As in migrate.ts: a window before either platform's current school year is refused before any request, and again
  // after each side's roster read, before the source's journal is read (migration-window.ts). ЭлЖур's roster read is
  // not stored (its pupils are linked at the verification), so its terms are judged as that read lists them. The
  // verification reads ЭлЖур back with the package's window.
  const judge = (...sides: JudgedSide[]) => judgeMigrationWindow(store, schoolCanonicalId(school.id), sides, window, to.run.instance);
  await judge(from, to);
  let eljur: EljurRoster | undefined;
  if (stage !== 'verify-import') {
    // The source is read in full; the verification compares with what the store held when the package was made.
    const base = { store, window, logger: input.logger, onProgress: input.onProgress };
    const side = { id: school.id, sourceId: from.schoolSourceId, timeZone: school.timeZone };
    // The reads check the school's lease before they write, as in migrate.ts.
    await withSchoolSync(store, school.id, from.run.runId, async (lease) => {
      steps.push(await rosterSync({ ...base, lease, connector: from.connector, mapper: from.mapper, run: from.run, school: side, authoritative: true, deleteThreshold: input.deleteThreshold, secondMissAfterHours: input.secondMissAfterHours }));
      await judge(from);
      // Read once: its pupils are matched onto the canonical ones once the source is stored (readTargetBack).
      eljur = await readEljurRoster(to);
      await judge({ ...to, terms: eljur.terms });
      // As in migrate.ts: what the source no longer holds is tombstoned, so the package leaves it out.
      steps.push(await journalSync({ ...base, lease, connector: from.connector, mapper: from.mapper, run: from.run, school: side, isSystemOfRecord: true, deletesFromSnapshot: { threshold: input.deleteThreshold } }));
    });
  }
  if (stage === 'verify-import') await requireReadIntoStore(store, school.id);
  const canonical = await schoolRecords(store, schoolCanonicalId(school.id), window);
  const expected = expectedFromEljur(canonical, window.from, window.to);
  const conflicts = await openConflictsAbout(store, new Set(canonical.map((r) => r.id)));
  const count = (e: EntityName) => expected.filter((r) => r.entity === e).length;
  // The verification does not read the source again: what its read could not carry is what the package stage recorded.
  const recorded = stage === 'verify-import' ? await packageStageOf(store, to.run, school.id) : undefined;
  const notMigrated = stage === 'verify-import' ? recorded?.notMigrated ?? 0 : steps.reduce((n, s) => n + s.quarantined, 0);
  // What ЭлЖур holds already (a package loaded earlier, then verified): read back before planning, so a second run
  // finds nothing to do instead of writing the whole package again. A target holding the roster only reads empty.
  const held = eljur ? await readTargetBack(input, canonical, expected, eljur.pupils) : undefined;
  const alreadyThere = Object.fromEntries(VERIFIED.map((e) => [e, held?.v.report.compared[e]?.equal ?? 0]));
  const toCreate: Record<string, number> = Object.fromEntries(VERIFIED.map((e) => [e, count(e) - alreadyThere[e]]));
  const plan: PackageMigrationReport['plan'] = { toCreate, alreadyThere, unmatchedPeople: held?.ids.unmatched.length ?? 0, lessonsMissingInTarget: 0, conflicts };
  const notCarried = packageNotCarried(canonical, window, from.connector.declaration.uncarried);
  if (Object.keys(notCarried).length) plan.notCarried = notCarried;
  const report: PackageMigrationReport = {
    school: school.id, from: from.run.instance, to: to.run.instance, window, dryRun: stage === 'dry-run', stage, steps, plan, notMigrated,
    ok: false, startedAt, finishedAt: startedAt,
  };
  // Deletes the source made that its read refused (journal-sync.ts): the store still holds those records, so ЭлЖур
  // "holding everything" is no proof of anything; the run is not ok until a read applies them (as migrate.ts).
  const deletesRefused = steps.filter((s) => s.deletesRefused).map((s) => `${s.kind}: ${s.deletesRefused}`).join('; ') || undefined;
  if (held?.v.ok && held.ids.unmatched.length === 0 && notMigrated === 0) {
    // Every record is in ЭлЖур and equal: no package to write or hand over.
    report.reconciliation = reconciliationOf(held.v.report);
    report.ok = !deletesRefused;
  } else if (stage === 'package') {
    const pkg = buildImportPackage(canonical, { generatedAt: input.now ?? new Date().toISOString(), window, vendor: input.vendor });
    writeImportPackage(input.packageDir, pkg);
    report.importPackage = { dir: input.packageDir, files: pkg.manifest.files.map(({ name, rows, sha256 }) => ({ name, rows, sha256 })) };
  }
  if (stage === 'package') {
    const reasons = [...new Set(steps.flatMap((s) => Object.keys(s.quarantineReasons ?? {})))];
    await recordPackageStage(store, to.run, school.id, { at: startedAt, window, notMigrated, quarantineReasons: reasons, packaged: !!report.importPackage, ...(deletesRefused ? { deletesRefused } : {}) });
  }
  if (stage === 'verify-import') {
    const { pupils, ids, v } = await readTargetBack(input, canonical, expected);
    await linkImportedPupils(store, to, pupils, ids.resolve);
    // The plan as the read-back found it: what the import brought is "already there" now.
    for (const e of VERIFIED) {
      report.plan.alreadyThere[e] = v.report.compared[e]?.equal ?? 0;
      report.plan.toCreate[e] = count(e) - report.plan.alreadyThere[e];
    }
    report.reconciliation = reconciliationOf(v.report);
    report.plan.unmatchedPeople = ids.unmatched.length;
    report.importCheck = {
      matchedPupils: ids.matched, unmatchedPupils: ids.unmatched, quarantined: v.quarantine.length,
      quarantineReasons: [...new Set(v.quarantine.map((q) => q.reason.split(':')[0]))],
    };
    const problem = !recorded
      ? `no package stage of school ${school.id} into ${to.run.instance} is recorded in this store: run the command without --verify-import first (it reads ${to.run.instance} back and writes a package only for what is missing)`
      : recorded.window.from !== window.from || recorded.window.to !== window.to
        ? `the package stage read ${recorded.window.from}…${recorded.window.to}, this verification ${window.from}…${window.to}: verify with the package's --since/--until`
        : undefined;
    if (recorded || problem) report.packageStage = { ...(recorded ?? { at: '', window, notMigrated: 0, quarantineReasons: [], packaged: false }), ...(problem ? { problem } : {}) };
    // A refusal recorded by the package stage stands until a package stage reads the source with its deletes applied.
    report.ok = v.ok && ids.unmatched.length === 0 && notMigrated === 0 && !problem && !recorded?.deletesRefused;
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

/**
 * The verification compares ЭлЖур with what the package stage stored: on a store that never ran it there is nothing
 * to compare with (and "run roster sync" was the wrong advice). Exported so that the CLI asks before any login.
 */
export async function requireReadIntoStore(store: Store, schoolId: string): Promise<void> {
  if (await store.get(schoolCanonicalId(schoolId))) return;
  throw new Error(`--verify-import: school ${schoolId} was never read into this store — run the package stage first (the same migrate command without --verify-import, on the same store), have the package loaded, then verify`);
}

type EljurPupil = { sourceId: string; kind: string; record: RecordOf<'person'> };

/**
 * ЭлЖур read back: its pupils (`readPupils`, when its roster was read already this run) matched onto the canonical
 * ones, and the school's records compared with the store (`expected`: what of them ЭлЖур should give back).
 */
async function readTargetBack(input: PackageMigrationInput, canonical: readonly CanonicalRecord[], expected: readonly CanonicalRecord[], readPupils?: readonly EljurPupil[]) {
  const { from, to, window } = input;
  const pupils = readPupils ?? (await readEljurRoster(to)).pupils;
  const ids = matchEljurSchool(canonical, pupils);
  const sourceUncarried: Partial<Record<EntityName, readonly string[]>> = from.connector.declaration.uncarried ?? {};
  const ignoreFields = Object.fromEntries(VERIFIED.map((e) => [e, [...(sourceUncarried[e] ?? []), ...(UNMATCHABLE[e] ?? [])]]));
  const v = await verifyImport(to.connector, canonical, window, { resolve: ids.resolve, instance: to.run.instance, runId: to.run.runId, ignoreFields, expected });
  return { pupils, ids, v };
}

/**
 * The matched ЭлЖур accounts go into the crosswalk (rule `import_package`), so the scheduled roster syncs
 * from ЭлЖур after the move find each pupil by id instead of sending the whole school to review (ЭлЖур sends
 * no birth date). A user id already linked is left as it is: the crosswalk is never overwritten.
 */
async function linkImportedPupils(store: Store, to: MigrationSide, pupils: readonly EljurPupil[], resolve: (entity: 'person', id: string) => string | undefined): Promise<void> {
  const known = await store.resolve(to.run.system, to.run.instance, 'person', pupils.map((p) => p.sourceId));
  const links = pupils.filter((p) => !known.has(p.sourceId) && resolve('person', p.sourceId)).map((p) => ({
    entity: 'person', canonicalId: resolve('person', p.sourceId)!, system: to.run.system, instance: to.run.instance, sourceId: p.sourceId, sourceIdKind: p.kind, matchRule: 'import_package',
  }));
  if (links.length) await store.link(links, { runId: to.run.runId });
}

/** An ЭлЖур roster read, mapped without a resolver and not stored. */
interface EljurRoster {
  /** Its pupils, with their ЭлЖур user ids. */
  pupils: EljurPupil[];
  /** Its school year and terms (`getperiods`): what tells which school year is current there. */
  terms: LinkedTerm[];
}

async function readEljurRoster(to: MigrationSide): Promise<EljurRoster> {
  const out: EljurRoster = { pupils: [], terms: [] };
  await to.connector.open();
  for await (const b of to.connector.readSchool({ schoolSourceId: to.schoolSourceId, from: '', to: '', capabilities: ['roster.read'] })) {
    const m = mapBatch(to.mapper, b, { ...to.run, mapperVersion: to.connector.declaration.mapperVersion });
    for (const r of m.records as CanonicalRecord[]) {
      if (r.entity === 'academic_session') out.terms.push(r);
      const ref = r.sourceRefs.find((s) => s.kind === 'user' || s.kind === 'person') ?? r.sourceRefs[0];
      if (r.entity === 'person' && ref) out.pupils.push({ sourceId: ref.sourceId, kind: ref.kind, record: r });
    }
  }
  return out;
}
