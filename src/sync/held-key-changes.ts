// Key changes matched by name and birth date wait for a second miss (identity-matcher.ts, tier `held`). A platform
// id that vanishes the night a record with the same name and birth date appears is usually the platform
// re-registering the pupil — but may be one twin away the night the other is enrolled (ё/е and case fold, so
// «Алёна» and «Алена» are one name). Linking at once would make two children one person, their families seeing each
// other's marks. So the new record is held: nothing of it is stored, its marks wait as orphans (and are caught up
// once it is linked). At a run where the old id is still missing, after `secondMissAfterHours`, the key change is
// made; if the old id comes back, the two are two people and the newcomer goes to the review queue.
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
