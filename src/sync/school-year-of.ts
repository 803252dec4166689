// Which school year a roster record belongs to, one rule for every caller: a term, a year session and a subject carry
// their own `schoolYear`; a class and a group belong to their year session's; a membership to its group's (or class's,
// where a platform enrols pupils in the class itself). People, staff roles and guardian links belong to no year.
// Used by the past-year retirement of a rollover (past-year-records.ts) and by the links of platform ids kept across
// years (other-year-ids.ts): both must agree on what "the old year's record" is.
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';

/** Entities whose records belong to one school year (their own `schoolYear`, or their year's session, or their group's). */
export const OF_A_YEAR: readonly EntityName[] = ['academic_session', 'subject', 'homeroom_class', 'section', 'enrollment'];

/** A record's school year, looking the records it names up with `get`; undefined when not of a year or not known. */
export function schoolYearOf(r: CanonicalRecord | undefined, get: (id: string) => CanonicalRecord | undefined): number | undefined {
  if (!r) return undefined;
  const f = r as { schoolYear?: unknown; academicYearId?: unknown; sectionId?: unknown };
  if (typeof f.schoolYear === 'number') return f.schoolYear;
  if (typeof f.academicYearId === 'string') {
    const y = (get(f.academicYearId) as { schoolYear?: unknown } | undefined)?.schoolYear;
    return typeof y === 'number' ? y : undefined;
  }
  // A membership: its group's year (a group never points at a membership, so this recursion stops one level down).
  if (r.entity === 'enrollment' && typeof f.sectionId === 'string') {
    const group = get(f.sectionId);
    return group && group.entity !== 'enrollment' ? schoolYearOf(group, get) : undefined;
  }
  return undefined;
}

/** The ids `records` name that {@link schoolYearOf} may look up: their year sessions and their memberships' groups. */
export function yearReferences(records: Iterable<CanonicalRecord>): { sessions: Set<string>; groups: Set<string> } {
  const sessions = new Set<string>();
  const groups = new Set<string>();
  for (const r of records) {
    const f = r as { academicYearId?: unknown; sectionId?: unknown };
    if (typeof f.academicYearId === 'string') sessions.add(f.academicYearId);
    if (r.entity === 'enrollment' && typeof f.sectionId === 'string') groups.add(f.sectionId);
  }
  return { sessions, groups };
}
