// A roster snapshot's scope is school × year × entity (canonical-model.md §C.2). At a school-year rollover a platform
// lists the new year's terms, classes, groups and memberships and no longer the old year's: those are not missing, they
// belong to a year that is over. Counted as missing, they refused every night's deletes on 1 September (three quarters
// of the school "missing"), and an operator who accepted the number tombstoned last year's classes, sections, terms,
// subjects and enrollments — the old year's reports then came out empty, though its journal is kept for five years.
// Here: the records of the previous snapshot this read lacks that belong to a school year before the one this read
// lists leave the snapshot without a delete. People, staff roles and guardian links are not tied to a year: a pupil who
// left (a graduate) is missing as before.
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import type { SnapshotState } from './snapshot-deletes.js';

/** Entities whose records belong to one school year (their own `schoolYear`, or their year's session, or their group's). */
const OF_A_YEAR: readonly EntityName[] = ['academic_session', 'subject', 'homeroom_class', 'section', 'enrollment'];

/** The latest school year among the academic sessions of a read, if it has any. */
export function yearOfRead(records: readonly CanonicalRecord[]): number | undefined {
  let year: number | undefined;
  for (const r of records) {
    if (r.entity !== 'academic_session') continue;
    const y = (r as { schoolYear?: number }).schoolYear;
    if (typeof y === 'number' && (year === undefined || y > year)) year = y;
  }
  return year;
}

/**
 * Per entity, the platform ids of the previous snapshot that this read lacks and whose record belongs to a school year
 * before `year`. Only missing ids are looked up, so a night without a rollover costs nothing more.
 */
export async function pastYearMissing(
  store: Store, run: RunIdentity, previous: SnapshotState, present: ReadonlyMap<EntityName, ReadonlySet<string>>, year: number,
): Promise<Map<EntityName, Set<string>>> {
  const missing = new Map<EntityName, Map<string, string>>();
  for (const entity of OF_A_YEAR) {
    const now = present.get(entity);
    const gone = (previous.present[entity] ?? []).filter((sid) => !now?.has(sid));
    if (gone.length) missing.set(entity, new Map([...(await store.resolve(run.system, run.instance, entity, gone))].map(([sid, id]) => [id, sid])));
  }
  const out = new Map<EntityName, Set<string>>();
  if (missing.size === 0) return out;
  const records = await store.getMany([...missing.values()].flatMap((m) => [...m.keys()]));
  const yearOf = await yearResolver(store, [...records.values()]);
  for (const [entity, bySid] of missing) {
    for (const [id, sid] of bySid) {
      const r = records.get(id);
      const y = r ? yearOf(r) : undefined;
      if (y !== undefined && y < year) (out.get(entity) ?? out.set(entity, new Set()).get(entity)!).add(sid);
    }
  }
  return out;
}

/** A record's school year: its own, its year session's, or (an enrollment) its group's or class's. */
async function yearResolver(store: Store, records: readonly CanonicalRecord[]): Promise<(r: CanonicalRecord) => number | undefined> {
  const groups = await store.getMany([...new Set(records.flatMap((r) => (r.entity === 'enrollment' ? [(r as { sectionId: string }).sectionId] : [])))]);
  const sessionIds = [...records, ...groups.values()].flatMap((r) => {
    const y = (r as { academicYearId?: string }).academicYearId;
    return y ? [y] : [];
  });
  const sessions = await store.getMany([...new Set(sessionIds)]);
  const own = (r: CanonicalRecord | undefined): number | undefined => {
    if (!r) return undefined;
    const y = (r as { schoolYear?: number }).schoolYear;
    if (typeof y === 'number') return y;
    const session = (r as { academicYearId?: string }).academicYearId;
    return session ? (sessions.get(session) as { schoolYear?: number } | undefined)?.schoolYear : undefined;
  };
  return (r) => (r.entity === 'enrollment' ? own(groups.get((r as { sectionId: string }).sectionId)) : own(r));
}
