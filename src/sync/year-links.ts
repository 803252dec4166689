// The platform ids of one school year's classes, sections and terms, as the crosswalk links them (ReadScope.yearLinks).
// A platform that lists only the current year's groups (Дневник.ру: `schools/{id}/edu-groups` takes no year in any
// public source) still answers last year's groups by id, and the gateway read and linked those ids last year: the
// store is where the autumn re-read of last year's final marks finds them, instead of a year parameter guessed at.
// Open links only: an id a platform kept into the new year (5А's group is now 6А's, other-year-ids.ts) was re-linked
// to the new year's record, and its answers are now the new year's — it is not asked for last year's marks.
import type { YearLinks } from '../connectors/contract.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import { schoolYearOf } from './school-year-of.js';

/** `schoolYear`: the year a school year ends in (2026 = 2025/2026), as `academic_session.schoolYear` holds it. */
export async function yearLinks(store: Store, run: Pick<RunIdentity, 'system' | 'instance'>, organizationId: string, schoolYear: number): Promise<YearLinks> {
  const own = await store.ofOrganization(organizationId, ['academic_session', 'homeroom_class']);
  const classIds = own.filter((r) => r.entity === 'homeroom_class').map((r) => r.id);
  const sections = classIds.length ? await store.referencing('section', 'homeroomClassId', classIds) : [];
  const byId = new Map<string, CanonicalRecord>(own.map((r) => [r.id, r]));
  const ofYear = (entity: keyof YearLinks) => [...own, ...sections].filter((r) => r.entity === entity && schoolYearOf(r, (id) => byId.get(id)) === schoolYear).map((r) => r.id);
  const linked = async (entity: keyof YearLinks) => {
    const ids = ofYear(entity);
    return ids.length ? [...(await store.sourceIdsFor(run.system, run.instance, entity, ids)).values()].sort() : [];
  };
  return { homeroom_class: await linked('homeroom_class'), section: await linked('section'), academic_session: await linked('academic_session') };
}
