// Records to write into one target again though the ledger holds them as sent there: an operator's `review keep` of a
// target's different value (the system of record's value stands, so the target is given it once more). Kept per
// target instance as a cursor `push-again`: record id → its entity and the decision's tag, which goes on the ledger
// key (`…|again:<tag>`) so the operation is new. The push of the record's school sends it and takes it off the list
// once the target confirmed (or refused) it; until then every push tries it again.
import type { EntityName } from '../model/enums.js';
import type { Store } from '../store/index.js';

const KEY = 'push-again';
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

async function save(store: Store, target: { system: string; instance: string }, list: PushAgainList, runId: string): Promise<void> {
  await store.setCursor({ system: target.system, instance: target.instance, entity: KEY, kind: 'none', value: JSON.stringify(list), runId });
}

export async function requestPushAgain(store: Store, target: { system: string; instance: string }, entity: EntityName, id: string, tag: string, runId: string): Promise<void> {
  await save(store, target, { ...(await pushAgainList(store, target)), [id]: { entity, tag } }, runId);
}

export async function donePushAgain(store: Store, target: { system: string; instance: string }, ids: readonly string[], runId: string): Promise<void> {
  if (ids.length === 0) return;
  const list = await pushAgainList(store, target);
  for (const id of ids) delete list[id];
  await save(store, target, list, runId);
}
