// What the rules need to judge one school's journal records: its roster and governance records from the store,
// next to the incoming records (R-07 needs the lesson, R-10 the class, R-17 enrollments, R-22 locks).
//
// Only that school's: a regional store holds hundreds of schools, and loading every school's roster for each
// school's sync made a night's work grow with the square of the region (a 1,000-pupil school has ~21,000 roster
// records). Region-wide records (subjects and work types of no organization, mark scales) come along whole: they
// are few.
import type { EntityName } from '../model/enums.js';
import { ENTITY_SCHEMAS, type CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

/** Records that carry the school's organizationId. */
const BY_ORGANIZATION: EntityName[] = ['academic_session', 'role_assignment', 'homeroom_class', 'subject', 'work_type', 'journal_lock'];
/** Of those, the ones that may carry none: region-wide (a regional default work type). */
const MAYBE_REGION_WIDE = BY_ORGANIZATION.filter((e) => {
  const shape = (ENTITY_SCHEMAS[e] as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
  return shape.organizationId.safeParse(undefined).success;
});

type ContextStore = Pick<Store, 'get' | 'getMany' | 'iterate' | 'referencing' | 'ofOrganization'>;

export async function loadRuleContext(store: ContextStore, organizationId: string): Promise<CanonicalRecord[]> {
  const out: CanonicalRecord[] = [];
  const school = await store.get(organizationId);
  if (school && school.status === 'active') out.push(school);
  const classIds: string[] = [];
  const people = new Set<string>();
  // The school's own through the organization index; the region-wide ones (few) by entity. Filtering each entity by
  // "this school or none" instead read every school's role assignments: 0.2–0.6 s a school in a 4-school store.
  const regionWide: CanonicalRecord[] = [];
  for (const entity of MAYBE_REGION_WIDE) {
    for await (const r of store.iterate(entity, { status: 'active' })) if ((r as { organizationId?: string }).organizationId === undefined) regionWide.push(r);
  }
  for (const r of [...await store.ofOrganization(organizationId, BY_ORGANIZATION), ...regionWide]) {
    out.push(r);
    const f = r as unknown as { personId?: string; classTeacherId?: string };
    if (r.entity === 'homeroom_class') classIds.push(r.id);
    if (f.personId) people.add(f.personId);
    if (f.classTeacherId) people.add(f.classTeacherId);
  }
  for await (const r of store.iterate('mark_scale', { status: 'active' })) out.push(r);
  const sections = await store.referencing('section', 'homeroomClassId', classIds);
  out.push(...sections);
  // An enrollment names a section or, for a class's pupils and class teacher, the homeroom class itself.
  for (const e of await store.referencing('enrollment', 'sectionId', [...classIds, ...sections.map((s) => s.id)])) {
    out.push(e);
    people.add((e as unknown as { personId: string }).personId);
  }
  for (const p of (await store.getMany([...people])).values()) if (p.status === 'active') out.push(p);
  // An unlock order names no organization: it is the school's when it names one of its sections or pupils, or was
  // issued by one of its staff (an order for the whole school names neither).
  const sectionIds = new Set([...classIds, ...sections.map((s) => s.id)]);
  for await (const o of store.iterate('unlock_order', { status: 'active' })) {
    const { issuedBy, scope } = o as unknown as { issuedBy: string; scope: { sectionIds: string[]; studentIds: string[] } };
    if (people.has(issuedBy) || scope.sectionIds.some((id) => sectionIds.has(id)) || scope.studentIds.some((id) => people.has(id))) out.push(o);
  }
  return out;
}
