// A store as year-links.ts sees it, for a school whose last year (2025/26) had classes `k26a` (Дневник.ру id 501) and
// `k26b` (502), and whose current year (2026/27) has `k27` and `k27b` under the same Дневник.ру ids: the platform kept them.
// `kept` names the ids the roster sync of this year re-linked to this year's class (other-year-ids.ts): last year's
// link is closed; a class of last year whose id was not kept keeps its open link. The records carry no Дневник.ру
// source ref, as where Дневник.ру is a push target: its ids are in the crosswalk only. Only what yearLinks asks for:
// a fake, not a store.
import type { CanonicalRecord } from '../../src/model/index.js';
import type { Store } from '../../src/store/index.js';

const KEPT_IDS_ORG = 'org-1';
const term = (id: string, schoolYear: number, startDate: string) =>
  ({ id, entity: 'academic_session', status: 'active', schoolYear, startDate, endDate: `${schoolYear}-05-31`, organizationId: KEPT_IDS_ORG }) as unknown as CanonicalRecord;
/** A class of the year `academicYearId`, of the system of record (no Дневник.ру source ref). */
const homeroom = (id: string, academicYearId: string) =>
  ({ id, entity: 'homeroom_class', status: 'active', academicYearId, organizationId: KEPT_IDS_ORG, sourceRefs: [{ system: 'epos', instance: 'ep', sourceId: id }] }) as unknown as CanonicalRecord;

export function keptClassIdsStore(kept: readonly string[]): Pick<Store, 'ofOrganization' | 'referencing' | 'sourceIdsFor' | 'resolve' | 'everyCrosswalkFor'> {
  const records = [term('y26', 2026, '2025-09-01'), term('y27', 2027, '2026-09-01'),
    homeroom('k26a', 'y26'), homeroom('k26b', 'y26'), homeroom('k27', 'y27'), homeroom('k27b', 'y27')];
  const open = new Map<string, string>([['y26', 't26'], ['y27', 't27']]);
  const closed = new Map<string, string>();
  for (const [old, now, id] of [['k26a', 'k27', '501'], ['k26b', 'k27b', '502']]) {
    open.set(kept.includes(id) ? now : old, id);
    if (kept.includes(id)) closed.set(old, id);
  }
  const row = (canonicalId: string, sourceId: string, validTo: string | null) =>
    ({ entity: 'homeroom_class', canonicalId, system: 'dnevnik_ru', instance: 'dn', sourceId, validTo });
  return {
    ofOrganization: async () => records,
    referencing: async () => [],
    sourceIdsFor: async (_s: string, _i: string, _e: string, ids: readonly string[]) => new Map(ids.flatMap((id) => (open.has(id) ? [[id, open.get(id)!] as const] : []))),
    resolve: async (_s: string, _i: string, _e: string, ids: readonly string[]) => new Map([...open].filter(([, sid]) => ids.includes(sid)).map(([cid, sid]) => [sid, cid])),
    everyCrosswalkFor: async (ids: readonly string[]) => new Map(ids.map((id) => [id, [
      ...(closed.has(id) ? [row(id, closed.get(id)!, '2026-09-01T00:00:00Z')] : []), ...(open.has(id) ? [row(id, open.get(id)!, null)] : []),
    ]])),
  } as unknown as Pick<Store, 'ofOrganization' | 'referencing' | 'sourceIdsFor' | 'resolve' | 'everyCrosswalkFor'>;
}
