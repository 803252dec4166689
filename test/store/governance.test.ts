// Crosswalk (uniqueness, key changes, batched resolve), sync cursors and the outbound ledger.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CrosswalkConflictError, ledgerKey, StoreError, type CanonicalStore, type CrosswalkEntry } from '../../src/store/index.js';
import { backends, newId, person } from './fixtures.js';

describe.each(backends)('crosswalk, cursors and ledger on $name', (backend) => {
  let store: CanonicalStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const key = (sourceId: string, canonicalId: string, instance = 'samara') => ({
    entity: 'person', canonicalId, system: 'asu_rso', instance, sourceId, sourceIdKind: 'user_id',
  });

  it('links source ids and resolves them in one batched lookup', async () => {
    const ids = Array.from({ length: 50 }, () => newId());
    const r = await store.link(ids.map((id, i) => key(`u${i}`, id)), { runId: 'r1' });
    expect(r).toEqual({ linked: 50, existing: 0 });
    const again = await store.link([key('u0', ids[0])], { runId: 'r2' });
    expect(again).toEqual({ linked: 0, existing: 1 });
    const resolved = await store.resolve('asu_rso', 'samara', 'person', ['u0', 'u7', 'u49', 'missing']);
    expect(resolved).toEqual(new Map([['u0', ids[0]], ['u7', ids[7]], ['u49', ids[49]]]));
    // Source ids are scoped by instance.
    expect((await store.resolve('asu_rso', 'perm', 'person', ['u0'])).size).toBe(0);
    const [row] = await store.crosswalkFor(ids[0]);
    expect(row).toMatchObject({ sourceId: 'u0', validTo: null, supersededBy: null, createdRunId: 'r1', sourceIdKind: 'user_id' });
    // The reverse lookup a push uses: canonical id → this instance's platform id.
    const back = await store.sourceIdsFor('asu_rso', 'samara', 'person', [ids[3], ids[9], newId()]);
    expect(back).toEqual(new Map([[ids[3], 'u3'], [ids[9], 'u9']]));
    expect((await store.sourceIdsFor('asu_rso', 'perm', 'person', [ids[3]])).size).toBe(0);
  });

  it('never overwrites an open row: relinking to another canonical id is refused', async () => {
    const a = newId();
    const b = newId();
    await store.link([key('x1', a)], { runId: 'r1' });
    await expect(store.link([key('x1', b)], { runId: 'r2' })).rejects.toBeInstanceOf(CrosswalkConflictError);
    await expect(store.link([key('x2', a), key('x2', b)], { runId: 'r2' })).rejects.toBeInstanceOf(CrosswalkConflictError);
    expect((await store.resolve('asu_rso', 'samara', 'person', ['x1', 'x2']))).toEqual(new Map([['x1', a]]));
    // A clash refuses the whole call: the new key asked beside it is not linked either.
    await expect(store.link([key('x3', a), key('x1', b)], { runId: 'r2' })).rejects.toBeInstanceOf(CrosswalkConflictError);
    expect((await store.resolve('asu_rso', 'samara', 'person', ['x3'])).size).toBe(0);
    // The partial unique index enforces it in the database too.
    await expect(store.driver.query(
      `INSERT INTO crosswalk (entity, canonical_id, system, instance, source_id, source_id_kind, valid_from)
       VALUES ('person', $1, 'asu_rso', 'samara', 'x1', 'user_id', now())`, [b],
    )).rejects.toThrow(/unique|duplicate/i);
    // Once closed, the key can be opened for another record; the old row stays.
    const closed = await store.closeCrosswalk('asu_rso', 'samara', 'person', 'x1', { at: '2025-09-10T00:00:00Z' });
    expect(closed?.validTo).toBe('2025-09-10T00:00:00.000Z');
    expect(await store.link([key('x1', b)], { runId: 'r3' })).toEqual({ linked: 1, existing: 0 });
    expect((await store.crosswalkFor(a)).map((r) => [r.sourceId, r.validTo !== null])).toEqual([['x1', true]]);
    expect(await store.closeCrosswalk('asu_rso', 'samara', 'person', 'nope')).toBeNull();
  });

  it('links a first load of several parts: a key asked twice is linked once, and a clash refuses its part', async () => {
    const ids = Array.from({ length: 12_000 }, () => newId());
    // Three parts of 5,000; the first key asked again in the last part, for the same record.
    const links = [...ids.map((id, i) => key(`p${i}`, id)), key('p0', ids[0])];
    expect(await store.link(links, { runId: 'r1' })).toEqual({ linked: 12_000, existing: 1 });
    const resolved = await store.resolve('asu_rso', 'samara', 'person', ids.map((_, i) => `p${i}`));
    expect(resolved.size).toBe(12_000);
    expect(resolved.get('p11999')).toBe(ids[11_999]);
    // A key of the last part open for another record: that part is refused, its new keys are not linked.
    const more = Array.from({ length: 11_000 }, () => newId());
    await expect(store.link([...more.map((id, i) => key(`q${i}`, id)), key('p1', newId())], { runId: 'r2' })).rejects.toBeInstanceOf(CrosswalkConflictError);
    expect((await store.resolve('asu_rso', 'samara', 'person', ['q10000', 'q10999'])).size).toBe(0);
    expect((await store.resolve('asu_rso', 'samara', 'person', ['p1'])).get('p1')).toBe(ids[1]);
  });

  it('looks up every row, open and closed, of many canonical ids at once: the ids a record was ever known by', async () => {
    const [a, b, none] = [newId(), newId(), newId()];
    await store.link([key('e-a1', a), key('e-a2', a, 'perm'), key('e-b1', b)], { runId: 'r1' });
    // e-a2 kept into a later year: its link to a is closed, and it names b now.
    await store.closeCrosswalk('asu_rso', 'perm', 'person', 'e-a2', {});
    await store.link([key('e-a2', b, 'perm')], { runId: 'r2' });
    const rows = await store.everyCrosswalkFor([a, b, none]);
    expect([...rows.keys()].sort()).toEqual([a, b].sort());
    expect(rows.get(a)).toEqual(await store.crosswalkFor(a));
    expect(rows.get(a)!.map((r) => [r.sourceId, r.validTo !== null])).toEqual([['e-a1', false], ['e-a2', true]]);
    expect(rows.get(b)!.map((r) => [r.sourceId, r.validTo !== null])).toEqual([['e-b1', false], ['e-a2', false]]);
  });

  it('looks up the open rows of many canonical ids at once: closed rows and ids with no link left out', async () => {
    const [a, b, none] = [newId(), newId(), newId()];
    await store.link([key('m-a1', a), key('m-a2', a, 'perm'), key('m-b1', b), key('m-a3', a, 'tula')], { runId: 'r1' });
    await store.closeCrosswalk('asu_rso', 'perm', 'person', 'm-a2', {});
    const rows = await store.openCrosswalkFor([a, b, none, a]);
    expect([...rows.keys()].sort()).toEqual([a, b].sort());
    // Oldest first, like crosswalkFor, with the whole row.
    expect(rows.get(a)!.map((r) => [r.instance, r.sourceId])).toEqual([['samara', 'm-a1'], ['tula', 'm-a3']]);
    expect(rows.get(b)).toEqual((await store.crosswalkFor(b)));
    expect(rows.get(a)).toEqual((await store.crosswalkFor(a)).filter((r) => r.validTo === null));
    // An empty list asks nothing; a list longer than one query's batch (5,000) is looked up in parts.
    const queries = vi.spyOn(store.driver, 'query');
    try {
      expect(await store.openCrosswalkFor([])).toEqual(new Map());
      expect(queries).not.toHaveBeenCalled();
      const many = await store.openCrosswalkFor([...Array.from({ length: 5_000 }, () => newId()), b]);
      expect([...many.keys()]).toEqual([b]);
      expect(queries).toHaveBeenCalledTimes(2);
    } finally {
      queries.mockRestore();
    }
  });

  it('closes many links in one statement, as closing them one by one does', async () => {
    // Two like sets of links: one closed in bulk, the other one by one; the results and rows must match.
    const set = (p: string) => {
      const [a, b] = [newId(), newId()];
      return { a, b, links: [key(`${p}-a1`, a), key(`${p}-a2`, a, 'perm'), key(`${p}-b1`, b), key(`${p}-gone`, b)] };
    };
    const [bulk, single] = [set('cb'), set('cs')];
    await store.link([...bulk.links, ...single.links], { runId: 'r1' });
    const at = '2025-10-01T08:00:00Z';
    for (const p of ['cb', 'cs']) await store.closeCrosswalk('asu_rso', 'samara', 'person', `${p}-gone`, { at: '2025-09-01T00:00:00Z' });
    // A new row for b1 to point the closed one at (supersededBy), as a key change does.
    const [nb, ns] = await Promise.all(['cb', 'cs'].map(async (p, i) => {
      await store.link([key(`${p}-b1-new`, [bulk, single][i].b)], { runId: 'r2' });
      return (await store.crosswalkFor([bulk, single][i].b)).find((r) => r.sourceId === `${p}-b1-new`)!.id;
    }));
    // Out of insertion order, one key twice, one already closed, one never linked.
    const keys = (p: string, supersededBy: number) => [
      { system: 'asu_rso', instance: 'samara', entity: 'person', sourceId: `${p}-b1`, supersededBy },
      { system: 'asu_rso', instance: 'perm', entity: 'person', sourceId: `${p}-a2` },
      { system: 'asu_rso', instance: 'samara', entity: 'person', sourceId: `${p}-gone` },
      { system: 'asu_rso', instance: 'samara', entity: 'person', sourceId: `${p}-a1` },
      { system: 'asu_rso', instance: 'samara', entity: 'person', sourceId: `${p}-never` },
      { system: 'asu_rso', instance: 'perm', entity: 'person', sourceId: `${p}-a2` },
    ];
    const many = await store.closeCrosswalkMany(keys('cb', nb), { at });
    const oneByOne = [];
    for (const k of keys('cs', ns)) {
      const r = await store.closeCrosswalk(k.system, k.instance, k.entity, k.sourceId, { at, supersededBy: k.supersededBy });
      if (r) oneByOne.push(r);
    }
    expect(many.map((r) => r.sourceId)).toEqual(['cb-b1', 'cb-a2', 'cb-a1']);
    // Equal but for the ids the two sets differ by.
    const norm = (rows: readonly CrosswalkEntry[], s: { a: string; b: string }, p: string, newRow: number) => rows.map((r) => ({
      ...r, id: 0, canonicalId: r.canonicalId === s.a ? 'a' : r.canonicalId === s.b ? 'b' : r.canonicalId, sourceId: r.sourceId.replace(p, 'x'),
      supersededBy: r.supersededBy === newRow ? 'new' : r.supersededBy,
    }));
    expect(norm(many, bulk, 'cb', nb)).toEqual(norm(oneByOne, single, 'cs', ns));
    expect(many[0]).toMatchObject({ validTo: '2025-10-01T08:00:00.000Z', supersededBy: nb });
    expect(many[1].supersededBy).toBeNull();
    // The table as well: the already-closed row kept its own date, the new row stayed open.
    for (const [s, p, n] of [[bulk, 'cb', nb], [single, 'cs', ns]] as const) {
      expect(await store.resolve('asu_rso', 'samara', 'person', [`${p}-a1`, `${p}-b1`, `${p}-b1-new`])).toEqual(new Map([[`${p}-b1-new`, s.b]]));
      expect((await store.crosswalkFor(s.b)).find((r) => r.sourceId === `${p}-gone`)!.validTo).toBe('2025-09-01T00:00:00.000Z');
      expect((await store.crosswalkFor(s.b)).find((r) => r.sourceId === `${p}-b1`)!.supersededBy).toBe(n);
    }
    expect(norm(await store.crosswalkFor(bulk.a), bulk, 'cb', nb)).toEqual(norm(await store.crosswalkFor(single.a), single, 'cs', ns));
    // An empty list sends nothing; more keys than one statement's batch (5,000) are closed in parts, all of them.
    const last = newId();
    await store.link([key('cb-last', last)], { runId: 'r3' });
    const queries = vi.spyOn(store.driver, 'query');
    try {
      expect(await store.closeCrosswalkMany([], { at })).toEqual([]);
      expect(queries).not.toHaveBeenCalled();
      const big = [...Array.from({ length: 5_000 }, (_, i) => ({ system: 'asu_rso', instance: 'samara', entity: 'person', sourceId: `cb-none-${i}` })),
        { system: 'asu_rso', instance: 'samara', entity: 'person', sourceId: 'cb-last' }];
      expect((await store.closeCrosswalkMany(big, {})).map((r) => r.canonicalId)).toEqual([last]);
      expect(queries).toHaveBeenCalledTimes(2);
    } finally {
      queries.mockRestore();
    }
    expect(await store.resolve('asu_rso', 'samara', 'person', ['cb-last'])).toEqual(new Map());
  });

  it('a key change closes the old row, opens a new one and logs a keychange', async () => {
    const p = person(newId());
    await store.upsert({ ...p, sourceRefs: [{ system: 'asu_rso', instance: 'samara', sourceId: 'old-1', kind: 'user_id' }] }, { runId: 'r1' });
    await store.link([key('old-1', p.id)], { runId: 'r1' });
    const v0 = await store.currentVersion();
    const opened = await store.changeKey({ system: 'asu_rso', instance: 'samara', entity: 'person', oldSourceId: 'old-1', newSourceId: 'new-1', runId: 'r-key' });
    expect(opened).toMatchObject({ canonicalId: p.id, sourceId: 'new-1', validTo: null, matchRule: 'keychange', createdRunId: 'r-key' });
    const rows = await store.crosswalkFor(p.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ sourceId: 'old-1', supersededBy: opened.id });
    expect(rows[0].validTo).not.toBeNull();
    expect(await store.resolve('asu_rso', 'samara', 'person', ['old-1', 'new-1'])).toEqual(new Map([['new-1', p.id]]));
    const changes = [];
    for await (const c of store.changesSince(v0)) changes.push(c);
    expect(changes).toMatchObject([{ op: 'keychange', canonicalId: p.id, diff: { from: 'old-1', to: 'new-1' } }]);
    const rec = await store.get(p.id);
    expect(rec!.sourceRefs).toEqual([{ system: 'asu_rso', instance: 'samara', sourceId: 'new-1', kind: 'user_id' }]);
    expect(rec!.version).toBe(changes[0].version);
    expect(rec!.contentHash).toBe(p.contentHash);
    await expect(store.changeKey({ system: 'asu_rso', instance: 'samara', entity: 'person', oldSourceId: 'old-1', newSourceId: 'z', runId: 'r' }))
      .rejects.toThrow(StoreError);
  });

  it('keeps one sync cursor per (system, instance, entity)', async () => {
    expect(await store.getCursor('epos', 'msk', 'mark')).toBeNull();
    await store.setCursor({ system: 'epos', instance: 'msk', entity: 'mark', kind: 'snapshot_hash', value: 'h1', runId: 'r1', lastSuccessAt: '2025-09-01T10:00:00Z' });
    const c = await store.setCursor({ system: 'epos', instance: 'msk', entity: 'mark', kind: 'snapshot_hash', value: 'h2', runId: 'r2' });
    expect(c).toMatchObject({ value: 'h2', runId: 'r2', lastSuccessAt: '2025-09-01T10:00:00.000Z' });
    await store.setCursor({ system: 'epos', instance: 'msk', entity: 'lesson', kind: 'date_last_modified', value: '2025-09-01T00:00:00Z' });
    expect(await store.getCursor('epos', 'msk', 'mark')).toMatchObject({ kind: 'snapshot_hash', value: 'h2' });
    expect((await store.listCursors()).map((x) => x.entity)).toEqual(['lesson', 'mark']);
  });

  it('ledger: begin twice gives one row; marks count attempts and keep the target id', async () => {
    const canonicalId = newId();
    const k = ledgerKey('eljur', 'mark', canonicalId, 7);
    const input = { target: 'eljur', entity: 'mark', canonicalId, canonicalVersion: 7, op: 'create' as const, idempotencyKey: k };
    const first = await store.ledgerBegin(input);
    expect(first.created).toBe(true);
    expect(first.entry).toMatchObject({ state: 'pending', attempts: 0, targetId: null });
    const second = await store.ledgerBegin(input);
    expect(second.created).toBe(false);
    expect(second.entry.createdAt).toBe(first.entry.createdAt);
    const n = await store.driver.query<{ n: unknown }>('SELECT count(*) AS n FROM outbound_ledger WHERE idempotency_key = $1', [k]);
    expect(Number(n.rows[0].n)).toBe(1);

    expect(await store.ledgerMark(k, { state: 'sent' })).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await store.ledgerMark(k, { state: 'failed', lastError: 'HTTP 503' })).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
    expect(await store.ledgerMark(k, { state: 'sent', targetId: 'T-42' })).toMatchObject({ attempts: 2, targetId: 'T-42' });
    const done = await store.ledgerMark(k, { state: 'confirmed', lastError: null });
    expect(done).toMatchObject({ state: 'confirmed', attempts: 2, targetId: 'T-42', lastError: null });
    expect((await store.ledgerBegin(input)).entry.state).toBe('confirmed');

    const k2 = ledgerKey('eljur', 'mark', canonicalId, 8);
    await store.ledgerBegin({ ...input, canonicalVersion: 8, idempotencyKey: k2 });
    expect((await store.ledgerByState('pending', { target: 'eljur' })).map((e) => e.idempotencyKey)).toContain(k2);
    expect((await store.ledgerByState('confirmed')).map((e) => e.idempotencyKey)).toEqual([k]);
    await expect(store.ledgerMark('no-such-key', { state: 'sent' })).rejects.toThrow(StoreError);
  });

  it('ledger in batches: a begin of 2,500 operations keeps rows already there; marks count attempts like one by one', async () => {
    const ids = Array.from({ length: 2500 }, () => newId());
    const input = (canonicalId: string) => ({ target: 'epos', entity: 'mark', canonicalId, canonicalVersion: 1, op: 'create' as const, idempotencyKey: ledgerKey('epos', 'mark', canonicalId, 1) });
    const [done] = ids;
    await store.ledgerBegin(input(done));
    await store.ledgerMark(input(done).idempotencyKey, { state: 'confirmed', targetId: 'E-1' });
    const entries = await store.ledgerBeginMany(ids.map(input));
    expect(entries.size).toBe(2500);
    expect(entries.get(input(done).idempotencyKey)).toMatchObject({ state: 'confirmed', targetId: 'E-1' });
    expect([...entries.values()].filter((e) => e.state === 'pending')).toHaveLength(2499);
    const n = await store.driver.query<{ n: unknown }>("SELECT count(*) AS n FROM outbound_ledger WHERE target = 'epos'");
    expect(Number(n.rows[0].n)).toBe(2500);

    const [a, b, c] = ids.slice(1, 4).map((id) => input(id).idempotencyKey);
    await store.ledgerMarkMany([a, b, c].map((key) => ({ key, mark: { state: 'sent' } })));
    await store.ledgerMarkMany([
      { key: a, mark: { state: 'confirmed', targetId: 'E-2' } },
      { key: b, mark: { state: 'failed', lastError: 'HTTP 503' } },
      { key: c, mark: { state: 'refused', lastError: 'R-22: the period is locked' } },
    ]);
    expect(await store.ledgerGet(a)).toMatchObject({ state: 'confirmed', attempts: 1, targetId: 'E-2', lastError: null });
    expect(await store.ledgerGet(b)).toMatchObject({ state: 'failed', attempts: 1, lastError: 'HTTP 503' });
    expect(await store.ledgerGet(c)).toMatchObject({ state: 'refused', attempts: 1, lastError: 'R-22: the period is locked' });
    // Straight from pending to an outcome is one attempt; a retry after a failure is another.
    const d = input(ids[4]).idempotencyKey;
    await store.ledgerMarkMany([{ key: d, mark: { state: 'refused', lastError: 'locked' } }, { key: b, mark: { state: 'sent' } }]);
    expect(await store.ledgerGet(d)).toMatchObject({ state: 'refused', attempts: 1 });
    expect(await store.ledgerGet(b)).toMatchObject({ state: 'sent', attempts: 2, lastError: 'HTTP 503' });
    // `countAttempt` decides for its mark, as for one by one: done without a request (same-as-pushed.ts) is no attempt.
    const [e, f] = ids.slice(5, 7).map((id) => input(id).idempotencyKey);
    await store.ledgerMarkMany([{ key: e, mark: { state: 'confirmed', targetId: 'E-5', countAttempt: false } }, { key: f, mark: { state: 'sent', countAttempt: true } }]);
    expect(await store.ledgerGet(e)).toMatchObject({ state: 'confirmed', attempts: 0, targetId: 'E-5' });
    expect(await store.ledgerGet(f)).toMatchObject({ state: 'sent', attempts: 1 });
    await expect(store.ledgerMarkMany([{ key: 'no-such-key', mark: { state: 'sent' } }])).rejects.toThrow(/1 of 1 keys have no ledger row/);
  });
});
