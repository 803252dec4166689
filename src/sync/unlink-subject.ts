// Undoing a subject a platform brought in on its own because it names it differently from the system of record
// (docs/sync.md "Subjects named differently"). Its links are open crosswalk rows, which are never re-pointed: an alias
// set after them changes nothing. Unlinking closes that platform's rows for the subject and everything hanging on it
// (its sections, their lessons, and the journal records of those lessons), and tombstones what that platform alone
// created, so the next roster and journal sync match them again — with the alias, onto the system of record's.
// Records of the system of record (or of any other platform) are never touched.
import { normaliseName } from '../model/identity.js';
import type { CanonicalRecord } from '../model/index.js';
import type { EntityName } from '../model/enums.js';
import { sourceKeyOf, type Store } from '../store/index.js';
import { UsageError } from '../infra/operator-errors.js';

export interface UnlinkSubjectInput {
  store: Store;
  /** The platform instance whose own subject is unlinked, as the configuration names it. */
  system: string;
  instance: string;
  /** The subject's title as that platform gives it (the roster summary's `unmatchedSubjects`). */
  title: string;
  /** The school's canonical organization id: only its subjects are looked at. */
  organizationId: string;
  runId: string;
}

export interface UnlinkSubjectResult {
  subjects: number;
  /** Platform ids whose crosswalk rows were closed, per entity. */
  unlinked: Partial<Record<EntityName, number>>;
  /** Records that platform alone had created, now tombstones, per entity. */
  retired: Partial<Record<EntityName, number>>;
}

/** Journal entities that hang on a lesson (by `lessonId`) or a section (final marks, by `sectionId`). */
const ON_LESSON: EntityName[] = ['work', 'mark', 'attendance_record'];

export async function unlinkSubject(input: UnlinkSubjectInput): Promise<UnlinkSubjectResult> {
  const { store, system, instance } = input;
  const wanted = normaliseName(input.title);
  const subjects: CanonicalRecord[] = [];
  for await (const s of store.iterate('subject', { status: 'active' })) {
    if (s.entity === 'subject' && s.organizationId === input.organizationId && normaliseName(s.title) === wanted && s.provenance.instance === instance) subjects.push(s);
  }
  if (subjects.length === 0) {
    throw new UsageError(`no subject «${input.title}» that ${instance} brought in on its own in this school (a subject the system of record holds is never unlinked; the roster summary's unmatchedSubjects lists the titles)`);
  }
  const ids = new Set(subjects.map((s) => s.id));
  const sections = await collect(store, 'section', (r) => ids.has((r as { subjectId: string }).subjectId));
  const sectionIds = new Set(sections.map((s) => s.id));
  const lessons = await collect(store, 'lesson', (r) => sectionIds.has((r as { sectionId: string }).sectionId));
  const lessonIds = new Set(lessons.map((l) => l.id));
  const hanging: CanonicalRecord[] = [];
  for (const entity of ON_LESSON) hanging.push(...await collect(store, entity, (r) => lessonIds.has((r as { lessonId: string }).lessonId)));
  hanging.push(...await collect(store, 'final_mark', (r) => sectionIds.has((r as { sectionId: string }).sectionId)));

  const result: UnlinkSubjectResult = { subjects: subjects.length, unlinked: {}, retired: {} };
  const at = new Date().toISOString();
  // Leaves first, so no moment has a lesson unlinked while its marks still point at it through the crosswalk.
  for (const group of [hanging, lessons, sections, subjects]) {
    // One look-up and one close per group (batched by the store), not two queries per record of a whole subject.
    const open = await store.openCrosswalkFor(group.map((r) => r.id));
    const closing = group.flatMap((r) => (open.get(r.id) ?? []).filter((x) => x.system === system && x.instance === instance));
    await store.closeCrosswalkMany(closing.map(sourceKeyOf), { at });
    for (const r of group) {
      for (const row of open.get(r.id) ?? []) {
        if (row.system === system && row.instance === instance) result.unlinked[r.entity] = (result.unlinked[r.entity] ?? 0) + 1;
      }
    }
    // What only this platform created goes; what the system of record (or another platform) holds stays as it is.
    const own = new Map<EntityName, string[]>();
    for (const r of group) if (r.provenance.instance === instance) (own.get(r.entity) ?? own.set(r.entity, []).get(r.entity)!).push(r.id);
    for (const [entity, list] of own) {
      result.retired[entity] = (result.retired[entity] ?? 0) + await store.deleteMany(entity, list, { reason: 'merged', evidence: `subject unlinked from ${instance}`, runId: input.runId });
    }
  }
  return result;
}

async function collect(store: Store, entity: EntityName, keep: (r: CanonicalRecord) => boolean): Promise<CanonicalRecord[]> {
  const out: CanonicalRecord[] = [];
  for await (const r of store.iterate(entity, { status: 'active' })) if (keep(r)) out.push(r);
  return out;
}
