// Staff on a platform that lists none (ЭлЖур: teachers are known only by the lessons its diaries show). A roster read
// of such a platform is a full snapshot of its pupils but not of its staff: a teacher with no lesson in the days read
// — every teacher on 1 September, when the new year's diaries hold a day or two — is not gone. Taken as missing, they
// were deleted by absence at their second miss, and the old years' lessons named a deleted person. Such staff stay in
// the snapshot as present (never missing, never deleted by absence); pupils and everything else are judged as before.
import type { EntityName } from '../model/enums.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import type { SnapshotState } from './snapshot-deletes.js';

/**
 * Adds to `present` the staff roles and staff-only persons of the previous snapshot that this read did not show.
 * Returns how many platform ids were kept so. A person with any role that is not staff (a pupil) is judged as usual.
 */
export async function keepUnlistedStaff(
  store: Store, run: RunIdentity, before: SnapshotState, present: Map<EntityName, Set<string>>,
): Promise<number> {
  const seen = (entity: EntityName) => present.get(entity) ?? present.set(entity, new Set()).get(entity)!;
  const missing = (entity: EntityName) => (before.present[entity] ?? []).filter((id) => !seen(entity).has(id));
  const roles = missing('role_assignment');
  const people = missing('person');
  if (!roles.length) return 0;
  const roleIds = await store.resolve(run.system, run.instance, 'role_assignment', roles);
  const roleRecords = await store.getMany([...roleIds.values()]);
  const staffPersons = new Set<string>();
  let kept = 0;
  for (const [sourceId, id] of roleIds) {
    const r = roleRecords.get(id) as { role?: string; personId?: string } | undefined;
    if (!r?.personId || r.role === 'student') continue;
    seen('role_assignment').add(sourceId);
    staffPersons.add(r.personId);
    kept++;
  }
  // A person who is also a pupil somewhere in the store is left to the usual rule (their student role decides).
  const personIds = await store.resolve(run.system, run.instance, 'person', people);
  const pupils = new Set((await store.referencing('role_assignment', 'personId', [...personIds.values()].filter((p) => staffPersons.has(p))))
    .filter((r) => (r as { role?: string }).role === 'student').map((r) => (r as { personId: string }).personId));
  for (const [sourceId, id] of personIds) {
    if (!staffPersons.has(id) || pupils.has(id)) continue;
    seen('person').add(sourceId);
    kept++;
  }
  return kept;
}
