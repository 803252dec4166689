// Platform-to-platform migration (issue 8; DECISIONS.md §7): full read of the source, identity matching
// against the target's roster, a plan (dry run), then the push through the outbound ledger — resumable
// after a crash, since every operation is keyed in the ledger — and a reconciliation that reads the
// target back and compares it with the canonical store, listing every difference.
import type { Logger } from 'pino';
import type { Connector } from '../connectors/contract.js';
import type { Mapper } from '../connectors/mapping.js';
import type { EntityName } from '../model/enums.js';
import { compareRecords, type CanonicalRecord, type LessonRecord } from '../model/index.js';
import { uncarriedFields } from '../connectors/registry.js';
import { openConflictsAbout } from './open-conflicts.js';
import type { Store } from '../store/index.js';
import { windows } from '../connectors/paging.js';
import { gradePush } from './grade-push.js';
import { journalSync } from './journal-sync.js';
import { mergeReconciliations, reconciliationOf, withoutFolds, type Reconciliation } from './reconciliation.js';
import { foldFor, type Fold } from '../model/mark-spelling.js';
import { readBackChecked } from './read-back.js';
import { schoolSectionIds } from './school-records.js';
import { hasCapability } from '../connectors/contract.js';
import type { RunIdentity } from './reference-resolver.js';
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
  /** Lessons with marks or attendance that the target's timetable does not have. */
  lessonsMissingInTarget: number;
  conflicts: number;
  /**
   * Source records of entities the target has no write route for (final marks: none of the four platforms publishes
   * one), per entity. They are not pushed; the reconciliation still looks for them in the target, so the report
   * lists each one that has to be entered there by hand, and the migration is not "ok" until they are there.
   */
  notWritable?: Record<string, number>;
  /**
   * What of the source's lessons an API migration does not carry at all, per field (`topic`, `homework`): held
   * lessons holding it. No platform publishes a route to write a lesson's topic or homework, so the target keeps its
   * own timetable's (usually none). Not compared, so not in `ok`: they stay in the gateway's store, its nightly
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

const MIGRATED: EntityName[] = ['mark', 'attendance_record'];
/** Compared after the push too, though no target can be written them (see MigrationPlan.notWritable). */
const FINALS: EntityName = 'final_mark';

/**
 * Days of journal read, stored and reconciled at a time (a multiple of the connectors' 7-day range requests, so
 * the requests are the same): the whole year at once held every page, mapped record and read-back of it in
 * memory — 2.9 GB RSS for a 1,000-pupil school-year (bench/migrate.ts) — and the garbage collector's work grew with it.
 */
export const MIGRATION_SLICE_DAYS = 28;
type Window = { from: string; to: string };

export async function migrate(input: MigrateInput): Promise<MigrationReport> {
  const { store, school, from, to } = input;
  const startedAt = new Date().toISOString();
  const schoolArgs = (side: MigrationSide) => ({ id: school.id, sourceId: side.schoolSourceId, timeZone: school.timeZone });
  const steps: RunSummary[] = [];
  const base = { store, window: input.window, logger: input.logger, onProgress: input.onProgress };
  const slices: Window[] = windows(input.window.from, input.window.to, MIGRATION_SLICE_DAYS).map(([a, b]) => ({ from: a, to: b }));
  // A side's journal slice by slice, as one step; final marks (not dated by lesson) with the last slice.
  const journal = async (side: MigrationSide, isSystemOfRecord: boolean) => {
    const parts: RunSummary[] = [];
    for (const [i, window] of slices.entries()) {
      parts.push(await journalSync({ ...base, window, finals: i === slices.length - 1, connector: side.connector, mapper: side.mapper, run: side.run, school: schoolArgs(side), isSystemOfRecord }));
    }
    return mergeSummaries(parts);
  };
  // The reads hold the school's sync lease: a scheduled sync of the school waits for them (school-sync-lease.ts).
  await withSchoolSync(store, school.id, from.run.runId, async () => {
    // 1–2. the source is the authority for this run: its roster and its whole journal
    steps.push(await rosterSync({ ...base, connector: from.connector, mapper: from.mapper, run: from.run, school: schoolArgs(from), authoritative: true, deleteThreshold: input.deleteThreshold, secondMissAfterHours: input.secondMissAfterHours }));
    steps.push(await journal(from, true));
    // 3–4. the target: identities matched onto the canonical roster, its timetable linked
    steps.push(await rosterSync({ ...base, connector: to.connector, mapper: to.mapper, run: to.run, school: schoolArgs(to), authoritative: false, deleteThreshold: input.deleteThreshold, secondMissAfterHours: input.secondMissAfterHours, subjectAliases: input.subjectAliases }));
    steps.push(await journal(to, false));
  });

  // The journal is read from the store again for the reconciliation rather than held through the push.
  let fields: Record<string, number>;
  let plan: MigrationPlan;
  {
    // Let go before the push: a school-year's journal is not held through it.
    const journal = (await schoolJournal(store, school.id, from.run, slices)).flat();
    plan = await planMigration(store, to.run, journal);
    fields = await fieldsNotCarried(store, journal, from.run, to.connector);
    const folded = foldedBy(to.connector.declaration.folds ?? [], journal);
    if (Object.keys(folded).length) plan.folded = folded;
  }
  const finals = await schoolFinalMarks(store, school.id, from.run);
  const finalsThere = await store.sourceIdsFor(to.run.system, to.run.instance, FINALS, finals.map((r) => r.id));
  plan.toCreate[FINALS] = finals.length - finalsThere.size;
  plan.alreadyThere[FINALS] = finalsThere.size;
  // No connector declares a write of final marks (none of the four platforms publishes one, platforms.md).
  if (finals.length) plan.notWritable = { [FINALS]: finals.length };
  const content = await lessonContentCounts(store, school.id, from.run, input.window);
  const notCarried = Object.fromEntries([...Object.entries(content), ...Object.entries(fields)].filter(([, n]) => n > 0));
  if (Object.keys(notCarried).length) plan.notCarried = notCarried;
  // Records already in the target are checked, not assumed: the target is read back and compared first, so what it
  // lost or holds otherwise (a correction in the source, a change behind the gateway's back) is counted and written
  // again. A first migration (nothing in the target yet) skips this read.
  const repair = MIGRATED.some((e) => plan.alreadyThere[e] > 0) ? await driftBeforePush(store, from.run, to, slices, school.id, plan) : [];
  let reconciliation: Reconciliation | undefined;
  let readBackQuarantined: MigrationReport['readBackQuarantined'];
  if (!input.dryRun) {
    const again = await prepareRepair(store, to, repair);
    steps.push(await gradePush({
      store, source: { system: from.run.system, instance: from.run.instance },
      target: { connector: to.connector, system: to.run.system, instance: to.run.instance, schoolSourceId: to.schoolSourceId }, school: { id: school.id },
      runId: to.run.runId, logger: input.logger, onProgress: input.onProgress,
      ...(repair.length ? { again: { ids: again, tag: to.run.runId } } : {}),
    }));
    const checked = await reconcile(store, from.run, to, slices, await schoolJournal(store, school.id, from.run, slices), finals, input.window);
    reconciliation = checked.reconciliation;
    readBackQuarantined = checked.quarantined;
  }
  const notMigrated = steps[0].quarantined + steps[1].quarantined;
  return {
    school: school.id, from: from.run.instance, to: to.run.instance, window: input.window, dryRun: input.dryRun, steps, plan,
    ...(reconciliation ? { reconciliation } : {}), notMigrated, ...(readBackQuarantined ? { readBackQuarantined } : {}),
    ok: !!reconciliation && reconciliation.differences.length === 0 && notMigrated === 0 && !readBackQuarantined?.count,
    startedAt, finishedAt: new Date().toISOString(),
  };
}

/**
 * Reads the target back and compares it with the source's marks and absences before the push: per entity, records
 * linked to the target but missing there count as to create again, those held with other content as to update, and
 * neither as already there. Returns them, for the push to write again.
 */
async function driftBeforePush(store: Store, from: RunIdentity, to: MigrationSide, slices: Window[], schoolId: string, plan: MigrationPlan): Promise<Drift[]> {
  const { drift } = await reconcile(store, from, to, slices, await schoolJournal(store, schoolId, from, slices), [], { from: slices[0].from, to: slices.at(-1)!.to });
  const linked = new Set<string>();
  for (const entity of MIGRATED) {
    const ids = drift.filter((d) => d.entity === entity).map((d) => d.id);
    for (const id of (await store.sourceIdsFor(to.run.system, to.run.instance, entity, ids)).keys()) linked.add(id);
  }
  const repair = drift.filter((d) => linked.has(d.id));
  plan.toUpdate = Object.fromEntries(MIGRATED.map((e) => [e, repair.filter((d) => d.entity === e && d.kind === 'different').length]));
  for (const d of repair) {
    plan.alreadyThere[d.entity]--;
    if (d.kind === 'missing') plan.toCreate[d.entity]++;
  }
  return repair;
}

/**
 * Points the crosswalk at what the target holds before records are written again: a record it lost is unlinked (its
 * platform id is gone: it is created anew), one it holds under another platform id (deleted and entered again there)
 * is linked to that id (updated, not written a second time into its cell). Returns the ids to write again, per entity.
 */
async function prepareRepair(store: Store, to: MigrationSide, repair: readonly Drift[]): Promise<Partial<Record<EntityName, string[]>>> {
  const out: Partial<Record<EntityName, string[]>> = {};
  const at = new Date().toISOString();
  for (const entity of MIGRATED) {
    const list = repair.filter((d) => d.entity === entity);
    if (!list.length) continue;
    const linked = await store.sourceIdsFor(to.run.system, to.run.instance, entity, list.map((d) => d.id));
    const links = [];
    for (const d of list) {
      const old = linked.get(d.id);
      const now = d.kind === 'different' ? d.targetSourceId : undefined;
      if (old && old !== now) await store.closeCrosswalk(to.run.system, to.run.instance, entity, old, { at });
      if (now && old !== now) links.push({ entity, canonicalId: d.id, system: to.run.system, instance: to.run.instance, sourceId: now, sourceIdKind: 'id', matchRule: 'read_back' });
    }
    if (links.length) await store.link(links, { runId: to.run.runId });
    out[entity] = list.map((d) => d.id);
  }
  return out;
}

/** Per fold of the target's, the source's records it will hold in its own spelling. */
function foldedBy(folds: readonly Fold[], journal: readonly CanonicalRecord[]): Partial<Record<Fold, number>> {
  const out: Partial<Record<Fold, number>> = {};
  if (!folds.length) return out;
  for (const r of journal) {
    const fold = foldFor(folds, r);
    if (fold) out[fold] = (out[fold] ?? 0) + 1;
  }
  return out;
}

/** Held lessons of the school in the window, as the source gave them, that hold a topic / a homework (text or «не задано»). */
async function lessonContentCounts(store: Store, schoolId: string, source: RunIdentity, window: Window): Promise<{ topic: number; homework: number }> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
  const out = { topic: 0, homework: 0 };
  for await (const l of store.iterate('lesson', { status: 'active' })) {
    const lesson = l as LessonRecord;
    if (!sections.has(lesson.sectionId) || lesson.date < window.from || lesson.date > window.to || lesson.provenance.instance !== source.instance) continue;
    if (lesson.lessonStatus !== 'held') continue;
    if (lesson.topic?.trim()) out.topic++;
    if (lesson.homework?.text?.trim() || lesson.homework?.notAssigned) out.homework++;
  }
  return out;
}

/**
 * The platform's own bookkeeping, not the school's content: who wrote a record and when (the target stamps its own),
 * when a family saw it, and the platform's code for an absence (each platform has its own letters).
 */
const STAMPS = new Set(['recordedAt', 'recordedBy', 'publishedToFamilyAt', 'rawCode']);
const hasValue = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * Per `entity.field`, the source's marks, absences and their works holding a value the target cannot hold or be
 * given (its `uncarried` and `unwritable`, the platform's own stamps aside): a mark's comment on Дневник.ру, the
 * minutes late of an absence, a work's title on АСУ РСО. The reconciliation cannot see them (they are left out of
 * the comparison), so the plan counts them before anything is written.
 */
async function fieldsNotCarried(store: Store, journal: readonly CanonicalRecord[], source: RunIdentity, target: Connector): Promise<Record<string, number>> {
  const { uncarried = {}, unwritable = {} } = target.declaration;
  const lost = (entity: EntityName) => [...(uncarried[entity] ?? []), ...(unwritable[entity] ?? [])]
    .filter((f) => !STAMPS.has(f) && !uncarriedFields(source.system, entity).includes(f));
  const out: Record<string, number> = {};
  const count = (r: CanonicalRecord, fields: readonly string[]) => {
    for (const f of fields) if (hasValue((r as unknown as Record<string, unknown>)[f])) out[`${r.entity}.${f}`] = (out[`${r.entity}.${f}`] ?? 0) + 1;
  };
  const byEntity = { mark: lost('mark'), attendance_record: lost('attendance_record') } as Record<string, readonly string[]>;
  for (const r of journal) count(r, byEntity[r.entity] ?? []);
  const workFields = lost('work');
  const workIds = [...new Set(journal.flatMap((r) => (r.entity === 'mark' ? [r.workId] : [])))];
  // A slice of works at a time: a school-year has hundreds of thousands, and the migration keeps its memory flat.
  for (let i = 0; workFields.length && i < workIds.length; i += 5_000) {
    for (const w of (await store.getMany(workIds.slice(i, i + 5_000))).values()) if (w.status !== 'deleted') count(w, workFields);
  }
  return out;
}

/** Marks and attendance of the school's lessons in each slice (by the lesson's date), as the source gave them. */
async function schoolJournal(store: Store, schoolId: string, source: RunIdentity, slices: Window[]): Promise<CanonicalRecord[][]> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
  const sliceOf = new Map<string, number>();
  for await (const l of store.iterate('lesson', { status: 'active' })) {
    const lesson = l as LessonRecord;
    if (!sections.has(lesson.sectionId)) continue;
    const i = slices.findIndex((w) => lesson.date >= w.from && lesson.date <= w.to);
    if (i >= 0) sliceOf.set(lesson.id, i);
  }
  const out: CanonicalRecord[][] = slices.map(() => []);
  for (const entity of MIGRATED) {
    for await (const r of store.iterate(entity, { status: 'active' })) {
      const i = sliceOf.get((r as { lessonId: string }).lessonId);
      if (i !== undefined && r.provenance.instance === source.instance) out[i].push(r);
    }
  }
  return out;
}

async function planMigration(store: Store, target: RunIdentity, expected: CanonicalRecord[]): Promise<MigrationPlan> {
  const plan: MigrationPlan = { toCreate: {}, alreadyThere: {}, toUpdate: Object.fromEntries(MIGRATED.map((e) => [e, 0])), unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0 };
  for (const entity of MIGRATED) {
    const list = expected.filter((r) => r.entity === entity);
    const there = await store.sourceIdsFor(target.system, target.instance, entity, list.map((r) => r.id));
    plan.toCreate[entity] = list.length - there.size;
    plan.alreadyThere[entity] = there.size;
  }
  const students = [...new Set(expected.map((r) => (r as { studentId: string }).studentId))];
  plan.unmatchedPeople = students.length - (await store.sourceIdsFor(target.system, target.instance, 'person', students)).size;
  const lessons = [...new Set(expected.map((r) => (r as { lessonId: string }).lessonId))];
  plan.lessonsMissingInTarget = lessons.length - (await store.sourceIdsFor(target.system, target.instance, 'lesson', lessons)).size;
  plan.conflicts = await openConflictsAbout(store, new Set([...expected.map((r) => r.id), ...lessons, ...students]));
  return plan;
}

/**
 * Reads the target back and compares it with what the source gave, per entity, slice by slice (a record is read
 * back with its lesson's dates). Nothing is stored: the target's records are mapped with the crosswalk the syncs
 * built, so equal data has equal ids and hashes.
 */
async function reconcile(
  store: Store, from: RunIdentity, to: MigrationSide, slices: Window[], expected: CanonicalRecord[][], finals: CanonicalRecord[], window: Window,
): Promise<{ reconciliation: Reconciliation; quarantined: { count: number; reasons: string[] }; drift: Drift[] }> {
  const { uncarried = {}, unwritable = {} } = to.connector.declaration;
  const drift: Drift[] = [];
  // Left out: what the target cannot carry or stamps itself, and what the source could not carry either (the store
  // holds a default there, e.g. the author of an АСУ РСО mark: its lesson's scheduled teacher).
  const ignoreFields = Object.fromEntries([...MIGRATED, FINALS].map((e) => [e, [...(uncarried[e] ?? []), ...(unwritable[e] ?? []), ...uncarriedFields(from.system, e)]]));
  // What the target holds in its own spelling (5- as 5 on АСУ РСО) is present, not different: the plan named it.
  const folds = to.connector.declaration.folds ?? [];
  const parts: Reconciliation[] = [];
  const quarantined = { count: 0, reasons: new Set<string>() };
  const take = (read: { quarantined: number; reasons: string[] }) => {
    quarantined.count += read.quarantined;
    for (const r of read.reasons) quarantined.reasons.add(r);
  };
  for (const [i, slice] of slices.entries()) {
    const read = await readBackChecked(store, to, slice, ['journal.read']);
    take(read);
    const actual = dedupe(read.records.filter((r) => (MIGRATED as string[]).includes(r.entity)));
    const compared = reconciliationOf(compareRecords(expected[i], actual, { entities: MIGRATED, ignoreFields }));
    const rec = withDuplicates(withoutFolds(compared, folds, byId(expected[i]), byId(actual)), read.records.filter((r) => (MIGRATED as string[]).includes(r.entity)));
    const held = byId(actual);
    for (const d of rec.differences) {
      if (d.kind === 'missing') drift.push({ entity: d.entity, id: d.id, kind: 'missing' });
      if (d.kind === 'different') drift.push({ entity: d.entity, id: d.id, kind: 'different', targetSourceId: held.get(d.id)?.sourceRefs.find((s) => s.instance === to.run.instance)?.sourceId });
    }
    parts.push(rec);
    expected[i] = []; // compared: let it go
  }
  // Final marks: looked for in the target whether or not anything could write them there. A target that cannot be
  // read for them cannot show they are there: each counts as missing, to be entered and checked by hand.
  if (finals.length) {
    if (hasCapability(to.connector.declaration, 'finals.read')) {
      const read = await readBackChecked(store, to, window, ['finals.read']);
      take(read);
      const actual = read.records.filter((r) => r.entity === FINALS);
      parts.push(withDuplicates(withoutFolds(reconciliationOf(compareRecords(finals, dedupe(actual), { entities: [FINALS], ignoreFields })), folds, byId(finals), byId(actual)), actual));
    } else {
      parts.push(reconciliationOf(compareRecords(finals, [], { entities: [FINALS], ignoreFields })));
    }
  }
  return { reconciliation: mergeReconciliations(parts), quarantined: { count: quarantined.count, reasons: [...quarantined.reasons] }, drift };
}

/** The school's final marks as the source gave them (quarter, half-year, year…), by the school's sections. */
async function schoolFinalMarks(store: Store, schoolId: string, source: RunIdentity): Promise<CanonicalRecord[]> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
  const out: CanonicalRecord[] = [];
  for await (const r of store.iterate(FINALS, { status: 'active' })) {
    if (r.entity === 'final_mark' && sections.has(r.sectionId) && r.provenance.instance === source.instance) out.push(r);
  }
  return out;
}

/** A mark or absence the target does not hold as the source gave it (a reconciliation's `missing` or `different`). */
interface Drift {
  entity: EntityName;
  id: string;
  kind: 'missing' | 'different';
  /** `different`: the target's own id of what it holds (the read-back found it by pupil, lesson and slot). */
  targetSourceId?: string;
}

const byId = (records: readonly CanonicalRecord[]) => new Map(records.map((r) => [r.id, r]));

function dedupe(records: CanonicalRecord[]): CanonicalRecord[] {
  return [...new Map(records.map((r) => [r.id, r])).values()];
}

/**
 * Adds one `unexpected` difference per extra target record that maps onto a canonical record another target record
 * already stands for (a mark written twice into one cell): the comparison sees one record per id, so without this
 * a duplicate on the target would pass as "present". A record read twice under the same platform id (a page
 * overlap) is not a duplicate.
 */
function withDuplicates(rec: Reconciliation, actual: CanonicalRecord[]): Reconciliation {
  const seen = new Map<string, string>();
  for (const r of actual) {
    const own = r.sourceRefs[0]?.sourceId ?? '';
    const first = seen.get(r.id);
    if (first === undefined) seen.set(r.id, own);
    else if (first !== own) {
      rec.differences.push({ entity: r.entity, id: r.id, kind: 'unexpected', fields: ['duplicate in the target'] });
      const c = (rec.perEntity[r.entity] ??= { expected: 0, present: 0, missing: 0, unexpected: 0, different: 0 });
      c.unexpected++;
    }
  }
  return rec;
}
