// A target's push-again list edited by two writers at once: an operator's `review keep` (or a target read finding a
// pushed mark deleted) adds records while a push of the school settles the list. Read, changed in memory and written
// back whole, the later writer's older copy dropped the other's change — a kept record was never written again, with
// nothing left for the operator to see. Run on every store backend (PostgreSQL's pool runs the requests truly at once).
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerKey, type CanonicalStore } from '../../src/store/index.js';
import { againKey, pushAgainList, requestPushAgain, requestPushAgainMany, settlePushAgain } from '../../src/sync/push-again.js';
import { backends, mark, newId } from '../store/fixtures.js';

const target = { system: 'epos', instance: 'target' };

describe.each(backends)('push-again list on $name', (backend) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => { await cleanup?.(); cleanup = undefined; });
  const open = async (): Promise<CanonicalStore> => {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    return opened.store;
  };

  it('keeps every request made at the same moment', async () => {
    const store = await open();
    const ids = Array.from({ length: 24 }, () => newId());
    await Promise.all(ids.map((id, i) => requestPushAgain(store, target, 'mark', id, `keep-${i}`, `review-${i}`)));
    const list = await pushAgainList(store, target);
    expect(Object.keys(list).sort()).toEqual([...ids].sort());
    expect(list[ids[5]]).toEqual({ entity: 'mark', tag: 'keep-5' });
  });

  it('a list damaged to a JSON value that is not an object is taken as empty, and the new request is kept', async () => {
    const store = await open();
    await store.setCursor({ ...target, entity: 'push-again', kind: 'none', value: 'null', runId: 'hand' });
    const id = newId();
    await requestPushAgain(store, target, 'mark', id, 'keep-1', 'review');
    expect(await pushAgainList(store, target)).toEqual({ [id]: { entity: 'mark', tag: 'keep-1' } });
  });

  it('a push settling the list it read leaves a decision taken during the push on it', async () => {
    const store = await open();
    const [a, b] = [mark(newId(), newId()), mark(newId(), newId())];
    await store.upsertMany([a, b], { runId: 'load' });
    await requestPushAgainMany(store, target, [{ entity: 'mark', id: a.id, tag: 'keep-1' }, { entity: 'mark', id: b.id, tag: 'keep-2' }], 'review');
    // The push reads the list and writes both records; the target confirms them.
    const readByPush = await pushAgainList(store, target);
    for (const [r, tag] of [[a, 'keep-1'], [b, 'keep-2']] as const) {
      const { version } = (await store.get(r.id))!;
      const key = againKey(ledgerKey(target.instance, 'mark', r.id, version), tag);
      await store.ledgerBegin({ target: target.instance, entity: 'mark', canonicalId: r.id, canonicalVersion: version, op: 'update', idempotencyKey: key });
      await store.ledgerMark(key, { state: 'confirmed', targetId: `t-${r.id}` });
    }
    // Meanwhile the operator keeps the system of record's value of `a` against a new difference, and of a third record.
    const c = newId();
    await requestPushAgainMany(store, target, [{ entity: 'mark', id: a.id, tag: 'keep-3' }, { entity: 'mark', id: c, tag: 'keep-4' }], 'review');
    await settlePushAgain(store, target, readByPush, 'push');
    expect(await pushAgainList(store, target)).toEqual({ [a.id]: { entity: 'mark', tag: 'keep-3' }, [c]: { entity: 'mark', tag: 'keep-4' } });
  });
});
