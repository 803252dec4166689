// A platform id kept across school years (docs/sync.md "Deletes"): a platform that keeps a class's id when 5А becomes
// 6А, or a subject's catalog id from one year to the next. The canonical classes, subjects, groups and terms are of one
// school year (their natural keys hold it), but the id such a read maps to — the crosswalk's stored link of the
// platform id, or the platform-scoped id a mapper falls back on, which is the same for the same platform id — names
// last year's record. Taken as it was, the new year's content was written over the old year's record: the old year's
// archive then had one class journal where it had eleven, and its subjects moved to the new year (on the emulator with
// kept subject ids, the first September run kept 866 old-year records instead of 888). Here such a record is given a
// record of its own year instead: the one another platform already brought in under the same natural key, else a new
// id scoped by the platform id and the year. The old year's record is left as it is — not rewritten, not tombstoned,
// not missing (the platform id is present, only linked elsewhere) — and is still found by its canonical id; the
// platform id's link to it is closed so that the id can be linked to the new year's record.
import type { EntityName } from '../model/enums.js';
import { naturalId } from '../model/ids.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import { OF_A_YEAR, schoolYearOf, yearReferences } from './school-year-of.js';

/** A record of this read whose id names a stored record of another school year. */
export interface OtherYearId {
  entity: EntityName;
  sourceId: string;
  /** The id the read mapped it to: the other year's record, left as it is. */
  was: string;
  /** The school year the read has it in. */
  year: number;
  /** The id for this year's record when no stored record of this year has its natural key. */
  fresh: string;
  /** Whether the crosswalk's open link of the platform id points at `was` (closed before this year's is opened). */
  linked: boolean;
}

/**
 * The id of a year-scoped record known by a platform id another school year's record already took: deterministic, so
 * a run retried after a failure gives the same id, and distinct from the platform-scoped id of earlier years.
 */
export const yearScopedId = (run: Pick<RunIdentity, 'system' | 'instance'>, entity: string, sourceId: string, schoolYear: number) =>
  naturalId('source', run.system, run.instance, entity, sourceId, 'school_year', schoolYear);

/**
 * Of the year-scoped records of a read (mapped with the crosswalk's answers), those whose id names a stored record of
 * another school year; keyed by that id, which is what the read's other records reference them by.
 */
export async function idsOfAnotherYear(
  store: Store, run: RunIdentity, incoming: readonly CanonicalRecord[], crosswalk: ReadonlyMap<string, string>,
): Promise<Map<string, OtherYearId>> {
  const out = new Map<string, OtherYearId>();
  const scoped = new Set<string>(OF_A_YEAR);
  const mine = incoming.filter((r) => scoped.has(r.entity));
  if (mine.length === 0) return out;
  const stored = await store.getMany([...new Set(mine.map((r) => r.id))]);
  if (stored.size === 0) return out;
  // The read's own records answer first: a term or a group the platform also kept comes with this year's content.
  const inRead = new Map(incoming.map((r) => [r.id, r]));
  const groupsRefs = yearReferences([...mine, ...stored.values()]);
  const groups = await store.getMany([...groupsRefs.groups].filter((id) => !stored.has(id)));
  const storedGroups = new Map([...stored, ...groups]);
  const sessions = await store.getMany([...new Set([...groupsRefs.sessions, ...yearReferences(groups.values()).sessions])].filter((id) => !stored.has(id)));
  const storedGet = (id: string) => storedGroups.get(id) ?? sessions.get(id);
  const readGet = (id: string) => inRead.get(id) ?? storedGet(id);
  for (const r of mine) {
    const old = stored.get(r.id);
    if (!old || old.entity !== r.entity || out.has(r.id)) continue;
    const ref = r.sourceRefs.find((s) => s.system === run.system && s.instance === run.instance);
    if (!ref) continue;
    const now = schoolYearOf(r, readGet);
    const then = schoolYearOf(old, storedGet);
    if (now === undefined || then === undefined || now === then) continue;
    out.set(r.id, {
      entity: r.entity, sourceId: ref.sourceId, was: r.id, year: now, fresh: yearScopedId(run, r.entity, ref.sourceId, now),
      linked: crosswalk.get(`${r.entity}|${ref.sourceId}`) === r.id,
    });
  }
  return out;
}

/**
 * Closes the platform ids' links to the other year's records (before the read's upserts and links, like a key change):
 * the crosswalk keeps the closed row, so what the id stood for last year stays on record. Returns how many were closed.
 */
export async function closeOtherYearLinks(store: Store, run: RunIdentity, found: ReadonlyMap<string, OtherYearId>): Promise<number> {
  const at = new Date().toISOString();
  // In one statement (not one per id): at a rollover a platform that keeps its ids keeps them for every class and subject.
  const linked = [...found.values()].filter((o) => o.linked);
  const closed = await store.closeCrosswalkMany(linked.map((o) => ({ system: run.system, instance: run.instance, entity: o.entity, sourceId: o.sourceId })), { at });
  return closed.length;
}
