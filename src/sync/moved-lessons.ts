// A lesson moved to another day or period on the system of record («перенос урока»): the platform keeps its id and
// changes its date or number. A lesson's canonical id is its natural key (section, date, number), so the moved lesson
// is another record. Before, its platform id still stood for the old one: every read quarantined the moved lesson's
// link as a crosswalk conflict, its marks and absences stayed under the old lesson (R-07 refused their new date, so a
// correction of one was never stored), and the targets kept them on the old day for good.
// The read that meets a moved lesson re-keys it (canonical-model.md §C.2, key changes before upserts): the old lesson
// and every record keyed on it — its works, marks and absences — are tombstoned and this platform's links of them
// closed; the read is then mapped again, so the lesson and its records come in under their new keys and link anew.
// The push writes the new records on the targets and deletes the old ones there once the new ones are written
// (moved-deletes.ts; docs/sync.md "A lesson moved").
import { attendanceId, markId, workId } from '../model/ids.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import { WORK_TYPES } from '../model/work-types.js';
import type { CrosswalkKey, Store } from '../store/index.js';
import { carryTaken } from './conflict-decisions.js';
import { releaseTombstonedHolders } from './link-clashes.js';
import type { RunIdentity } from './reference-resolver.js';

/** Old canonical lesson id → the lesson as this read has it now. */
export type MovedLessons = Map<string, LessonRecord>;

/**
 * The lessons of this read whose platform id stands for another canonical lesson of the same platform instance: moved
 * on the platform. Only what the read proves: the old lesson is of the same section (a platform re-using an id for
 * another group's lesson, or another school year's, is not a move), its day lies inside the days read, the read has no
 * lesson at its old key, and no lesson of this platform holds its new key. Two lessons swapped are left alone: each
 * canonical id would come back with the other's content while the targets' links still point by the old days, and the
 * push would write each lesson's marks into the other's column.
 */
export async function findMovedLessons(
  store: Store, run: RunIdentity, lessons: readonly CanonicalRecord[], ranges: readonly { from: string; to: string }[],
): Promise<MovedLessons> {
  const moved: MovedLessons = new Map();
  const bySourceId = new Map<string, LessonRecord>();
  const readIds = new Set<string>();
  for (const r of lessons) {
    if (r.entity !== 'lesson') continue;
    readIds.add(r.id);
    const ref = r.sourceRefs.find((x) => x.system === run.system && x.instance === run.instance);
    if (ref) bySourceId.set(ref.sourceId, r);
  }
  if (bySourceId.size === 0) return moved;
  const linked = await store.resolve(run.system, run.instance, 'lesson', [...bySourceId.keys()]);
  const candidates = new Map<string, LessonRecord>();
  for (const [sid, r] of bySourceId) {
    const holder = linked.get(sid);
    if (holder !== undefined && holder !== r.id) candidates.set(holder, r);
  }
  if (candidates.size === 0) return moved;
  const olds = await store.getMany([...candidates.keys()]);
  const read = (date: string) => ranges.some((x) => date >= x.from && date <= x.to);
  // The new key's own platform id, where it has one: then the key is taken (a swap, or a lesson the read left out).
  const newKeyHolders = await store.sourceIdsFor(run.system, run.instance, 'lesson', [...candidates.values()].map((r) => r.id));
  for (const [old, r] of candidates) {
    const was = olds.get(old);
    if (was?.entity !== 'lesson' || was.sectionId !== r.sectionId || !read(was.date)) continue;
    if (readIds.has(old) || newKeyHolders.has(r.id)) continue;
    moved.set(old, r);
  }
  return moved;
}

/**
 * On a platform other than the system of record: the lessons of this read whose platform id is still linked to a
 * lesson the system of record re-keyed (tombstoned), while the read has it at the moved lesson's key, which the system
 * of record holds live. Their links are released (link-clashes.ts `releaseTombstonedHolders`, as the read's linking
 * would at its end) before the read is mapped again, so the lesson's marks and absences are read under the moved lesson
 * tonight. Before, a platform that names a mark's lesson by its id (ЭПОС) had them read under the tombstone the night
 * the move reached it, and R-07 refused each (its date is the new day's): lines for an operator, about nothing.
 * Returns how many links it released.
 */
export async function releaseMovedLessonLinks(store: Store, run: RunIdentity, lessons: readonly CanonicalRecord[]): Promise<number> {
  const bySid = new Map<string, string>();
  for (const r of lessons) {
    const ref = r.entity === 'lesson' ? r.sourceRefs.find((x) => x.system === run.system && x.instance === run.instance) : undefined;
    if (ref) bySid.set(ref.sourceId, r.id);
  }
  if (bySid.size === 0) return 0;
  const holders = await store.resolve(run.system, run.instance, 'lesson', [...bySid.keys()]);
  const clashes = [...holders].filter(([sid, holder]) => holder !== bySid.get(sid)).map(([sourceId, holder]) => ({ entity: 'lesson', sourceId, holder, wanted: bySid.get(sourceId)! }));
  return (await releaseTombstonedHolders(store, run, clashes)).size;
}

/** What a re-key did: the records it tombstoned, as they were before (moved-held-records.ts carries some over). */
export interface Rekeyed {
  deleted: number;
  tombstoned: CanonicalRecord[];
}

/**
 * Tombstones each moved lesson's old record with everything keyed on it — works (by work type), marks and absences of
 * the pupils of its section and class — and closes this platform's links of them, so the read maps anew. Other
 * platforms' links stay: the push deletes the old records on the targets through them. A value an operator took for
 * one of them (`review take`) is carried to the record replacing it (conflict-decisions.ts `carryTaken`). Returns how
 * many records it tombstoned, and those records as they were.
 */
export async function rekeyMovedLessons(store: Store, run: RunIdentity, moved: MovedLessons): Promise<Rekeyed> {
  if (moved.size === 0) return { deleted: 0, tombstoned: [] };
  const old = await store.getMany([...moved.keys()]);
  const lessons = [...old.values()].filter((r): r is LessonRecord => r.entity === 'lesson');
  const sectionIds = [...new Set(lessons.map((l) => l.sectionId))];
  const sections = await store.getMany(sectionIds);
  const classOf = new Map([...sections.values()].map((s) => [s.id, (s as { homeroomClassId?: string }).homeroomClassId]));
  const owners = [...sectionIds, ...new Set([...classOf.values()].filter((x): x is string => !!x))];
  const pupilsOf = new Map<string, Set<string>>();
  // Every pupil ever enrolled there, not only the current ones: a pupil who left since still has marks on the lesson.
  for (const e of await store.referencing('enrollment', 'sectionId', owners, { withDeleted: true })) {
    const f = e as { sectionId?: string; personId?: string; role?: string };
    if (f.role !== 'student' || !f.sectionId || !f.personId) continue;
    (pupilsOf.get(f.sectionId) ?? pupilsOf.set(f.sectionId, new Set()).get(f.sectionId)!).add(f.personId);
  }
  const ids: string[] = [];
  /** Old id → the id the record comes back under on the moved lesson: an operator's decision goes with it. */
  const renamed = new Map<string, string>();
  for (const l of lessons) {
    const now = moved.get(l.id)!.id;
    ids.push(l.id);
    renamed.set(l.id, now);
    for (const t of WORK_TYPES) ids.push(workId(l.id, t.code));
    const pupils = new Set([...(pupilsOf.get(l.sectionId) ?? []), ...(pupilsOf.get(classOf.get(l.sectionId) ?? '') ?? [])]);
    for (const p of pupils) {
      ids.push(markId(p, l.id, 1), markId(p, l.id, 2), attendanceId(p, l.id));
      renamed.set(markId(p, l.id, 1), markId(p, now, 1)).set(markId(p, l.id, 2), markId(p, now, 2)).set(attendanceId(p, l.id), attendanceId(p, now));
    }
  }
  const found = await store.getMany(ids);
  // A work of a key outside the work-type table (a platform's own column key) is found through its marks.
  const extraWorks = [...found.values()].map((r) => (r.entity === 'mark' ? (r as { workId?: string }).workId : undefined)).filter((w): w is string => !!w && !found.has(w));
  for (const [id, r] of await store.getMany([...new Set(extraWorks)])) found.set(id, r);
  const byEntity = new Map<CanonicalRecord['entity'], string[]>();
  const live = [...found.values()].filter((r) => r.status !== 'deleted');
  // Their links in one look-up and closed in one go: a query per record (a few dozen per lesson), or per link, made a
  // whole day moved in a large school slow.
  const open = await store.openCrosswalkFor(live.map((r) => r.id));
  const closing: CrosswalkKey[] = [];
  for (const r of live) {
    for (const row of (open.get(r.id) ?? []).filter((x) => x.system === run.system && x.instance === run.instance)) {
      closing.push({ system: row.system, instance: row.instance, entity: row.entity, sourceId: row.sourceId });
    }
    (byEntity.get(r.entity) ?? byEntity.set(r.entity, []).get(r.entity)!).push(r.id);
  }
  await store.closeCrosswalkMany(closing, {});
  await carryTaken(store, renamed, run.runId);
  let n = 0;
  // Dependents before the lesson (deletes in reverse dependency order, §C).
  for (const entity of ['mark', 'attendance_record', 'work', 'lesson'] as const) {
    const list = byEntity.get(entity);
    if (list?.length) n += await store.deleteMany(entity, list, { reason: 'snapshot_absent', evidence: run.runId, runId: run.runId });
  }
  return { deleted: n, tombstoned: live };
}

/**
 * For a push: a deleted record the target still holds, whose lesson was re-keyed (moved to another day, above)
 * and whose platform lesson the target's read has since linked to the moved lesson: the cell is still in that platform
 * lesson. Found by the tombstoned lesson's last link on the target, so the delete reaches it — without it the delete
 * waited for a lesson link that never comes, and the deleted marks stayed on the target.
 */
export async function lessonsMovedAway(
  store: Store, target: { system: string; instance: string }, records: readonly CanonicalRecord[], existing: ReadonlyMap<string, string>, lessonIds: Map<string, string>,
): Promise<void> {
  for (const r of records) {
    const lid = r.entity === 'lesson' ? r.id : (r as { lessonId?: string }).lessonId;
    if (r.status !== 'deleted' || !existing.get(r.id) || !lid || lessonIds.has(lid)) continue;
    const last = (await store.crosswalkFor(lid))
      .filter((x) => x.system === target.system && x.instance === target.instance && x.validTo !== null)
      .sort((a, b) => b.validTo!.localeCompare(a.validTo!))[0];
    if (last) lessonIds.set(lid, last.sourceId);
  }
}
