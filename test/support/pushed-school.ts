// The grade-push unit tests' school: a synthetic school's journal in an in-memory store as its system of record's,
// pupils and lessons (and sections, for a homework) linked on one target instance `target`, and a record written again
// with fields changed (a new version, as merged-teacher.ts writes one).
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { buildRecord, businessFields, type CanonicalRecord, type SourceSystem } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 1 });
const dsSchool = school.records.find((r) => r.entity === 'organization' && (r as { type?: string }).type === 'school')!.id;
export const S1 = schoolCanonicalId('s1');
export const records = (school.records as CanonicalRecord[])
  .filter((r) => r.entity !== 'journal_lock' && r.entity !== 'unlock_order')
  .map((r) => ((r as { organizationId?: string }).organizationId === dsSchool ? { ...r, organizationId: S1 } : r)) as CanonicalRecord[];
/** The system of record's provenance. */
export const source = records.find((r) => r.entity === 'mark')!.provenance;
/** Another teacher of the school: the one a merge would stamp a record with. */
export const teacher = (records.find((r) => r.entity === 'role_assignment' && (r as { role: string }).role === 'deputy_academic') as CanonicalRecord & { personId: string }).personId;

/** The school's journal in a store, its pupils, lessons and sections linked on `system`'s instance `target`. */
export async function linkedSchool(system: SourceSystem): Promise<CanonicalStore> {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
  await store.upsertMany(records, { runId: 'load' });
  const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson' || r.entity === 'section');
  await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system, instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
  return store;
}

/** The stored record written again with `fields` changed: a new version. */
export async function change(store: CanonicalStore, id: string, fields: Record<string, unknown>): Promise<number> {
  const r = (await store.get(id))!;
  await store.upsertMany([buildRecord(r.entity, { ...businessFields(r), ...fields } as never, { id: r.id, status: r.status, sourceRefs: r.sourceRefs, provenance: r.provenance })], { runId: 'change' });
  return (await store.get(id))!.version;
}
