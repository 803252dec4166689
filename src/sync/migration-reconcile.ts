// A migration's reconciliation: the target read back slice by slice and compared with what the source gave.
import { hasCapability, type ConnectorDeclaration } from '../connectors/contract.js';
import { uncarriedFields } from '../connectors/registry.js';
import type { EntityName } from '../model/enums.js';
import { compareRecords, type CanonicalRecord, type LessonRecord } from '../model/index.js';
import type { RecordDifference } from '../model/compare.js';
import { duplicateDifferences } from '../model/duplicates.js';
import type { MigrationSide } from './migrate.js';
import { FINALS, MIGRATED, type Window } from './migration-journal.js';
import { readBackChecked } from './read-back.js';
import { mergeReconciliations, reconciliationOf, withoutFolds, type Reconciliation } from './reconciliation.js';
import type { RunIdentity } from './reference-resolver.js';
import type { Store } from '../store/index.js';

/**
 * Per entity, the fields a migration's reconciliation leaves out: what the target cannot carry or stamps itself, and
 * what the source could not carry either (the store holds a default there, e.g. the author of an АСУ РСО mark: its
 * lesson's scheduled teacher).
 */
export function ignoredInReconciliation(target: ConnectorDeclaration, sourceSystem: string): Record<string, string[]> {
  const { uncarried = {}, unwritable = {} } = target;
  return Object.fromEntries([...MIGRATED, FINALS].map((e) => [e, [...(uncarried[e] ?? []), ...(unwritable[e] ?? []), ...uncarriedFields(sourceSystem, e)]]));
}

/**
 * Reads the target back and compares it with what the source gave, per entity, slice by slice (a record is read
 * back with its lesson's dates). Nothing is stored: the target's records are mapped with the crosswalk the syncs
 * built, so equal data has equal ids and hashes.
 */
export async function reconcile(
  store: Store, from: RunIdentity, to: MigrationSide, slices: Window[], expected: CanonicalRecord[][], finals: CanonicalRecord[], window: Window,
  homework?: LessonRecord[][],
): Promise<{ reconciliation: Reconciliation; quarantined: { count: number; reasons: string[] }; drift: Drift[] }> {
  const drift: Drift[] = [];
  const ignoreFields = ignoredInReconciliation(to.connector.declaration, from.system);
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
    if (homework) {
      const hw = homeworkReconciliation(homework[i], read.records, await sourceLessonsWithout(store, from, homework[i], read.records));
      parts.push(hw);
      // A lesson read back without that homework: the push may write it again (the writer refuses where it holds another).
      for (const d of hw.differences) if (d.kind === 'different') drift.push({ entity: 'lesson', id: d.id, kind: 'different' });
    }
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

/**
 * A mark or absence the target does not hold as the source gave it (a reconciliation's `missing` or `different`), or a
 * lesson whose homework it does not hold (`lesson`, `different`).
 */
export interface Drift {
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
 * a duplicate on the target would pass as "present". The read-back comes merged from its pages, so each record is
 * given as a response of its own: one read twice under the same platform id (a page overlap) is not a duplicate.
 */
function withDuplicates(rec: Reconciliation, actual: CanonicalRecord[]): Reconciliation {
  for (const d of duplicateDifferences(actual.map((r) => [r]))) {
    rec.differences.push(d);
    const c = (rec.perEntity[d.entity] ??= { expected: 0, present: 0, missing: 0, unexpected: 0, different: 0 });
    c.unexpected++;
  }
  return rec;
}

/**
 * Each source lesson's homework (its text, its due day) against the target's lesson of the same id as read back: a
 * lesson not read back is missing, one without that homework different. Counted under `homework` — the lesson's other
 * fields are the target's own timetable. A lesson holding another homework the target would not let the push change
 * (Дневник.ру) shows here, so the school sees it.
 */
/**
 * Of the lessons read back from the target holding a homework, those the source holds without one (their homework
 * removed at the source, say): no route removes a homework there, so each is a difference the school must see — before,
 * the lesson only dropped out of what was expected, and the run said "nothing lost" while the pupils still saw it.
 */
async function sourceLessonsWithout(store: Store, from: RunIdentity, expected: readonly LessonRecord[], actual: readonly CanonicalRecord[]): Promise<Set<string>> {
  const withHomework = new Set(expected.map((l) => l.id));
  const held = actual.filter((r): r is LessonRecord => r.entity === 'lesson' && !!r.homework?.text?.trim() && !withHomework.has(r.id));
  const stored = await store.getMany(held.map((r) => r.id));
  return new Set(held.map((r) => r.id).filter((id) => {
    const l = stored.get(id) as LessonRecord | undefined;
    return l?.status === 'active' && l.provenance.instance === from.instance && !l.homework?.text?.trim();
  }));
}

function homeworkReconciliation(expected: readonly LessonRecord[], actual: readonly CanonicalRecord[], removedAtSource: ReadonlySet<string> = new Set()): Reconciliation {
  const back = new Map(actual.filter((r): r is LessonRecord => r.entity === 'lesson').map((r) => [r.id, r]));
  const differences: RecordDifference[] = [];
  for (const id of removedAtSource) differences.push({ entity: 'lesson', id, kind: 'unexpected', fields: ['homework'] });
  let present = 0;
  for (const l of expected) {
    const there = back.get(l.id);
    if (!there) {
      differences.push({ entity: 'lesson', id: l.id, kind: 'missing' });
      continue;
    }
    present++;
    const same = there.homework?.text?.trim() === l.homework?.text?.trim() && (there.homework?.dueDate ?? '') === (l.homework?.dueDate ?? '');
    if (!same) differences.push({ entity: 'lesson', id: l.id, kind: 'different', fields: ['homework'] });
  }
  const count = (kind: RecordDifference['kind']) => differences.filter((d) => d.kind === kind).length;
  return { perEntity: { homework: { expected: expected.length, present, missing: count('missing'), unexpected: count('unexpected'), different: count('different') } }, differences };
}
