// Deletes a journal read of the system of record proves (canonical-model.md §C.2: a full snapshot of a declared
// scope). The scope is each lesson the read returned: the platforms answer a lesson's marks and absences with the
// lesson (ЭПОС, Дневник.ру and ЭлЖур by group or class and the same days, АСУ РСО a whole term per group), so a mark
// or absence the store holds for that lesson, written by this platform, and absent now was deleted there. Without
// this a mark a teacher deleted stayed in the store and on every push target — and on ЭПОС, whose second mark of a
// cell becomes the first when the first is deleted, the target ended with both.
// Guards, as for the roster: nothing when a page or record could not be mapped (the read is not known to be whole),
// and nothing above the threshold (an answer that lost its marks must not empty a week of the journal).
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import { sourceKeyOf, type Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import { inReadDays, missingShareOver, storedRecordsOfLessons } from './lesson-records.js';

export interface JournalDeletePlan {
  /** Canonical ids to tombstone, per entity. */
  deletes: Map<EntityName, string[]>;
  /** The stored records of the read lessons the plan looked at (the threshold's base). */
  scope: number;
  refused?: string;
}

export async function planJournalDeletes(
  store: Store,
  input: { run: RunIdentity; schoolId?: string; lessons: readonly LessonRecord[]; readIds: ReadonlySet<string>; ranges: readonly { from: string; to: string }[]; threshold: number },
): Promise<JournalDeletePlan> {
  const { run, lessons, readIds } = input;
  const inRead = inReadDays(input.ranges);
  const deletes = new Map<EntityName, string[]>();
  if (lessons.length === 0) return { deletes, scope: 0 };
  let scope = 0;
  let missing = 0;
  /** Per entity too (canonical-model.md §C.2: school × year × entity): absences are few beside marks, so an empty
   *  attendance answer was within the threshold of the two together and took every absence of the window. */
  const perEntity = new Map<EntityName, { scope: number; missing: number }>();
  for (const r of await storedRecordsOfLessons(store, run, input.schoolId, lessons)) {
    if (!isJournalRecordOf(r, run) || !inRead(r)) continue;
    scope++;
    const counted = perEntity.get(r.entity) ?? perEntity.set(r.entity, { scope: 0, missing: 0 }).get(r.entity)!;
    counted.scope++;
    if (readIds.has(r.id)) continue;
    missing++;
    counted.missing++;
    (deletes.get(r.entity) ?? deletes.set(r.entity, []).get(r.entity)!).push(r.id);
  }
  const over = missingShareOver(missing, scope, input.threshold);
  if (over) return { deletes: new Map(), scope, refused: `${missing} of ${scope} marks and absences of the lessons read are missing ${over}: no journal deletes this run` };
  for (const [entity, c] of perEntity) {
    const entityOver = missingShareOver(c.missing, c.scope, input.threshold);
    if (entityOver) return { deletes: new Map(), scope, refused: `${c.missing} of ${c.scope} ${entity} records of the lessons read are missing ${entityOver}: no journal deletes this run` };
  }
  return { deletes, scope };
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
