// A migration's plan of deletions: the marks and absences deleted at the source (tombstoned by its read, as a nightly
// read does) that the target still holds. Before, the plan looked at live records only: a dry run said nothing of the
// deletes the real run then made, nor that a target without a delete route (Дневник.ру marks) would refuse them and
// leave the run not "ok".
import { declaredRefusal, type Connector } from '../connectors/contract.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import { MIGRATED, type Window } from './migration-journal.js';
import type { RunIdentity } from './reference-resolver.js';
import { schoolCanonicalId } from './roster-sync.js';
import { schoolSectionIds } from './school-records.js';

/** A record the target holds though the source deleted it, and no route deletes it there: to remove by hand. */
export interface UndeletableRecord {
  id: string;
  /** The target's own id of the record (what the school finds it by there). */
  targetId: string;
  /** Its lesson's day. */
  date: string;
}

export interface PlannedDeletes {
  /** Per entity: deleted at the source, held by the target, deleted there by the push. */
  toDelete: Record<string, number>;
  /**
   * Per entity: deleted at the source, held by the target, which declares no route for the delete (`refusesWrites`):
   * the push is refused them with `reason`, the reconciliation lists each as `unexpected`, and the run is not "ok"
   * until the school removes them there by hand.
   */
  notDeletable?: Record<string, { count: number; reason: string; records: UndeletableRecord[] }>;
}

/** The school's lessons in the window (their days): what the migration moves, as `schoolJournal` reads it. */
async function lessonDays(store: Store, schoolId: string, window: Window): Promise<Map<string, string>> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
  const out = new Map<string, string>();
  for await (const l of store.iterate('lesson', { status: 'active' })) {
    const lesson = l as LessonRecord;
    if (sections.has(lesson.sectionId) && lesson.date >= window.from && lesson.date <= window.to) out.set(lesson.id, lesson.date);
  }
  return out;
}

/**
 * Tombstones of the source's marks and absences in the window that the target still holds (an open crosswalk link:
 * a confirmed delete closes it), split by whether the target can delete them. Tombstones are few (what was removed),
 * so they are read whole.
 */
export async function plannedDeletes(store: Store, schoolId: string, source: RunIdentity, target: { run: RunIdentity; connector: Connector }, window: Window): Promise<PlannedDeletes> {
  const days = await lessonDays(store, schoolId, window);
  const plan: PlannedDeletes = { toDelete: {} };
  for (const entity of MIGRATED) {
    const gone: CanonicalRecord[] = [];
    for await (const r of store.iterate(entity, { status: 'deleted' })) {
      if (r.provenance.instance === source.instance && days.has((r as { lessonId: string }).lessonId)) gone.push(r);
    }
    const held = await store.sourceIdsFor(target.run.system, target.run.instance, entity, gone.map((r) => r.id));
    const reason = declaredRefusal(target.connector.declaration, entity, 'delete');
    const there = gone.filter((r) => held.has(r.id));
    plan.toDelete[entity] = reason ? 0 : there.length;
    if (reason && there.length) {
      const records = there.map((r) => ({ id: r.id, targetId: held.get(r.id)!, date: days.get((r as { lessonId: string }).lessonId)! }))
        .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
      (plan.notDeletable ??= {})[entity] = { count: records.length, reason, records };
    }
  }
  return plan;
}
