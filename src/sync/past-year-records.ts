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
import { OF_A_YEAR, schoolYearOf, yearReferences } from './school-year-of.js';

/**
 * The school years a read is about: those of the year sessions its classes and groups belong to — not every session it
 * lists (ЭПОС lists next year's as soon as it is set up, while its groups are still this year's: taken by the latest
 * session listed, this year's real deletions were retired unseen, found by review). `latest` is undefined when the read
 * has no class or group.
 */
export async function yearsOfRead(store: Store, records: readonly CanonicalRecord[]): Promise<{ latest?: number; present: Set<number> }> {
  const sessionIds = new Set<string>();
  const inRead = new Map<string, CanonicalRecord>();
  for (const r of records) {
    if (r.entity === 'academic_session') inRead.set(r.id, r);
    else if (r.entity === 'homeroom_class' || r.entity === 'section') sessionIds.add((r as { academicYearId: string }).academicYearId);
  }
  const notInRead = [...sessionIds].filter((id) => !inRead.has(id));
  const stored = notInRead.length ? await store.getMany(notInRead) : new Map<string, CanonicalRecord>();
  const present = new Set<number>();
  for (const id of sessionIds) {
    const y = ((inRead.get(id) ?? stored.get(id)) as { schoolYear?: number } | undefined)?.schoolYear;
    if (typeof y === 'number') present.add(y);
  }
  return { ...(present.size ? { latest: Math.max(...present) } : {}), present };
}

/**
 * Per entity, the platform ids of the previous snapshot that this read lacks and whose record belongs to a school year
 * before the latest the read is about, and not one the read still has classes or groups of. Only missing ids are looked up, so a night without a rollover costs nothing more.
 */
export async function pastYearMissing(
  store: Store, run: RunIdentity, previous: SnapshotState, present: ReadonlyMap<EntityName, ReadonlySet<string>>, years: { latest: number; present: ReadonlySet<number> },
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
      // A year the read still has classes or groups of is not over here: what it lacks of that year is missing.
      if (y !== undefined && y < years.latest && !years.present.has(y)) (out.get(entity) ?? out.set(entity, new Set()).get(entity)!).add(sid);
    }
  }
  return out;
}

/** A record's school year (school-year-of.ts), its year sessions and its memberships' groups looked up once. */
async function yearResolver(store: Store, records: readonly CanonicalRecord[]): Promise<(r: CanonicalRecord) => number | undefined> {
  const refs = yearReferences(records);
  const groups = await store.getMany([...refs.groups]);
  const sessions = await store.getMany([...new Set([...refs.sessions, ...yearReferences(groups.values()).sessions])]);
  const get = (id: string) => sessions.get(id) ?? groups.get(id);
  return (r) => schoolYearOf(r, get);
}
