// What the rules need to judge journal records: the school's roster and governance records from the
// store, next to the incoming records (R-07 needs the lesson, R-10 the class, R-17 enrollments, R-22 locks).
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

const CONTEXT_ENTITIES: EntityName[] = [
  'organization', 'academic_session', 'person', 'role_assignment', 'homeroom_class', 'subject', 'section', 'enrollment',
  'work_type', 'mark_scale', 'journal_lock', 'unlock_order',
];

export async function loadRuleContext(store: Store): Promise<CanonicalRecord[]> {
  const out: CanonicalRecord[] = [];
  for (const entity of CONTEXT_ENTITIES) for await (const r of store.iterate(entity, { status: 'active' })) out.push(r);
  return out;
}
