// Records to write into one target again though the ledger holds them as sent there: an operator's `review keep` of a
// target's different value (the system of record's value stands, so the target is given it once more), or a record the
// push wrote there that a teacher deleted there by hand (target-deletes.ts). Kept per
// target instance as a cursor `push-again`: record id → its entity and the decision's tag, which goes on the ledger
// key (`…|again:<tag>`) so the operation is new. The push of the record's school sends it and takes it off the list
// once the target confirmed (or refused) it; until then every push tries it again. The list is edited entry by entry in
// the store, never read and written back whole: a `keep` and a push settling the list may run at the same moment.
import { createHash } from 'node:crypto';
import type { EntityName } from '../model/enums.js';
import { ledgerKey, type Store } from '../store/index.js';

const KEY = 'push-again';
/**
 * How often a record found deleted on a target is written there again before it is held for an operator
 * (target-deletes.ts): a target that drops what it accepts, or a teacher deleting it each time, is a disagreement for
 * a person to settle, not one to repeat every night.
 */
export const WRITES_AGAIN_BEFORE_HOLDING = 3;
export type PushAgainList = Record<string, { entity: EntityName; tag: string }>;

export async function pushAgainList(store: Store, target: { system: string; instance: string }): Promise<PushAgainList> {
  const value = (await store.getCursor(target.system, target.instance, KEY))?.value;
  if (!value) return {};
  try {
    const v = JSON.parse(value) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as PushAgainList) : {};
  } catch {
    return {};
  }
}

export async function requestPushAgain(store: Store, target: { system: string; instance: string }, entity: EntityName, id: string, tag: string, runId: string): Promise<void> {
  await requestPushAgainMany(store, target, [{ entity, id, tag }], runId);
}

/**
 * Several records at once, in one statement whatever their number. Added entry by entry in the store (never the list
 * read and written back whole), so a request landing while a push settles the list is kept.
 */
export async function requestPushAgainMany(store: Store, target: { system: string; instance: string }, records: readonly { entity: EntityName; id: string; tag: string }[], runId: string): Promise<void> {
  if (records.length === 0) return;
  const entries: PushAgainList = {};
  for (const r of records) entries[r.id] = { entity: r.entity, tag: r.tag };
  await store.mergeCursorEntries(target.system, target.instance, KEY, entries, runId);
}

/**
 * The tag of an operator's `review keep` that asks for a write again: one per decision (the conflict and the review
 * run). A conflict's id is its record's, field's and platform's, so a disagreement that reopens comes back under the
 * same id; a tag made of the id alone put the second keep on the ledger key of the first, which the ledger held as
 * confirmed — nothing was sent, and the target kept the other value.
 */
export const keepTag = (conflictId: string, runId: string): string => `keep-${createHash('sha256').update(`${conflictId}|${runId}`).digest('hex').slice(0, 12)}`;

/** The ledger key of an operation written again: its own key with `|again:<tag>`, so the ledger holds it as new. */
export const againKey = (key: string, tag: string | undefined) => (tag === undefined ? key : `${key}|again:${tag}`);

/**
 * After a push: the records of `list` the target confirmed (or refused) leave it, and so does one the system of record
 * deleted since that the target no longer holds (the push has nothing to write or delete for it: before, it stayed on
 * the list for good); one of another school (the list is the target's) or still failing stays for the next push.
 */
export async function settlePushAgain(store: Store, target: { system: string; instance: string }, list: PushAgainList, runId: string): Promise<void> {
  const ids = Object.keys(list);
  if (ids.length === 0) return;
  const records = await store.getMany(ids);
  const keyOf = (id: string) => {
    const r = records.get(id);
    return r ? againKey(ledgerKey(target.instance, r.entity, r.id, r.version), list[id].tag) : undefined;
  };
  const entries = await store.ledgerGetMany(ids.map(keyOf).filter((k): k is string => !!k));
  const gone = await deletedAndUnlinked(store, target, list, records);
  const done = ids.filter((id) => {
    const k = keyOf(id);
    const state = k ? entries.get(k)?.state : undefined;
    return !k || state === 'confirmed' || state === 'refused' || gone.has(id);
  });
  if (done.length === 0) return;
  // Each entry leaves only as this push read it: one an operator's later decision replaced (a new tag) stays listed.
  const settled: PushAgainList = {};
  for (const id of done) settled[id] = list[id];
  await store.removeCursorEntries(target.system, target.instance, KEY, settled, runId);
}

/** The records of the list tombstoned in the store that the target holds no platform id of: nothing is left to send. */
async function deletedAndUnlinked(store: Store, target: { system: string; instance: string }, list: PushAgainList, records: ReadonlyMap<string, { status: string }>): Promise<Set<string>> {
  const deleted = Object.keys(list).filter((id) => records.get(id)?.status === 'deleted');
  const out = new Set<string>();
  for (const entity of new Set(deleted.map((id) => list[id].entity))) {
    const ids = deleted.filter((id) => list[id].entity === entity);
    const linked = await store.sourceIdsFor(target.system, target.instance, entity, ids);
    for (const id of ids) if (!linked.has(id)) out.add(id);
  }
  return out;
}
