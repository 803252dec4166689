// Which persons a school's roster snapshot may delete: split out of roster-sync.ts (one concern per module).
import type { Store } from '../store/index.js';

/**
 * Of the persons this school's snapshot no longer lists, those with no role at any other school: a person is one
 * record for every school, and a pupil who moved to another school (on this platform or another) is present there —
 * this school's snapshot deletes only their role and memberships here.
 */
export async function notElsewhere(store: Store, personIds: readonly string[], organizationId: string): Promise<string[]> {
  if (personIds.length === 0) return [];
  const elsewhere = new Set<string>();
  for (const ra of await store.referencing('role_assignment', 'personId', personIds)) {
    const f = ra as { personId?: string; organizationId?: string };
    if (f.personId && f.organizationId && f.organizationId !== organizationId) elsewhere.add(f.personId);
  }
  return personIds.filter((id) => !elsewhere.has(id));
}
