// Deletes a journal read of the system of record proves (canonical-model.md §C.2: a full snapshot of a declared
// scope). The scope is each lesson the read returned: the platforms answer a lesson's marks and absences with the
// lesson (ЭПОС, Дневник.ру and ЭлЖур by group or class and the same days, АСУ РСО a whole term per group), so a mark
// or absence the store holds for that lesson, written by this platform, and absent now was deleted there. Without
// this a mark a teacher deleted stayed in the store and on every push target — and on ЭПОС, whose second mark of a
// cell becomes the first when the first is deleted, the target ended with both.
// Guards, as for the roster: nothing when a page or record could not be mapped (the read is not known to be whole),
// and nothing above the threshold (an answer that lost its marks must not empty a week of the journal).
import type { EntityName } from '../model/enums.js';
import { attendanceId, markId } from '../model/ids.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';

export interface JournalDeletePlan {
  /** Canonical ids to tombstone, per entity. */
  deletes: Map<EntityName, string[]>;
  /** The stored records of the read lessons the plan looked at (the threshold's base). */
  scope: number;
  refused?: string;
}

/** At least this many missing before the share can refuse: one deleted mark in a small window is no alarm. */
const MIN_FOR_THRESHOLD = 5;

/**
 * Memberships this platform's last roster read no longer listed, kept until their second miss (the two-miss rule,
 * snapshot-deletes.ts): a pupil moved to another class. A platform answers a group's records for its current pupils
 * only (Дневник.ру's lesson-log entries), so the moved pupil's records there are not deletions — before, each night
 * until the second miss tombstoned their absences, and the push deleted them from every target.
 */
async function leavingMemberships(store: Store, run: RunIdentity, schoolId: string | undefined): Promise<Set<string>> {
  if (!schoolId) return new Set();
  const cursor = await store.getCursor(run.system, run.instance, `roster:${schoolId}`);
  const misses = cursor?.value ? Object.keys((JSON.parse(cursor.value) as { misses?: Record<string, number> }).misses ?? {}) : [];
  const ids = misses.filter((k) => k.startsWith('enrollment|')).map((k) => k.slice('enrollment|'.length));
  return new Set(ids.length ? (await store.resolve(run.system, run.instance, 'enrollment', ids)).values() : []);
}

export async function planJournalDeletes(
  store: Store,
  input: { run: RunIdentity; schoolId?: string; lessons: readonly LessonRecord[]; readIds: ReadonlySet<string>; ranges: readonly { from: string; to: string }[]; threshold: number },
): Promise<JournalDeletePlan> {
  const { run, lessons, readIds } = input;
  // Platforms file a mark under its own date and answer marks by that date (Дневник.ру, ЭПОС, ЭлЖур): a retake
  // dated after the window is not in this read though its lesson is. Only a mark dated inside the read is judged.
  const inRead = (r: CanonicalRecord) => r.entity !== 'mark' || input.ranges.some((x) => r.markDate >= x.from && r.markDate <= x.to);
  const deletes = new Map<EntityName, string[]>();
  if (lessons.length === 0) return { deletes, scope: 0 };
  // The pupils a lesson's records can name: enrolled in its section, or in the section's homeroom class.
  const sectionIds = [...new Set(lessons.map((l) => l.sectionId))];
  const sections = await store.getMany(sectionIds);
  const classOf = new Map([...sections.values()].map((s) => [s.id, (s as unknown as { homeroomClassId?: string }).homeroomClassId]));
  const pupilsOf = new Map<string, Set<string>>();
  const owners = [...sectionIds, ...new Set([...classOf.values()].filter((x): x is string => !!x))];
  const leaving = await leavingMemberships(store, run, input.schoolId);
  for (const e of await store.referencing('enrollment', 'sectionId', owners)) {
    const f = e as unknown as { sectionId: string; personId: string; role: string };
    if (f.role !== 'student' || leaving.has(e.id)) continue;
    (pupilsOf.get(f.sectionId) ?? pupilsOf.set(f.sectionId, new Set()).get(f.sectionId)!).add(f.personId);
  }
  // Mark and absence ids are natural keys (pupil, lesson, slot): every one the lesson could hold, looked up by id.
  const ids: string[] = [];
  for (const l of lessons) {
    const pupils = new Set([...(pupilsOf.get(l.sectionId) ?? []), ...(pupilsOf.get(classOf.get(l.sectionId) ?? '') ?? [])]);
    for (const p of pupils) ids.push(markId(p, l.id, 1), markId(p, l.id, 2), attendanceId(p, l.id));
  }
  let scope = 0;
  let missing = 0;
  for (let i = 0; i < ids.length; i += 5_000) {
    for (const r of (await store.getMany(ids.slice(i, i + 5_000))).values()) {
      if (!isJournalRecordOf(r, run) || !inRead(r)) continue;
      scope++;
      if (readIds.has(r.id)) continue;
      missing++;
      (deletes.get(r.entity) ?? deletes.set(r.entity, []).get(r.entity)!).push(r.id);
    }
  }
  if (missing >= MIN_FOR_THRESHOLD && missing / scope > input.threshold) {
    return { deletes: new Map(), scope, refused: `${missing} of ${scope} marks and absences of the lessons read are missing (${Math.round((missing / scope) * 100)}% > ${Math.round(input.threshold * 100)}%): no journal deletes this run` };
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
    for (const id of list) {
      for (const row of (await store.crosswalkFor(id)).filter((x) => x.validTo === null && x.system === run.system && x.instance === run.instance)) {
        await store.closeCrosswalk(row.system, row.instance, row.entity, row.sourceId, {});
      }
    }
    n += await store.deleteMany(entity, list, { reason: 'snapshot_absent', evidence: run.runId, runId: run.runId });
  }
  return n;
}
