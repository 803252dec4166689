// Deletes a journal read of the system of record proves (canonical-model.md §C.2: a full snapshot of a declared
// scope). The scope is each lesson the read returned: the platforms answer a lesson's marks and absences with the
// lesson (ЭПОС, Дневник.ру and ЭлЖур by group or class and the same days, АСУ РСО a whole term per group), so a mark
// or absence the store holds for that lesson, written by this platform, and absent now was deleted there. Without
// this a mark a teacher deleted stayed in the store and on every push target — and on ЭПОС, whose second mark of a
// cell becomes the first when the first is deleted, the target ended with both.
// Guards, as for the roster: nothing when a page or record of a journal route could not be mapped and its line names
// no cell (the read is not known to be whole; a final mark's or a roster record's line hides no mark or absence,
// partial-read.ts); nothing in a cell a line names (a mark failing its check: that cell's stored marks and absences
// stay as they are, the rest of the read is judged); and nothing above the threshold (an answer that lost its marks
// must not empty a week of the journal).
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import { sourceKeyOf, type Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import type { HeldCells } from './held-cells.js';
import { inReadDays, MissingTally, storedRecordsOfLessons } from './lesson-records.js';

export interface JournalDeletePlan {
  /** Canonical ids to tombstone, per entity. */
  deletes: Map<EntityName, string[]>;
  /** The stored records of the read lessons the plan looked at (the threshold's base). */
  scope: number;
  refused?: string;
}

export async function planJournalDeletes(
  store: Store,
  input: { run: RunIdentity; schoolId?: string; lessons: readonly LessonRecord[]; readIds: ReadonlySet<string>; held?: HeldCells; ranges: readonly { from: string; to: string }[]; threshold: number },
): Promise<JournalDeletePlan> {
  const { run, lessons, readIds } = input;
  const inRead = inReadDays(input.ranges);
  const deletes = new Map<EntityName, string[]>();
  if (lessons.length === 0) return { deletes, scope: 0 };
  const judged = (await storedRecordsOfLessons(store, run, input.schoolId, lessons))
    // A held cell's record is neither read nor missing: it is left out of the threshold's count too.
    .filter((r) => isJournalRecordOf(r, run) && inRead(r) && !input.held?.has(r));
  const heldByLine = await missingUnderLineIds(store, run, judged.filter((r) => !readIds.has(r.id)), input.held);
  const tally = new MissingTally();
  for (const r of judged) {
    if (heldByLine.has(r.id)) continue;
    tally.count(r.entity, !readIds.has(r.id));
    if (readIds.has(r.id)) continue;
    (deletes.get(r.entity) ?? deletes.set(r.entity, []).get(r.entity)!).push(r.id);
  }
  const scope = tally.scope;
  // Over the threshold of the marks and absences together, or of either alone (an empty attendance answer).
  const over = tally.over(input.threshold);
  if (over) return { deletes: new Map(), scope, refused: `${over.missing} of ${over.scope} ${over.entity ? `${over.entity} records` : 'marks and absences'} of the lessons read are missing ${over.share}: no journal deletes this run` };
  return { deletes, scope };
}

/**
 * Of the missing records, those whose platform id a quarantine line names: the record the line could not map, wherever
 * its cell is now (a safety net under the cells the lines hold: a lesson moved, a cell renumbered). One look-up per
 * entity, and only when a line names an id.
 */
async function missingUnderLineIds(store: Store, run: RunIdentity, missing: readonly CanonicalRecord[], held: HeldCells | undefined): Promise<Set<string>> {
  const out = new Set<string>();
  if (!held?.sourceIds.size || missing.length === 0) return out;
  for (const entity of new Set(missing.map((r) => r.entity))) {
    const ids = missing.filter((r) => r.entity === entity).map((r) => r.id);
    for (const [id, sid] of await store.sourceIdsFor(run.system, run.instance, entity, ids)) if (held.sourceIds.has(sid)) out.add(id);
  }
  return out;
}

/** A live mark or absence this platform instance wrote (another platform's copy is not this read's to delete). */
function isJournalRecordOf(r: CanonicalRecord, run: RunIdentity): boolean {
  return (r.entity === 'mark' || r.entity === 'attendance_record') && r.status === 'active' && r.provenance.system === run.system && r.provenance.instance === run.instance;
}

/** Tombstones the plan's records and ends their platform ids' links, so an id a platform re-used (a cell's second mark become its first) links anew. */
export async function applyJournalDeletes(store: Store, plan: JournalDeletePlan, run: RunIdentity): Promise<number> {
  let n = 0;
  for (const [entity, list] of plan.deletes) {
    // One look-up and one close per batch of records, not one of each per record (a class's marks of a week gone).
    const open = await store.openCrosswalkFor(list);
    await store.closeCrosswalkMany(list.flatMap((id) => (open.get(id) ?? []).filter((x) => x.system === run.system && x.instance === run.instance).map(sourceKeyOf)), {});
    n += await store.deleteMany(entity, list, { reason: 'snapshot_absent', evidence: run.runId, runId: run.runId });
  }
  return n;
}
