// Classes and sections a platform shows only through its pupils (ЭлЖур: a class with a pupil in `getrules`, a section
// in some pupil's diary). When the pupils who made one visible are all missing from a read, it is missing with them,
// not gone on its own: a subgroup whose only pupil leaves, or a pupil `getrules` leaves out of one answer (the glitch
// the two-miss rule is for). Before, such a section or class was deleted at once — at the pupils' first miss, while
// their memberships of it were still held — and a pupil back the next night found it tombstoned. Now it is missing
// twice with them: held while they are held, deleted at their second miss, together with their memberships.
import type { EntityName } from '../model/enums.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import type { SnapshotState } from './snapshot-deletes.js';

const SHOWN_BY_PUPILS: readonly EntityName[] = ['section', 'homeroom_class'];

/**
 * `entity|platformId` of the classes and sections missing from this read (in `before`, not in `present`) that had
 * pupils, none of whose memberships of them is present either: to be judged as missing twice (planSnapshotDeletes'
 * `missingTwiceAlso`). One with no membership stored, or with one still present, is judged as before.
 */
export async function missingWithTheirPupils(
  store: Store, run: RunIdentity, before: SnapshotState, present: ReadonlyMap<EntityName, ReadonlySet<string>>,
): Promise<Set<string>> {
  const out = new Set<string>();
  const enrolledNow = present.get('enrollment') ?? new Set<string>();
  for (const entity of SHOWN_BY_PUPILS) {
    const missing = (before.present[entity] ?? []).filter((sid) => !present.get(entity)?.has(sid));
    if (!missing.length) continue;
    const ids = await store.resolve(run.system, run.instance, entity, missing);
    const members = (await store.referencing('enrollment', 'sectionId', [...ids.values()]))
      .filter((e) => (e as { role?: string }).role === 'student');
    const memberSids = await store.sourceIdsFor(run.system, run.instance, 'enrollment', members.map((e) => e.id));
    const bySection = new Map<string, string[]>();
    for (const e of members) {
      const sid = memberSids.get(e.id);
      const section = (e as { sectionId: string }).sectionId;
      if (sid) (bySection.get(section) ?? bySection.set(section, []).get(section)!).push(sid);
    }
    for (const [sid, id] of ids) {
      const theirs = bySection.get(id) ?? [];
      if (theirs.length && theirs.every((m) => !enrolledNow.has(m))) out.add(`${entity}|${sid}`);
    }
  }
  return out;
}
