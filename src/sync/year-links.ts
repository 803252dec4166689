// The platform ids of one school year's classes, sections and terms, as the crosswalk links them (ReadScope.yearLinks).
// A platform that lists only the current year's groups (Дневник.ру: `schools/{id}/edu-groups` takes no year in any
// public source) still answers last year's groups by id, and the gateway read and linked those ids last year: the
// store is where the autumn re-read of last year's final marks finds them, instead of a year parameter guessed at.
// Open links only: an id a platform kept into the new year (5А's group is now 6А's, other-year-ids.ts) was re-linked
// to the new year's record, and its answers are now the new year's — it is not asked for last year's. Such ids are
// handed on apart (`keptLater`), so that the read says which of that year's ids it did not ask for: before, they were
// left out with no word, and a read of last year could read a few graduates' classes and count as done.
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
  // Every year's classes and sections are here: a kept id's record of the later year is found among them too.
  const byId = new Map<string, CanonicalRecord>([...own, ...sections].map((r) => [r.id, r]));
  const yearOf = (r: CanonicalRecord | undefined) => schoolYearOf(r, (id) => byId.get(id));
  const ofYear = (entity: keyof YearLinks) => [...own, ...sections].filter((r) => r.entity === entity && yearOf(r) === schoolYear);
  const opened = new Map<string, ReadonlyMap<string, string>>();
  const linked = async (entity: 'homeroom_class' | 'section' | 'academic_session') => {
    const ids = ofYear(entity).map((r) => r.id);
    const open = ids.length ? await store.sourceIdsFor(run.system, run.instance, entity, ids) : new Map<string, string>();
    opened.set(entity, open);
    return [...open.values()].sort();
  };
  /**
   * The year's records with no open link on this instance whose platform id — the one a closed crosswalk row of this
   * instance names — is linked now to a later year's record: the ids the platform kept into that year. From the
   * crosswalk, not the records' source refs: a platform the school pushes to links the system of record's records
   * without being written into them, so its ids are in the crosswalk only (review finding).
   */
  const kept = async (entity: 'homeroom_class' | 'section') => {
    const open = opened.get(entity)!;
    const unlinked = ofYear(entity).filter((r) => !open.has(r.id)).map((r) => r.id);
    if (unlinked.length === 0) return [];
    const refs = [...(await store.everyCrosswalkFor(unlinked)).values()].flat()
      .filter((c) => c.system === run.system && c.instance === run.instance && c.entity === entity)
      .map((c) => ({ id: c.canonicalId, sourceId: c.sourceId }));
    if (refs.length === 0) return [];
    const now = await store.resolve(run.system, run.instance, entity, [...new Set(refs.map((s) => s.sourceId))]);
    return [...new Set(refs.filter((s) => {
      const to = now.get(s.sourceId);
      return to !== undefined && to !== s.id && (yearOf(byId.get(to)) ?? 0) > schoolYear;
    }).map((s) => s.sourceId))].sort();
  };
  const links = { homeroom_class: await linked('homeroom_class'), section: await linked('section'), academic_session: await linked('academic_session') };
  const keptLater = { homeroom_class: await kept('homeroom_class'), section: await kept('section') };
  return { ...links, ...(keptLater.homeroom_class.length || keptLater.section.length ? { keptLater } : {}) };
}

