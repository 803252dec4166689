// An operator's decision on a conflict (`journal-gateway review keep|take`) stands until one of the two values changes.
// - `keep`: the next read of the other platform finds the same disagreement already decided and does not reopen it
//   (each read used to write the conflict again without its decision, so it came back every night).
// - `take`: the other platform's value replaces the stored one, and the system of record's next read — still
//   carrying the value the operator turned down — does not put it back (it did, and the push then wrote the old
//   value over the teacher's correction). A new value at the system of record is a new fact and applies as usual.
import { canonicalJson } from '../model/hash.js';
import { naturalId } from '../model/ids.js';
import { businessFields, buildRecord, type CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import { VALUES_AGREE } from './settled-conflicts.js';

type ConflictRecord = Extract<CanonicalRecord, { entity: 'conflict' }>;
/** Equal values whatever their key order (the store's jsonb keeps keys in an order of its own). */
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** The conflicts of this read that are not the very disagreement an operator has already decided. */
export async function undecidedConflicts(store: Store, conflicts: CanonicalRecord[]): Promise<CanonicalRecord[]> {
  if (conflicts.length === 0) return conflicts;
  const stored = await store.getMany(conflicts.map((c) => c.id));
  return conflicts.filter((c) => {
    const old = stored.get(c.id) as ConflictRecord | undefined;
    // A conflict the gateway closed because the values agreed again was nobody's decision: a new drift reopens it.
    return !old?.resolvedBy || old.resolution === VALUES_AGREE || !same(old.values, (c as ConflictRecord).values);
  });
}

/** Per record: the fields an operator took from another platform, the system of record's value they turned down, and the value taken. */
export type TakenValues = Map<string, { field: string; turnedDown: unknown; taken: unknown }[]>;

export async function takenValues(store: Store): Promise<TakenValues> {
  const out: TakenValues = new Map();
  for await (const r of store.iterate('conflict', { status: 'active' })) {
    const c = r as ConflictRecord;
    if (c.resolution !== 'taken_by_operator' || c.values.length < 2) continue;
    (out.get(c.canonicalId) ?? out.set(c.canonicalId, []).get(c.canonicalId)!).push({ field: c.field, turnedDown: c.values[0].value, taken: c.values[c.values.length - 1].value });
  }
  return out;
}

/** A record the system of record sent, with every value an operator took kept where the source still sends the value they turned down. */
export function keepTaken(r: CanonicalRecord, taken: TakenValues): CanonicalRecord {
  const fields = taken.get(r.id);
  if (!fields) return r;
  const business = businessFields(r) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const t of fields) if (same(business[t.field], t.turnedDown)) patch[t.field] = t.taken;
  if (Object.keys(patch).length === 0) return r;
  return buildRecord(r.entity, { ...business, ...patch } as never, { id: r.id, status: r.status, sourceRefs: r.sourceRefs, provenance: r.provenance, ...(r.ext ? { ext: r.ext } : {}) });
}

/**
 * Carries the values an operator took onto the records that replace those they were taken for (`renamed`: old id →
 * new id; a lesson moved on the system of record re-keys its marks and absences, moved-lessons.ts). Decisions are kept
 * per record, so without this the moved mark came in with the system of record's turned-down value and the push wrote
 * it over the teacher's correction on the target. Each taken conflict gets a twin on the new record, decided alike.
 * Returns how many were carried.
 */
export async function carryTaken(store: Store, renamed: ReadonlyMap<string, string>, runId: string): Promise<number> {
  if (renamed.size === 0) return 0;
  const twins: CanonicalRecord[] = [];
  for await (const r of store.iterate('conflict', { status: 'active' })) {
    const c = r as ConflictRecord;
    const to = renamed.get(c.canonicalId);
    if (!to || c.resolution !== 'taken_by_operator') continue;
    const ref = c.sourceRefs[0];
    twins.push(buildRecord('conflict', { ...businessFields(c), canonicalId: to } as never, {
      id: naturalId('conflict', to, c.field, ref.system, ref.instance),
      sourceRefs: [{ ...ref, sourceId: to }],
      provenance: c.provenance,
    }));
  }
  if (twins.length) await store.upsertMany(twins, { runId });
  return twins.length;
}
