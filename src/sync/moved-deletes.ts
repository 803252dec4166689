// A lesson moved to another day on the system of record (moved-lessons.ts) tombstones its old records and brings them
// back under the new lesson's keys: on a push target that means a delete on the old day and a write on the new one.
// The delete must never go first. Before, a push deleted the marks and absences from the target's old day even when
// the new day's write did not happen — the target's timetable had no lesson on the new day yet (the write waited),
// the write was refused, or it failed — and the school lost them there until (or for good, if) the write went through.
// Now a delete of a moved record waits until the record that replaces it on the new lesson is on the target (the
// target holds a platform id for it); the push names what waits (`movedWaiting`), keeps it in its pending list, and
// every push tries it again. A moved record the system of record has since deleted has no replacement: its delete
// goes out at once, as any other. A replacement written over the old record's own platform mark (ЭПОС finds a cell's
// mark by position) leaves nothing to delete: that mark is the new day's now (`writtenInPlace`).
import type { WriteOp } from '../connectors/contract.js';
import type { EntityName } from '../model/enums.js';
import { attendanceId, markId } from '../model/ids.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

type Platform = { system: string; instance: string };

/**
 * Delete operations of marks and absences whose lesson the system of record moved, each with the live record that
 * replaces it on the moved lesson (the same pupil, the same slot). A delete not caused by a move — its lesson not
 * tombstoned, or its platform id now standing for no lesson of the same section — or whose replacement is gone is left
 * out: nothing to wait for.
 */
export async function movedReplacements(
  store: Store, source: Platform, ops: readonly WriteOp<CanonicalRecord>[],
): Promise<Map<string, string>> {
  const byLesson = new Map<string, WriteOp<CanonicalRecord>[]>();
  for (const op of ops) {
    const r = op.record;
    if (op.action !== 'delete' || (r.entity !== 'mark' && r.entity !== 'attendance_record')) continue;
    (byLesson.get(r.lessonId) ?? byLesson.set(r.lessonId, []).get(r.lessonId)!).push(op);
  }
  const wanted = new Map<string, string>();
  if (byLesson.size === 0) return wanted;
  const olds = await store.getMany([...byLesson.keys()]);
  for (const [oldId, list] of byLesson) {
    const moved = await movedTo(store, source, olds.get(oldId));
    if (!moved) continue;
    for (const op of list) {
      const r = op.record as CanonicalRecord & { studentId: string; slot?: 1 | 2 };
      wanted.set(op.operationId, r.entity === 'mark' ? markId(r.studentId, moved, r.slot ?? 1) : attendanceId(r.studentId, moved));
    }
  }
  const live = await store.getMany([...new Set(wanted.values())]);
  for (const [opId, id] of wanted) if (!live.get(id) || live.get(id)!.status === 'deleted') wanted.delete(opId);
  return wanted;
}

/**
 * The moved lesson a tombstoned lesson became on the system of record: the live lesson of the same section that now
 * holds the platform id the old one held last (the re-key closed the old link and the read linked the id anew).
 */
async function movedTo(store: Store, source: Platform, old: CanonicalRecord | undefined): Promise<string | undefined> {
  if (old?.entity !== 'lesson' || old.status !== 'deleted') return undefined;
  const last = (await store.crosswalkFor(old.id))
    .filter((x) => x.system === source.system && x.instance === source.instance && x.entity === 'lesson' && x.validTo !== null)
    .sort((a, b) => b.validTo!.localeCompare(a.validTo!))[0];
  if (!last) return undefined;
  const now = (await store.resolve(source.system, source.instance, 'lesson', [last.sourceId])).get(last.sourceId);
  if (!now || now === old.id) return undefined;
  const lesson = await store.get(now);
  return lesson?.entity === 'lesson' && lesson.status !== 'deleted' && (lesson as LessonRecord).sectionId === (old as LessonRecord).sectionId ? now : undefined;
}

/**
 * Of the deletes `movedReplacements` found, those whose replacement is not on the target yet (no platform id there):
 * they wait. `written`: replacements this push is about to write (a dry run's), counted as there.
 */
export async function replacementMissing(
  store: Store, target: Platform, entity: EntityName, replacements: ReadonlyMap<string, string>, written: ReadonlySet<string> = new Set(),
): Promise<Set<string>> {
  const onTarget = await store.sourceIdsFor(target.system, target.instance, entity, [...new Set(replacements.values())]);
  return new Set([...replacements].filter(([, id]) => !onTarget.get(id) && !written.has(id)).map(([opId]) => opId));
}

/**
 * Of the moved deletes ready to go, those whose platform id on the target now stands for another record: the
 * replacement was written over the old record's own mark in place (ЭПОС finds a cell's mark by position, and the
 * moved lesson there is the same platform lesson), or the target's read linked it. A delete through that id would
 * remove the new day's record; before, the push sent it, and the moved lesson's marks were gone from the target.
 */
export async function writtenInPlace(store: Store, target: Platform, entity: EntityName, ops: readonly WriteOp<CanonicalRecord>[]): Promise<Set<string>> {
  const ids = ops.map((op) => op.existingSourceId).filter((x): x is string => x !== undefined);
  if (ids.length === 0) return new Set();
  const now = await store.resolve(target.system, target.instance, entity, ids);
  return new Set(ops.filter((op) => { const holder = op.existingSourceId && now.get(op.existingSourceId); return !!holder && holder !== op.record.id; }).map((op) => op.operationId));
}

/** Those deletes settled without a request: confirmed in the ledger, as nothing is left to delete on the target. */
export async function settleInPlace(store: Store, target: Platform, entity: EntityName, ops: readonly WriteOp<CanonicalRecord>[]): Promise<void> {
  await store.ledgerBeginMany(ops.map((op) => ({ target: target.instance, entity, canonicalId: op.record.id, canonicalVersion: op.record.version, idempotencyKey: op.operationId, op: 'delete' as const })));
  await store.ledgerMarkMany(ops.map((op) => ({ key: op.operationId, mark: { state: 'confirmed' as const, countAttempt: false } })));
}
