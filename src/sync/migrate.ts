// Platform-to-platform migration (issue 8; DECISIONS.md §7): full read of the source, identity matching
// against the target's roster, a plan (dry run), then the push through the outbound ledger — resumable
// after a crash, since every operation is keyed in the ledger — and a reconciliation that reads the
// target back and compares it with the canonical store, listing every difference.
import type { Logger } from 'pino';
import { hasCapability, type Connector } from '../connectors/contract.js';
import type { Mapper } from '../connectors/mapping.js';
import { windows } from '../connectors/paging.js';
import type { Fold } from '../model/mark-spelling.js';
import type { HeldLease, Store } from '../store/index.js';
import { gradePush } from './grade-push.js';
import { journalSync } from './journal-sync.js';
import { FINALS, MIGRATED, schoolFinalMarks, schoolHomework, schoolJournal, type Window } from './migration-journal.js';
import { finalsToEnterByHand, type FinalMarkByHand } from './finals-by-hand.js';
import { plannedDeletes, type PlannedDeletes } from './migration-deletes.js';
import { fieldsNotCarried, foldedBy, lessonContentCounts, planHomework, planMigration } from './migration-plan.js';
import { reconcile } from './migration-reconcile.js';
import { driftBeforePush, prepareRepair, unlinkedButWritten } from './migration-repair.js';
import type { Reconciliation } from './reconciliation.js';
import type { RunIdentity } from './reference-resolver.js';
import { judgeMigrationWindow } from './migration-window.js';
import { rosterSync, schoolCanonicalId } from './roster-sync.js';
import { withSchoolSync } from './school-sync-lease.js';
import { mergeSummaries, type RunSummary } from './run-summary.js';

export interface MigrationSide {
  connector: Connector;
  mapper: Mapper;
  run: RunIdentity;
  schoolSourceId: string;
}

export interface MigrateInput {
  store: Store;
  school: { id: string; timeZone: string };
  from: MigrationSide;
  to: MigrationSide;
  window: { from: string; to: string };
  dryRun: boolean;
  deleteThreshold: number;
  /** Config `sync.secondMissAfterHours` (roster-sync.ts). */
  secondMissAfterHours?: number;
  /** Config `sync.subjectAliases`: the target's subject titles → the source's (docs/sync.md "Subjects named differently"). */
  subjectAliases?: Readonly<Record<string, string>>;
  logger?: Logger;
  onProgress?: (stage: string, done: number, total?: number) => void;
}

export interface MigrationPlan {
  /** Per entity: not in the target yet / already there. */
  toCreate: Record<string, number>;
  alreadyThere: Record<string, number>;
  /**
   * Per entity: in the target with other content than the source's — a correction made in the source since the last
   * run, or a change made in the target behind the gateway's back — so written again (the source is the authority
   * for the run). Only a migration that finds records already in the target reads it back to count them.
   */
  toUpdate?: Record<string, number>;
  /** Pupils of the source with no identity on the target (their marks cannot be written). */
  unmatchedPeople: number;
  /** Their canonical ids (no names: the report goes into logs and mail), for `review` and the target's roster. */
  unmatchedPupilIds?: string[];
  /** Lessons with marks or attendance that the target's timetable does not have. */
  lessonsMissingInTarget: number;
  /** Their canonical ids, with their days. */
  missingLessons?: { id: string; date: string }[];
  /**
   * Per entity: records not in the target that cannot be written yet — their pupil is unmatched or their lesson is
   * missing there. Not counted under `toCreate` (the push leaves them pending): before, the plan promised them and
   * the push then skipped them.
   */
  waiting?: Record<string, number>;
  conflicts: number;
  /**
   * Per entity: records deleted at the source (its read tombstoned them) that the target still holds and the push will
   * delete there. Before, the plan counted live records only: a dry run said nothing of the deletes the run then made.
   */
  toDelete?: Record<string, number>;
  /**
   * Per entity: such records the target has no route to delete (its declaration's `refusesWrites`: Дневник.ру marks),
   * with the reason and each record (canonical id, the target's id, the lesson's day). The push will be refused them
   * and the run will not be "ok" (each is `unexpected` in the reconciliation) until the school removes them there by
   * hand — said before the run, not found after it.
   */
  notDeletable?: PlannedDeletes['notDeletable'];
  /**
   * Source records of entities the target has no write route for (final marks: none of the four platforms publishes
   * one), per entity. They are not pushed; the reconciliation still looks for them in the target, so the report
   * lists each one that has to be entered there by hand, and the migration is not "ok" until they are there.
   */
  notWritable?: Record<string, number>;
  /**
   * Per entity: of those, the ones not in the target yet — to enter by hand, not "to create" (the push writes none of
   * them). Before, they were counted under `toCreate` beside "NOT writable".
   */
  toEnterByHand?: Record<string, number>;
  /**
   * The final marks to enter by hand, each with what the school needs to do it: class, subject (journal page), period,
   * value and the pupil's id on the target (or, not matched there yet, on the source) — no names, as everywhere in
   * this report.
   */
  finalsByHand?: FinalMarkByHand[];
  /**
   * What of the source's lessons an API migration does not carry at all, per field (`topic`, `homework`): held
   * lessons holding it. No platform publishes a route to write a lesson's topic, so the target keeps its own
   * timetable's (usually none); homework reaches a target that declares `lessons.write` (Дневник.ру), where only
   * «не задано» (nothing to write) is counted here. Not compared, so not in `ok`: they stay in the gateway's store, its nightly
   * backups and the yearly class-journal archive — the report says so, so the school decides before the move.
   */
  notCarried?: Record<string, number>;
  /**
   * Source records the target will hold in its own spelling, per fold (src/model/mark-spelling.ts): `5-` written as
   * `5` into АСУ РСО, an unexcused absence read back without a reason from Дневник.ру. Named before anything is written;
   * the reconciliation counts them as `folded`, not as differences no re-run could clear.
   */
  folded?: Partial<Record<Fold, number>>;
}

export type { Reconciliation } from './reconciliation.js';

export interface MigrationReport {
  school: string;
  from: string;
  to: string;
  window: { from: string; to: string };
  dryRun: boolean;
  steps: RunSummary[];
  plan: MigrationPlan;
  reconciliation?: Reconciliation;
  /** Source records the read could not accept (quarantined): they were not migrated. */
  notMigrated: number;
  /** Target records the read-back could not accept (a third mark in a cell…): not comparable, so not "ok". */
  readBackQuarantined?: { count: number; reasons: string[] };
  /** True when nothing was quarantined at the source and the reconciliation found no difference (a dry run is never "ok"). */
  ok: boolean;
  startedAt: string;
  finishedAt: string;
}


/**
 * Days of journal read, stored and reconciled at a time (a multiple of the connectors' 7-day range requests, so
 * the requests are the same): the whole year at once held every page, mapped record and read-back of it in
 * memory — 2.9 GB RSS for a 1,000-pupil school-year (bench/migrate.ts) — and the garbage collector's work grew with it.
 */
export const MIGRATION_SLICE_DAYS = 28;

export async function migrate(input: MigrateInput): Promise<MigrationReport> {
  const { store, school, from, to } = input;
  const startedAt = new Date().toISOString();
  const schoolArgs = (side: MigrationSide) => ({ id: school.id, sourceId: side.schoolSourceId, timeZone: school.timeZone });
  const steps: RunSummary[] = [];
  const base = { store, window: input.window, logger: input.logger, onProgress: input.onProgress };
  const slices: Window[] = windows(input.window.from, input.window.to, MIGRATION_SLICE_DAYS).map(([a, b]) => ({ from: a, to: b }));
  // A side's journal slice by slice, as one step; final marks (not dated by lesson) with the last slice, those of every
  // period the whole window holds (АСУ РСО reads only the periods ending near the days it is asked about).
  const journal = async (side: MigrationSide, isSystemOfRecord: boolean, lease: HeldLease) => {
    const parts: RunSummary[] = [];
    for (const [i, window] of slices.entries()) {
      // The source's read proves what it no longer holds, as a nightly read does: a mark deleted there after a first
      // migration is tombstoned and the push deletes it from the target. Before, a re-run kept it there and could say
      // "nothing lost". (A first migration's read finds nothing to delete.)
      const deletes = isSystemOfRecord ? { deletesFromSnapshot: { threshold: input.deleteThreshold } } : {};
      parts.push(await journalSync({ ...base, window, finals: i === slices.length - 1, finalsWindow: input.window, connector: side.connector, mapper: side.mapper, run: side.run, school: schoolArgs(side), isSystemOfRecord, lease, ...deletes }));
    }
    return mergeSummaries(parts);
  };
  // A window before either platform's current school year is refused before any request, and again once each side's
  // roster read has told a store that never read it which year is current (migration-window.ts). Both rosters are read
  // before either journal, so a window refused on the target is refused before the source's journal is read: before,
  // the target's roster came after the whole source journal, which a refusal then left read into the store for nothing.
  const judge = (...sides: MigrationSide[]) => judgeMigrationWindow(store, schoolCanonicalId(school.id), sides, input.window, to.run.instance);
  await judge(from, to);
  const rosterOf = (side: MigrationSide, authoritative: boolean, lease: HeldLease) => rosterSync({
    ...base, lease, connector: side.connector, mapper: side.mapper, run: side.run, school: schoolArgs(side), authoritative,
    deleteThreshold: input.deleteThreshold, secondMissAfterHours: input.secondMissAfterHours, ...(authoritative ? {} : { subjectAliases: input.subjectAliases }),
  });
  // The reads hold the school's sync lease: a scheduled sync of the school waits for them (school-sync-lease.ts). Each
  // read checks it before it writes: one that outlasted the lease and was taken over stops rather than write beside it.
  await withSchoolSync(store, school.id, from.run.runId, async (lease) => {
    // 1. the source is the authority for this run: its roster first, judged before the target is asked anything
    const sourceRoster = await rosterOf(from, true, lease);
    await judge(from);
    // 2. the target's identities matched onto the canonical roster (the source's, just stored)
    const targetRoster = await rosterOf(to, false, lease);
    await judge(to);
    // 3–4. the source's whole journal, then the target's timetable linked. The report lists each side's steps
    // together, the source's first: `notMigrated` and `ok` below read steps[0] and steps[1] as the source's.
    const sourceJournal = await journal(from, true, lease);
    steps.push(sourceRoster, sourceJournal, targetRoster, await journal(to, false, lease));
  });

  // The journal is read from the store again for the reconciliation rather than held through the push.
  let fields: Record<string, number>;
  let plan: MigrationPlan;
  let unlinkedWritten: Set<string>;
  {
    // Let go before the push: a school-year's journal is not held through it.
    const journal = (await schoolJournal(store, school.id, from.run, slices)).flat();
    plan = await planMigration(store, to.run, journal);
    unlinkedWritten = await unlinkedButWritten(store, to.run, journal);
    fields = await fieldsNotCarried(store, journal, from.run, to.connector);
    const folded = foldedBy(to.connector.declaration.folds ?? [], journal);
    if (Object.keys(folded).length) plan.folded = folded;
  }
  const finals = await schoolFinalMarks(store, school.id, from.run, input.window);
  const finalsThere = await store.sourceIdsFor(to.run.system, to.run.instance, FINALS, finals.map((r) => r.id));
  plan.alreadyThere[FINALS] = finalsThere.size;
  // No connector declares a write of final marks (none of the four platforms publishes one, platforms.md): what the
  // target lacks is to enter by hand, listed with what the school needs for it, and not "to create".
  if (finals.length) plan.notWritable = { [FINALS]: finals.length };
  if (finals.length > finalsThere.size) {
    plan.toEnterByHand = { [FINALS]: finals.length - finalsThere.size };
    plan.finalsByHand = await finalsToEnterByHand(store, from.run, to.run, finals, finalsThere);
  }
  // What the source deleted and the target still holds: deleted by the push, or — where the target has no route for
  // it — named now, so the operator knows before the run that it will end not "ok", and why.
  const deletes = await plannedDeletes(store, school.id, from.run, to, input.window);
  plan.toDelete = deletes.toDelete;
  if (deletes.notDeletable) plan.notDeletable = deletes.notDeletable;
  const writesHomework = hasCapability(to.connector.declaration, 'lessons.write');
  if (writesHomework) {
    // The homework the push will give the target (Дневник.ру): the plan counted none, so a first dry run said nothing
    // of the hundreds the run then wrote. Written = confirmed in the outbound ledger (the repair below re-counts one the
    // target no longer holds as it was); one whose lesson the target lacks waits (migration-plan.ts).
    await planHomework(store, to.run, (await schoolHomework(store, school.id, from.run, slices)).flat(), plan);
  }
  const content = await lessonContentCounts(store, school.id, from.run, input.window, { writesHomework });
  const notCarried = Object.fromEntries([...Object.entries(content), ...Object.entries(fields)].filter(([, n]) => n > 0));
  if (Object.keys(notCarried).length) plan.notCarried = notCarried;
  // Records already in the target are checked, not assumed: the target is read back and compared first, so what it
  // lost or holds otherwise (a correction in the source, a change behind the gateway's back) is counted and written
  // again. A first migration (nothing in the target yet) skips this read.
  // A repair run stopped after it unlinked records to write again (migration-repair.ts) leaves them written before but
  // unlinked: the target is read back for them too.
  const repair = MIGRATED.some((e) => plan.alreadyThere[e] > 0) || unlinkedWritten.size
    ? await driftBeforePush(store, from.run, to, slices, school.id, plan, unlinkedWritten) : [];
  let reconciliation: Reconciliation | undefined;
  let readBackQuarantined: MigrationReport['readBackQuarantined'];
  if (!input.dryRun) {
    const again = await prepareRepair(store, to, repair);
    steps.push(await gradePush({
      store, source: { system: from.run.system, instance: from.run.instance },
      target: { connector: to.connector, system: to.run.system, instance: to.run.instance, schoolSourceId: to.schoolSourceId }, school: { id: school.id },
      runId: to.run.runId, logger: input.logger, onProgress: input.onProgress,
      // Only the window's records, as planned and reconciled (push-window.ts); the rest stays pending, not written.
      window: input.window,
      ...(repair.length ? { again: { ids: again, tag: to.run.runId } } : {}),
    }));
    // Homework is checked where the target was given it (lessons.write): the push wrote it, the read-back shows it.
    const homework = hasCapability(to.connector.declaration, 'lessons.write') ? await schoolHomework(store, school.id, from.run, slices) : undefined;
    const checked = await reconcile(store, from.run, to, slices, await schoolJournal(store, school.id, from.run, slices), finals, input.window, homework);
    reconciliation = checked.reconciliation;
    readBackQuarantined = checked.quarantined;
  }
  const notMigrated = steps[0].quarantined + steps[1].quarantined;
  return {
    school: school.id, from: from.run.instance, to: to.run.instance, window: input.window, dryRun: input.dryRun, steps, plan,
    ...(reconciliation ? { reconciliation } : {}), notMigrated, ...(readBackQuarantined ? { readBackQuarantined } : {}),
    // Deletions the source's reads could not apply (more missing than the threshold, or a partial read), of its roster
    // or its journal, leave the target holding what the source no longer does: not "nothing lost" until they are applied.
    ok: !!reconciliation && reconciliation.differences.length === 0 && notMigrated === 0 && !readBackQuarantined?.count
      && !steps[0].deletesRefused && !steps[1].deletesRefused,
    startedAt, finishedAt: new Date().toISOString(),
  };
}

