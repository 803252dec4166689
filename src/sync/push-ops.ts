// A push's operations: for each record of the system of record, the target's ids it is written against (pupil, lesson,
// work, section, the cell's other mark) and its ledger key. Records the target cannot place yet are left out.
import type { WriteOp } from '../connectors/contract.js';
import { homeworkAsWritten } from '../model/homework.js';
import { markId, type CanonicalRecord, type LessonRecord, type WorkRecord } from '../model/index.js';
import { ledgerKey, type Store } from '../store/index.js';
import type { PushTarget } from './grade-push.js';
import { lessonsMovedAway } from './moved-lessons.js';
import { againKey } from './push-again.js';

/** The lesson a pushed record belongs to: its own id for a lesson. */
export const lessonIdOf = (r: { entity: string; id: string; lessonId?: string }) => (r.entity === 'lesson' ? r.id : r.lessonId);

/**
 * Resolves the target's ids (pupil, lesson, work, section) for each record; records it cannot place are left out.
 * `nothingToDo`: deletions of records the target never had (no target id, no write of them left unanswered in the
 * ledger) — done already, not waiting for anything.
 */
export async function buildOps(
  store: Store, target: PushTarget, records: CanonicalRecord[], againTag: ReadonlyMap<string, string>,
): Promise<{ ops: WriteOp<CanonicalRecord>[]; nothingToDo: Set<string> }> {
  const ids = (f: string) => records.map((r) => (f === 'lessonId' ? lessonIdOf(r) : (r as Record<string, unknown>)[f] as string)).filter((x): x is string => !!x);
  const [lessons, works] = await Promise.all([store.getMany(ids('lessonId')), store.getMany(ids('workId'))]);
  const sectionOf = (r: CanonicalRecord) => (lessons.get(lessonIdOf(r) ?? '') as LessonRecord | undefined)?.sectionId;
  const workOf = (r: CanonicalRecord) => works.get((r as { workId?: string }).workId ?? '') as WorkRecord | undefined;
  const [students, lessonIds, workIds, sections, periods, existing] = await Promise.all([
    store.sourceIdsFor(target.system, target.instance, 'person', ids('studentId')),
    store.sourceIdsFor(target.system, target.instance, 'lesson', ids('lessonId')),
    store.sourceIdsFor(target.system, target.instance, 'work', ids('workId')),
    store.sourceIdsFor(target.system, target.instance, 'section', records.map(sectionOf).filter((x): x is string => !!x)),
    store.sourceIdsFor(target.system, target.instance, 'academic_session', records.map((r) => workOf(r)?.gradingPeriodId).filter((x): x is string => !!x)),
    store.sourceIdsFor(target.system, target.instance, records[0].entity, records.map((r) => r.id)),
  ]);
  await lessonsMovedAway(store, target, records, existing, lessonIds);
  // A mark's cell sibling (the pupil's other slot on the lesson) as the target holds it: a writer that finds marks by
  // their place in the cell (ЭПОС) must never take the sibling's mark for this one.
  const siblingOf = (r: CanonicalRecord) => {
    const m = r as CanonicalRecord & { studentId?: string; lessonId?: string; slot?: number };
    return r.entity === 'mark' && m.studentId && m.lessonId && (m.slot === 1 || m.slot === 2) ? markId(m.studentId, m.lessonId, 3 - m.slot) : undefined;
  };
  const siblings = records[0].entity === 'mark'
    ? await store.sourceIdsFor(target.system, target.instance, 'mark', records.map(siblingOf).filter((x): x is string => !!x))
    : new Map<string, string>();
  const ops: WriteOp<CanonicalRecord>[] = [];
  // A lesson is pushed for its homework only: one without (or deleted — the timetable is the target's own) has nothing
  // to send. Removing a homework once written is a route no platform has (docs/sync.md "Grade push").
  const noHomework = (r: CanonicalRecord) => r.entity === 'lesson' && (r.status === 'deleted' || !homeworkAsWritten(r as LessonRecord).text);
  // A delete of a record with no target id is done only if no write of it may have reached the target. One the ledger
  // holds `sent` or `failed` (an answer lost after the platform applied it, a crash mid-call) may have: before, such a
  // delete was dropped as done, the cursor moved past it and the target kept a mark the school had deleted. It is
  // sent without a target id instead: every writer finds a mark or absence by its cell (pupil, lesson, slot or
  // column) and answers `unchanged` when nothing is there; a target without a delete route refuses it, and says so.
  const unlinkedDeletes = records.filter((r) => r.status === 'deleted' && r.entity !== 'lesson' && !existing.get(r.id)).map((r) => r.id);
  const mayBeThere = unlinkedDeletes.length ? await store.ledgerUnsettledVersions(target.instance, records[0].entity, unlinkedDeletes) : new Map<string, number>();
  const nothingToDo = new Set(records.filter((r) => (r.status === 'deleted' && !existing.get(r.id) && !mayBeThere.has(r.id)) || noHomework(r)).map((r) => r.id));
  for (const r of records) {
    if (nothingToDo.has(r.id)) continue;
    const rec = r as CanonicalRecord & { studentId?: string; workId?: string };
    const student = rec.studentId ? students.get(rec.studentId) : undefined;
    const lesson = lessonIds.get(lessonIdOf(r) ?? '');
    // The pupil or the lesson is not on the target (yet: its roster or timetable sync has not linked them):
    // nothing to write against; the record stays pending for the next push.
    if ((r.entity !== 'lesson' && !student) || !lesson) continue;
    const section = sectionOf(r);
    // A homework is written into its class's journal: without the section's link there is nowhere yet.
    if (r.entity === 'lesson' && !(section && sections.get(section))) continue;
    const targetIds: Record<string, string> = { ...(student ? { student } : {}), lesson, ...(target.schoolSourceId ? { school: target.schoolSourceId } : {}) };
    if (rec.workId && workIds.get(rec.workId)) targetIds.work = workIds.get(rec.workId)!;
    const sibling = siblingOf(r);
    if (sibling && siblings.get(sibling)) targetIds.otherSlotMark = siblings.get(sibling)!;
    if (section && sections.get(section)) targetIds.section = sections.get(section)!;
    const lessonDate = (lessons.get(lessonIdOf(r) ?? '') as LessonRecord | undefined)?.date;
    if (lessonDate) targetIds.lessonDate = lessonDate;
    const work = workOf(r);
    if (work) {
      targetIds.workTypeCode = work.workTypeCode;
      targetIds.workTitle = work.title;
      if (work.dueDate) targetIds.dueDate = work.dueDate;
      const period = work.gradingPeriodId ? periods.get(work.gradingPeriodId) : undefined;
      if (period) targetIds.gradingPeriod = period;
    }
    ops.push({
      operationId: againKey(ledgerKey(target.instance, r.entity, r.id, r.version), againTag.get(r.id)), action: r.status === 'deleted' ? 'delete' : 'upsert',
      record: r, targetIds, ...(existing.get(r.id) ? { existingSourceId: existing.get(r.id) } : {}),
    });
  }
  return { ops, nothingToDo };
}
