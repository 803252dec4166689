// Key changes matched by name and birth date wait for a second miss (identity-matcher.ts, tier `held`). A platform
// id that vanishes the night a record with the same name and birth date appears is usually the platform
// re-registering the pupil — but may be one twin away the night the other is enrolled (ё/е and case fold, so
// «Алёна» and «Алена» are one name). Linking at once would make two children one person, their families seeing each
// other's marks. So the new record is held: nothing of it is stored, its marks wait as orphans (and are caught up
// once it is linked). At a run where the old id is still missing, after `secondMissAfterHours`, the key change is
// made; if the old id comes back, the two are two people and the newcomer goes to the review queue.
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { PersonMatch } from './identity-matcher.js';
import type { RunIdentity } from './reference-resolver.js';

/** One held key change: the new platform id, the old one it would replace, and when it was first held. */
export interface HeldKeyChange { to: string; from: string; since: string }

const cursorKey = (schoolId: string) => `roster-rekeys:${schoolId}`;

export async function readHeldKeyChanges(store: Store, run: RunIdentity, schoolId: string): Promise<HeldKeyChange[]> {
  const c = await store.getCursor(run.system, run.instance, cursorKey(schoolId));
  return c?.value ? (JSON.parse(c.value) as HeldKeyChange[]) : [];
}

/** New id → old id of the held key changes whose old id has now been missing long enough for a second miss. */
export function ripeKeyChanges(held: readonly HeldKeyChange[], now: number, secondMissAfterMs: number): Map<string, string> {
  return new Map(held.filter((h) => Date.parse(h.since) + secondMissAfterMs <= now).map((h) => [h.to, h.from]));
}

/** This run's held key changes (an earlier hold of the same pair keeps its first date); the rest are forgotten. */
export async function saveHeldKeyChanges(store: Store, run: RunIdentity, schoolId: string, matches: readonly PersonMatch[], earlier: readonly HeldKeyChange[], now: string): Promise<HeldKeyChange[]> {
  const since = new Map(earlier.map((h) => [`${h.to}|${h.from}`, h.since]));
  const held = matches.flatMap((m) => (m.heldFor ? [{ to: m.sourceId, from: m.heldFor.oldSourceId, since: since.get(`${m.sourceId}|${m.heldFor.oldSourceId}`) ?? now }] : []));
  if (held.length || earlier.length) await store.setCursor({ system: run.system, instance: run.instance, entity: cursorKey(schoolId), kind: 'snapshot_hash', value: JSON.stringify(held), runId: run.runId });
  return held;
}

/** The records of a run without the held persons and whatever names them (role, enrollment, guardian link). */
export function withoutHeld(records: readonly CanonicalRecord[], heldIds: ReadonlySet<string>): CanonicalRecord[] {
  if (heldIds.size === 0) return [...records];
  return records.filter((r) => !heldIds.has(r.id) && !Object.values(r).some((v) => typeof v === 'string' && heldIds.has(v)));
}

/** A person's memberships, by the field naming them (review.ts PERSON_DEPENDENTS, without an import cycle). */
const MEMBERSHIPS = [['role_assignment', 'personId'], ['enrollment', 'personId'], ['guardian_link', 'studentId'], ['guardian_link', 'guardianId']] as const;

/**
 * Adds to `present` (this read's platform ids, per entity) the ids of this instance that stand for a person a held
 * newcomer may be, and for that person's memberships: while the newcomer is held they are not missing. A pupil taken
 * off one night and re-registered the next is held the night their old id misses a second time; that read deleted the
 * person (and tombstoned their parents' links), so the next run found no one to re-key onto and made a new person —
 * the pupil's history stayed on the tombstone. Their misses start again: if the hold lapses, they go two runs later.
 */
export async function keepHeldPersonsPresent(store: Store, run: RunIdentity, matches: readonly PersonMatch[], present: Map<EntityName, Set<string>>): Promise<void> {
  const persons = [...new Set(matches.flatMap((m) => (m.heldFor ? [m.heldFor.canonicalId] : [])))];
  if (persons.length === 0) return;
  const members = (await Promise.all(MEMBERSHIPS.map(([entity, field]) => store.referencing(entity, field, persons)))).flat().map((r) => r.id);
  for (const rows of (await store.openCrosswalkFor([...persons, ...members])).values()) {
    for (const x of rows) {
      if (x.system !== run.system || x.instance !== run.instance) continue;
      const entity = x.entity as EntityName;
      (present.get(entity) ?? present.set(entity, new Set()).get(entity)!).add(x.sourceId);
    }
  }
}
