// Deletes inferred from full snapshots of a declared scope (canonical-model.md §C.2 item 4): a record
// linked last time and absent now. Guards: a change threshold for the whole scope (default 10%), the
// "missing twice in a row" rule for persons and memberships, and never for partial reads.
import type { EntityName } from '../model/enums.js';

/** Entities deleted only after being missing in two consecutive snapshots. */
export const MISSING_TWICE: ReadonlySet<EntityName> = new Set(['person', 'enrollment', 'role_assignment', 'guardian_link']);

export interface SnapshotState {
  /** Platform ids present in the last complete snapshot, per entity. */
  present: Partial<Record<EntityName, string[]>>;
  /** `entity|platformId` → consecutive snapshots it has been missing from. */
  misses: Record<string, number>;
}

export interface DeletePlan {
  /** To tombstone now, per entity (platform ids). */
  deletes: Map<EntityName, string[]>;
  /** Missing for the first time (kept; deleted if still missing next run). */
  missingOnce: number;
  /** Set when the threshold refused every delete of this run. */
  refused?: string;
  next: SnapshotState;
}

export function planSnapshotDeletes(
  previous: SnapshotState | null,
  current: Map<EntityName, Set<string>>,
  threshold: number,
): DeletePlan {
  const next: SnapshotState = { present: {}, misses: {} };
  for (const [e, ids] of current) next.present[e] = [...ids];
  const deletes = new Map<EntityName, string[]>();
  let missingOnce = 0;
  let scope = 0;
  let toDelete = 0;
  if (previous) {
    for (const [entity, ids] of Object.entries(previous.present) as [EntityName, string[]][]) {
      const now = current.get(entity) ?? new Set<string>();
      scope += ids.length;
      for (const sid of ids) {
        if (now.has(sid)) continue;
        const key = `${entity}|${sid}`;
        const misses = (previous.misses[key] ?? 0) + 1;
        if (MISSING_TWICE.has(entity) && misses < 2) {
          next.misses[key] = misses;
          // Still "present" for the next comparison, so a second miss is recognised.
          (next.present[entity] ??= []).push(sid);
          missingOnce++;
          continue;
        }
        deletes.set(entity, [...(deletes.get(entity) ?? []), sid]);
        toDelete++;
      }
    }
  }
  if (scope > 0 && toDelete / scope > threshold) {
    // Keep everything as it was: the records stay, and next run compares against the old snapshot again.
    const refused = `${toDelete} of ${scope} records of the scope would be deleted (${Math.round((toDelete / scope) * 100)}% > ${Math.round(threshold * 100)}%)`;
    return { deletes: new Map(), missingOnce, refused, next: previous ?? next };
  }
  return { deletes, missingOnce, next };
}
