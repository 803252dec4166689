// Platform-to-platform migration (issue 8; DECISIONS.md §7): full read of the source, identity matching
// against the target's roster, a plan (dry run), then the push through the outbound ledger — resumable
// after a crash, since every operation is keyed in the ledger — and a reconciliation that reads the
// target back and compares it with the canonical store, listing every difference.
import type { Logger } from 'pino';
import type { Connector } from '../connectors/contract.js';
import type { Mapper } from '../connectors/mapping.js';
import type { EntityName } from '../model/enums.js';
import { compareRecords, type CanonicalRecord, type LessonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import { windows } from '../connectors/paging.js';
import { gradePush } from './grade-push.js';
import { journalSync } from './journal-sync.js';
import { mergeReconciliations, reconciliationOf, type Reconciliation } from './reconciliation.js';
import { readBack } from './read-back.js';
import type { RunIdentity } from './reference-resolver.js';
import { rosterSync, schoolCanonicalId } from './roster-sync.js';
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
  logger?: Logger;
  onProgress?: (stage: string, done: number, total?: number) => void;
}

export interface MigrationPlan {
  /** Per entity: not in the target yet / already there. */
  toCreate: Record<string, number>;
  alreadyThere: Record<string, number>;
  /** Pupils of the source with no identity on the target (their marks cannot be written). */
  unmatchedPeople: number;
  /** Lessons with marks or attendance that the target's timetable does not have. */
  lessonsMissingInTarget: number;
  conflicts: number;
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
  /** True when nothing was quarantined at the source and the reconciliation found no difference (a dry run is never "ok"). */
  ok: boolean;
  startedAt: string;
  finishedAt: string;
}

const MIGRATED: EntityName[] = ['mark', 'attendance_record'];

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
  // 1–2. the source is the authority for this run: its roster and its whole journal
  steps.push(await rosterSync({ ...base, connector: from.connector, mapper: from.mapper, run: from.run, school: schoolArgs(from), authoritative: true, deleteThreshold: input.deleteThreshold }));
  steps.push(await journal(from, true));
  // 3–4. the target: identities matched onto the canonical roster, its timetable linked
  steps.push(await rosterSync({ ...base, connector: to.connector, mapper: to.mapper, run: to.run, school: schoolArgs(to), authoritative: false, deleteThreshold: input.deleteThreshold }));
  steps.push(await journal(to, false));

  // The journal is read from the store again for the reconciliation rather than held through the push.
  const plan = await planMigration(store, to.run, (await schoolJournal(store, school.id, from.run, slices)).flat());
  let reconciliation: Reconciliation | undefined;
  if (!input.dryRun) {
    steps.push(await gradePush({
      store, source: { system: from.run.system, instance: from.run.instance },
      target: { connector: to.connector, system: to.run.system, instance: to.run.instance }, school: { id: school.id },
      runId: to.run.runId, logger: input.logger, onProgress: input.onProgress,
    }));
    reconciliation = await reconcile(store, to, slices, await schoolJournal(store, school.id, from.run, slices));
  }
  const notMigrated = steps[0].quarantined + steps[1].quarantined;
  return {
    school: school.id, from: from.run.instance, to: to.run.instance, window: input.window, dryRun: input.dryRun, steps, plan,
    ...(reconciliation ? { reconciliation } : {}), notMigrated,
    ok: !!reconciliation && reconciliation.differences.length === 0 && notMigrated === 0,
    startedAt, finishedAt: new Date().toISOString(),
  };
}

/** Marks and attendance of the school's lessons in each slice (by the lesson's date), as the source gave them. */
async function schoolJournal(store: Store, schoolId: string, source: RunIdentity, slices: Window[]): Promise<CanonicalRecord[][]> {
  const org = schoolCanonicalId(schoolId);
  const classes = new Set<string>();
  for await (const c of store.iterate('homeroom_class', { status: 'active' })) if (c.entity === 'homeroom_class' && c.organizationId === org) classes.add(c.id);
  const sections = new Set<string>();
  for await (const s of store.iterate('section', { status: 'active' })) if (s.entity === 'section' && classes.has(s.homeroomClassId)) sections.add(s.id);
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
  const plan: MigrationPlan = { toCreate: {}, alreadyThere: {}, unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0 };
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
  for await (const c of store.iterate('conflict', { status: 'active' })) if (c.entity === 'conflict' && !c.resolvedBy) plan.conflicts++;
  return plan;
}

/**
 * Reads the target back and compares it with what the source gave, per entity, slice by slice (a record is read
 * back with its lesson's dates). Nothing is stored: the target's records are mapped with the crosswalk the syncs
 * built, so equal data has equal ids and hashes.
 */
async function reconcile(store: Store, to: MigrationSide, slices: Window[], expected: CanonicalRecord[][]): Promise<Reconciliation> {
  const { uncarried = {}, unwritable = {} } = to.connector.declaration;
  const ignoreFields = Object.fromEntries(MIGRATED.map((e) => [e, [...(uncarried[e] ?? []), ...(unwritable[e] ?? [])]]));
  const parts: Reconciliation[] = [];
  for (const [i, window] of slices.entries()) {
    const actual = (await readBack(store, to, window, ['journal.read'])).filter((r) => (MIGRATED as string[]).includes(r.entity));
    parts.push(reconciliationOf(compareRecords(expected[i], dedupe(actual), { entities: MIGRATED, ignoreFields })));
    expected[i] = []; // compared: let it go
  }
  return mergeReconciliations(parts);
}

function dedupe(records: CanonicalRecord[]): CanonicalRecord[] {
  return [...new Map(records.map((r) => [r.id, r])).values()];
}
