// Pupils who left and came back. The system of record tombstones a pupil missing twice (snapshot-deletes.ts); when
// the pupil returns — months later, and a platform such as ЭПОС gives a returning pupil a new profile id — the
// composite tier looked among active persons only, so the pupil became a new person: their earlier marks, final marks
// and parents' confirmed links stayed on the tombstone, and a push target still linked to the tombstone never got the
// new record's marks (nothing proposed linking them). Such a tombstone is found by name, birth date and school like a
// live pupil, and the usual key-change rules apply (held until the old id is missing a second time, twins): the
// system of record's write then restores the record (`restored` in the summary).
import type { PersonRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { PersonIndex } from './person-index.js';

/**
 * Adds to `index`, for the composite tier only, the persons with a birth date tombstoned as missing from this school's
 * snapshot (`snapshot_absent`, not merged away) who had a role at the school. Only for the system of record's read:
 * another platform does not bring back a person the system of record deleted.
 */
export async function addFormerPupils(store: Store, index: PersonIndex, schoolId: string): Promise<void> {
  const people = new Set<string>();
  for await (const r of store.iterate('role_assignment', { status: 'deleted', organizationId: schoolId })) {
    if (r.entity === 'role_assignment' && r.organizationId === schoolId) people.add(r.personId);
  }
  if (people.size === 0) return;
  for (const p of (await store.getMany([...people])).values()) {
    const former = p as PersonRecord & { deleteReason?: string | null };
    if (former.entity === 'person' && former.status === 'deleted' && former.deleteReason === 'snapshot_absent' && former.birthDate) index.addFormer(former, schoolId);
  }
}
