// A migration's plan before anything is written: what is to create and already there, unmatched pupils, lessons
// missing in the target's timetable, open conflicts, and what the target will not hold as the source gave it.
import type { Connector } from '../connectors/contract.js';
import { uncarriedFields } from '../connectors/registry.js';
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import { foldFor, type Fold } from '../model/mark-spelling.js';
import type { Store } from '../store/index.js';
import type { MigrationPlan } from './migrate.js';
import { MIGRATED, type Window } from './migration-journal.js';
import { openConflictsAbout } from './open-conflicts.js';
import type { RunIdentity } from './reference-resolver.js';
import { schoolCanonicalId } from './roster-sync.js';
import { schoolSectionIds } from './school-records.js';

export async function planMigration(store: Store, target: RunIdentity, expected: CanonicalRecord[]): Promise<MigrationPlan> {
  const plan: MigrationPlan = { toCreate: {}, alreadyThere: {}, toUpdate: Object.fromEntries(MIGRATED.map((e) => [e, 0])), unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0 };
  const students = [...new Set(expected.map((r) => (r as { studentId: string }).studentId))];
  const matched = await store.sourceIdsFor(target.system, target.instance, 'person', students);
  const unmatched = students.filter((id) => !matched.has(id)).sort();
  plan.unmatchedPeople = unmatched.length;
  if (unmatched.length) plan.unmatchedPupilIds = unmatched;
  const lessons = [...new Set(expected.map((r) => (r as { lessonId: string }).lessonId))];
  const inTimetable = await store.sourceIdsFor(target.system, target.instance, 'lesson', lessons);
  const missing = lessons.filter((id) => !inTimetable.has(id));
  plan.lessonsMissingInTarget = missing.length;
  if (missing.length) {
    plan.missingLessons = [...(await store.getMany(missing)).values()]
      .map((l) => ({ id: l.id, date: (l as LessonRecord).date })).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  }
  for (const entity of MIGRATED) {
    const list = expected.filter((r) => r.entity === entity);
    const there = await store.sourceIdsFor(target.system, target.instance, entity, list.map((r) => r.id));
    const placeable = (r: CanonicalRecord) => matched.has((r as { studentId: string }).studentId) && inTimetable.has((r as { lessonId: string }).lessonId);
    const waiting = list.filter((r) => !there.has(r.id) && !placeable(r)).length;
    plan.toCreate[entity] = list.length - there.size - waiting;
    plan.alreadyThere[entity] = there.size;
    if (waiting) (plan.waiting ??= {})[entity] = waiting;
  }
  plan.conflicts = await openConflictsAbout(store, new Set([...expected.map((r) => r.id), ...lessons, ...students]));
  return plan;
}

/**
 * The homework the push will give a target that takes it (`lessons.write`, Дневник.ру): to create (never confirmed in
 * the outbound ledger) and already there (confirmed). A homework whose lesson the target's timetable lacks (or whose
 * class's journal is not linked there) cannot be written: it waits, as a mark of such a lesson does, and the lesson is
 * named with the other lessons missing there. Before, it was counted to create and the push then skipped it.
 */
export async function planHomework(store: Store, target: RunIdentity, lessons: readonly LessonRecord[], plan: MigrationPlan): Promise<void> {
  const ids = lessons.map((l) => l.id);
  const written = await store.ledgerLastConfirmed(target.instance, 'lesson', ids);
  const linked = await store.sourceIdsFor(target.system, target.instance, 'lesson', ids);
  const sections = await store.sourceIdsFor(target.system, target.instance, 'section', [...new Set(lessons.map((l) => l.sectionId))]);
  const waiting = lessons.filter((l) => !written.has(l.id) && !(linked.has(l.id) && sections.has(l.sectionId)));
  plan.toCreate.homework = ids.length - written.size - waiting.length;
  plan.alreadyThere.homework = written.size;
  if (waiting.length) (plan.waiting ??= {}).homework = waiting.length;
  const named = new Set((plan.missingLessons ?? []).map((l) => l.id));
  const missing = waiting.filter((l) => !linked.has(l.id) && !named.has(l.id)).map((l) => ({ id: l.id, date: l.date }));
  if (!missing.length) return;
  plan.missingLessons = [...(plan.missingLessons ?? []), ...missing].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  plan.lessonsMissingInTarget = plan.missingLessons.length;
}

/** Per fold of the target's, the source's records it will hold in its own spelling. */
export function foldedBy(folds: readonly Fold[], journal: readonly CanonicalRecord[]): Partial<Record<Fold, number>> {
  const out: Partial<Record<Fold, number>> = {};
  if (!folds.length) return out;
  for (const r of journal) {
    const fold = foldFor(folds, r);
    if (fold) out[fold] = (out[fold] ?? 0) + 1;
  }
  return out;
}

/**
 * Held lessons of the school in the window, as the source gave them, that hold a topic / a homework (text or «не
 * задано») the migration cannot carry. A target that writes homework (`lessons.write`, Дневник.ру) is given every
 * homework with a text; «не задано» alone has nothing to write.
 */
export async function lessonContentCounts(
  store: Store, schoolId: string, source: RunIdentity, window: Window, opts: { writesHomework: boolean },
): Promise<Record<string, number>> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
  const out = { topic: 0, homework: 0 };
  for await (const l of store.iterate('lesson', { status: 'active' })) {
    const lesson = l as LessonRecord;
    if (!sections.has(lesson.sectionId) || lesson.date < window.from || lesson.date > window.to || lesson.provenance.instance !== source.instance) continue;
    if (lesson.lessonStatus !== 'held') continue;
    if (lesson.topic?.trim()) out.topic++;
    const text = !!lesson.homework?.text?.trim();
    if (opts.writesHomework ? !text && lesson.homework?.notAssigned : text || lesson.homework?.notAssigned) out.homework++;
  }
  // On a target given the rest, what stays behind is «не задано»: a field the target cannot hold, not a lesson's content.
  return opts.writesHomework ? { topic: out.topic, 'lesson.homework.notAssigned': out.homework } : out;
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
export async function fieldsNotCarried(store: Store, journal: readonly CanonicalRecord[], source: RunIdentity, target: Connector): Promise<Record<string, number>> {
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
