// What a migration moves, as the source gave it: the school's marks and absences per slice, and its final marks.
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import { schoolCanonicalId } from './roster-sync.js';
import { schoolSectionIds } from './school-records.js';

/** Written through the target's API and compared after the push. */
export const MIGRATED: EntityName[] = ['mark', 'attendance_record'];
/** Compared after the push too, though no target can be written them (see MigrationPlan.notWritable). */
export const FINALS: EntityName = 'final_mark';
export type Window = { from: string; to: string };

/** Marks and attendance of the school's lessons in each slice (by the lesson's date), as the source gave them. */
export async function schoolJournal(store: Store, schoolId: string, source: RunIdentity, slices: Window[]): Promise<CanonicalRecord[][]> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
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

/**
 * The school's final marks as the source gave them (quarter, half-year, year…), by the sections of the window's school
 * year: the target's read-back lists that year's classes only (a window before it is refused, migration-window.ts).
 * Last year's, kept in the store after a rollover, were listed to enter by hand and then missed for ever.
 */
export async function schoolFinalMarks(store: Store, schoolId: string, source: RunIdentity, window: Window): Promise<CanonicalRecord[]> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true, yearOf: window });
  const out: CanonicalRecord[] = [];
  for await (const r of store.iterate(FINALS, { status: 'active' })) {
    if (r.entity === 'final_mark' && sections.has(r.sectionId) && r.provenance.instance === source.instance) out.push(r);
  }
  return out;
}

/**
 * The school's lessons in each slice holding a homework text, as the source gave them: what a target that can be given
 * homework (`lessons.write`, Дневник.ру) is checked for after the push.
 */
export async function schoolHomework(store: Store, schoolId: string, source: RunIdentity, slices: Window[]): Promise<LessonRecord[][]> {
  const sections = await schoolSectionIds(store, schoolCanonicalId(schoolId), { active: true });
  const out: LessonRecord[][] = slices.map(() => []);
  for await (const l of store.iterate('lesson', { status: 'active' })) {
    const lesson = l as LessonRecord;
    if (!sections.has(lesson.sectionId) || lesson.provenance.instance !== source.instance || !lesson.homework?.text?.trim()) continue;
    const i = slices.findIndex((w) => lesson.date >= w.from && lesson.date <= w.to);
    if (i >= 0) out[i].push(lesson);
  }
  return out;
}
