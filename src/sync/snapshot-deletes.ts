// Deletes inferred from full snapshots of a declared scope (canonical-model.md §C.2 item 4): a record
// linked last time and absent now. Guards: a change threshold (default 10%) for the whole scope and for each entity
// of it (school × year × entity: an empty subject list must not take every subject while the rest reads well), the
// "missing twice in a row" rule for persons and memberships, and never for partial reads. A real large change
// (a school-year rollover, a school closing a building) passes the threshold only when an operator accepts the exact
// number of missing records the refused run reported (`sync roster --accept-deletes N`): a count that differs — the
// platform answered something else this time — is refused again.
import type { EntityName } from '../model/enums.js';

/** Entities deleted only after being missing in two consecutive snapshots. */
export const MISSING_TWICE: ReadonlySet<EntityName> = new Set(['person', 'enrollment', 'role_assignment', 'guardian_link']);

export interface SnapshotState {
  /** Platform ids present in the last complete snapshot, per entity. */
  present: Partial<Record<EntityName, string[]>>;
  /** `entity|platformId` → consecutive snapshots it has been missing from. */
  misses: Record<string, number>;
  /** `entity|platformId` → when it was first found missing (ISO): a second miss counts only some hours later. */
  missedAt?: Record<string, string>;
  /**
   * `entity|platformId` of records whose absence an operator accepted and that are still kept (missing once): the
   * scheduled run that deletes them at their second miss does not count them toward the threshold again.
   */
  accepted?: string[];
}

export interface DeletePlan {
  /** To tombstone now, per entity (platform ids). */
  deletes: Map<EntityName, string[]>;
  /** Missing for the first time (kept; deleted if still missing next run). */
  missingOnce: number;
  /** Set when the threshold refused every delete of this run. */
  refused?: string;
  /** When the threshold refused the run: the number an operator passes to accept these deletes. */
  toAccept?: number;
  next: SnapshotState;
}

export interface SnapshotDeleteOptions {
  /** Why this read is not a full snapshot (a page or record quarantined): nothing is deleted or counted missing. */
  partial?: string;
  /** The operator accepts this many missing records above the threshold (the number a refused run reported). */
  acceptMissing?: number;
  /**
   * A second miss counts only this long after the first (`sync.secondMissAfterHours`): two reads minutes apart — the
   * scheduled run and an operator's, or a retried job — are one observation of the platform, not two.
   */
  secondMissAfterMs?: number;
  /** The time of this read (default: now). */
  now?: Date;
  /**
   * `entity|platformId` of further records judged as missing twice (MISSING_TWICE) on this read: a class or section
   * the platform shows only through pupils who are all missing now (structure-with-pupils.ts).
   */
  missingTwiceAlso?: ReadonlySet<string>;
}

/**
 * The state a run that deletes nothing leaves behind (a refused or a partial read): the previous snapshot, with what
 * is present now added and the miss count of every record present now cleared — "missing twice" means twice in a
 * row, and a record seen again has not been missing.
 */
function carried(previous: SnapshotState | null, current: Map<EntityName, Set<string>>): SnapshotState {
  const present: SnapshotState['present'] = {};
  for (const [e, ids] of Object.entries(previous?.present ?? {}) as [EntityName, string[]][]) present[e] = [...new Set([...ids, ...(current.get(e) ?? [])])];
  for (const [e, ids] of current) present[e] ??= [...ids];
  const stillMissing = ([key]: [string, unknown]) => {
    const bar = key.indexOf('|');
    return !current.get(key.slice(0, bar) as EntityName)?.has(key.slice(bar + 1));
  };
  const misses = Object.fromEntries(Object.entries(previous?.misses ?? {}).filter(stillMissing));
  const missedAt = Object.fromEntries(Object.entries(previous?.missedAt ?? {}).filter(stillMissing));
  const accepted = (previous?.accepted ?? []).filter((k) => stillMissing([k, 0]));
  return { present, misses, ...(Object.keys(missedAt).length ? { missedAt } : {}), ...(accepted.length ? { accepted } : {}) };
}

/**
 * One entity over the threshold on its own: more than the threshold's share of its records and at least
 * {@link ENTITY_MIN_MISSING} of them, or every one of them. A single class or subject going in a small school passes.
 */
function entityOverThreshold(c: { scope: number; missing: number }, threshold: number): boolean {
  if (c.missing === 0) return false;
  return c.missing === c.scope || (c.missing >= ENTITY_MIN_MISSING && c.missing / c.scope > threshold);
}
const ENTITY_MIN_MISSING = 3;

export function planSnapshotDeletes(
  previous: SnapshotState | null,
  current: Map<EntityName, Set<string>>,
  threshold: number,
  opts: SnapshotDeleteOptions = {},
): DeletePlan {
  // A read that did not take in everything the platform sent (a page or a record quarantined) is not a full
  // snapshot: what it lacks is not known to be gone, so nothing is deleted or counted as missing.
  if (opts.partial) return { deletes: new Map(), missingOnce: 0, refused: `partial read (${opts.partial}): no deletes this run`, next: carried(previous, current) };
  const next: SnapshotState = { present: {}, misses: {} };
  const missedAt: Record<string, string> = {};
  for (const [e, ids] of current) next.present[e] = [...ids];
  const readAt = opts.now ?? new Date();
  const deletes = new Map<EntityName, string[]>();
  let missingOnce = 0;
  let scope = 0;
  let toDelete = 0;
  // Missing records an operator accepted at an earlier run: they go at their second miss without a second acceptance.
  const acceptedBefore = new Set(previous?.accepted ?? []);
  const keptAccepted: string[] = [];
  const keptNow: string[] = [];
  let alreadyAccepted = 0;
  /** Per entity: its records last time, and how many of them count as missing now. */
  const perEntity = new Map<EntityName, { scope: number; missing: number }>();
  if (previous) {
    for (const [entity, ids] of Object.entries(previous.present) as [EntityName, string[]][]) {
      const now = current.get(entity) ?? new Set<string>();
      scope += ids.length;
      const counted = { scope: ids.length, missing: 0 };
      perEntity.set(entity, counted);
      for (const sid of ids) {
        if (now.has(sid)) continue;
        const key = `${entity}|${sid}`;
        if (!acceptedBefore.has(key)) counted.missing++;
        const firstMissed = previous.missedAt?.[key];
        // Missing again within the gap is the same observation: still missing once (a state stored before the
        // gap existed has no time and counts as before).
        const tooSoon = !!opts.secondMissAfterMs && !!firstMissed && readAt.getTime() - Date.parse(firstMissed) < opts.secondMissAfterMs;
        const misses = tooSoon ? (previous.misses[key] ?? 1) : (previous.misses[key] ?? 0) + 1;
        if (acceptedBefore.has(key)) alreadyAccepted++;
        if ((MISSING_TWICE.has(entity) || opts.missingTwiceAlso?.has(key)) && misses < 2) {
          next.misses[key] = misses;
          missedAt[key] = firstMissed ?? readAt.toISOString();
          // Still "present" for the next comparison, so a second miss is recognised.
          (next.present[entity] ??= []).push(sid);
          missingOnce++;
          (acceptedBefore.has(key) ? keptAccepted : keptNow).push(key);
          continue;
        }
        deletes.set(entity, [...(deletes.get(entity) ?? []), sid]);
        toDelete++;
      }
    }
  }
  // The threshold counts everything missing — deleted now or missing for the first time — so an empty or
  // truncated answer (an error page, a school year not set up yet) is refused, not half-applied. What an operator
  // accepted earlier is not counted twice.
  const missing = toDelete + missingOnce - alreadyAccepted;
  const entityOver = [...perEntity].find(([, c]) => entityOverThreshold(c, threshold));
  const overThreshold = (scope > 0 && missing / scope > threshold) || entityOver !== undefined;
  const acceptedNow = overThreshold && opts.acceptMissing === missing;
  if (overThreshold && !acceptedNow) {
    // The records stay, and next run compares against the old snapshot again.
    const share = scope > 0 && missing / scope > threshold
      ? `${missing} of ${scope} records of the scope are missing (${Math.round((missing / scope) * 100)}% > ${Math.round(threshold * 100)}%)`
      : `${entityOver![1].missing} of ${entityOver![1].scope} ${entityOver![0]} records are missing (${Math.round((entityOver![1].missing / entityOver![1].scope) * 100)}% > ${Math.round(threshold * 100)}% of that entity; ${missing} of ${scope} records of the scope in all)`;
    // Which records, so an operator sees what accepting would delete (at a rollover: the pupils who left and their parents).
    const which = [...perEntity].filter(([, c]) => c.missing > 0).map(([e, c]) => `${e} ${c.missing}`).join(', ');
    const said = `${share}: ${which}`;
    const refused = opts.acceptMissing === undefined ? said : `${said}; --accept-deletes ${opts.acceptMissing} does not match ${missing}, so nothing was deleted`;
    return { deletes: new Map(), missingOnce: 0, refused, toAccept: missing, next: carried(previous, current) };
  }
  const accepted = [...keptAccepted, ...(acceptedNow ? keptNow : [])];
  if (accepted.length) next.accepted = accepted;
  if (Object.keys(missedAt).length) next.missedAt = missedAt;
  return { deletes, missingOnce, next };
}

/**
 * The previous snapshot without `retired` (per entity, platform ids): records that left the scope without being
 * deleted — a school year that is over (past-year-records.ts). They are neither compared nor counted from now on.
 */
export function withoutRetired(previous: SnapshotState, retired: ReadonlyMap<EntityName, ReadonlySet<string>>): SnapshotState {
  if (retired.size === 0) return previous;
  const gone = (key: string) => {
    const bar = key.indexOf('|');
    return retired.get(key.slice(0, bar) as EntityName)?.has(key.slice(bar + 1)) ?? false;
  };
  const present: SnapshotState['present'] = {};
  for (const [e, ids] of Object.entries(previous.present) as [EntityName, string[]][]) {
    const out = retired.get(e);
    present[e] = out ? ids.filter((sid) => !out.has(sid)) : ids;
  }
  const keep = <V>(m: Record<string, V> | undefined) => (m ? Object.fromEntries(Object.entries(m).filter(([k]) => !gone(k))) : undefined);
  const missedAt = keep(previous.missedAt);
  const accepted = previous.accepted?.filter((k) => !gone(k));
  return { present, misses: keep(previous.misses)!, ...(missedAt ? { missedAt } : {}), ...(accepted ? { accepted } : {}) };
}
