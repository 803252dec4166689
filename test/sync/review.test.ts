import { describe, expect, it } from 'vitest';
import { buildRecord, mintId, naturalId } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { pushAgainList } from '../../src/sync/push-again.js';
import { decidePersonMatch, pendingReview, resolveConflict } from '../../src/sync/review.js';

const prov = { system: 'asu_rso' as const, instance: 'emu', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const person = (id: string, familyName: string) => buildRecord('person', { familyName, givenName: 'Тест', enabled: true }, { id, sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: id, kind: 'id' }], provenance: prov });

describe('the review queue', () => {
  it('merging a possible duplicate tombstones it and moves its platform ids to the known person', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const [known, dup] = [mintId(), mintId()];
    await store.upsertMany([person(known, 'Петров'), person(dup, 'Пётров')], { runId: 'r' });
    await store.link([{ entity: 'person', canonicalId: dup, system: 'asu_rso', instance: 'emu', sourceId: '77', sourceIdKind: 'id' }], { runId: 'r' });
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: dup, rightId: known, rule: 'composite_duplicate', score: 1, decision: 'pending', at: prov.fetchedAt }, {
      id: naturalId('match_candidate', dup, known), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: '77', kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([cand], { runId: 'r' });
    expect((await pendingReview(store)).map((r) => [r.kind, r.leftId, r.rightId])).toEqual([['person_match', dup, known]]);
    await decidePersonMatch(store, cand.id, 'merge', 'rev-1');
    expect((await store.resolve('asu_rso', 'emu', 'person', ['77'])).get('77')).toBe(known);
    expect(await store.get(dup)).toMatchObject({ status: 'deleted', deleteReason: 'merged' });
    expect(await pendingReview(store)).toEqual([]);
    await expect(decidePersonMatch(store, cand.id, 'merge', 'rev-2')).rejects.toThrow(/already decided/);
    await store.close();
  });

  it('merging retires the merged person\'s role assignments and frees their platform ids, so the next sync makes them under the known person', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const [known, dup, org] = [mintId(), mintId(), mintId()];
    const role = buildRecord('role_assignment', { personId: dup, organizationId: org, role: 'student', isPrimary: true }, {
      id: naturalId('role_assignment', dup, org, 'student'), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: '77:student', kind: 'role' }], provenance: prov,
    });
    await store.upsertMany([person(known, 'Петров'), person(dup, 'Петров'), role], { runId: 'r' });
    await store.link([
      { entity: 'person', canonicalId: dup, system: 'asu_rso', instance: 'emu', sourceId: '77', sourceIdKind: 'id' },
      { entity: 'role_assignment', canonicalId: role.id, system: 'asu_rso', instance: 'emu', sourceId: '77:student', sourceIdKind: 'role' },
    ], { runId: 'r' });
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: dup, rightId: known, rule: 'name_exact_no_birthdate', score: 1, decision: 'pending', at: prov.fetchedAt }, {
      id: naturalId('match_candidate', dup, known), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: '77', kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'rev-1');
    expect(await store.get(role.id)).toMatchObject({ status: 'deleted', deleteReason: 'merged' });
    // The platform's role id is free again: the known person's role assignment can take it.
    const next = naturalId('role_assignment', known, org, 'student');
    await store.link([{ entity: 'role_assignment', canonicalId: next, system: 'asu_rso', instance: 'emu', sourceId: '77:student', sourceIdKind: 'role' }], { runId: 'r2' });
    expect((await store.resolve('asu_rso', 'emu', 'role_assignment', ['77:student'])).get('77:student')).toBe(next);
    await store.close();
  });

  it('taking the other platform\'s value of a conflict applies it; keeping records the decision', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const p = person(mintId(), 'Иванов');
    await store.upsertMany([p], { runId: 'r' });
    const conflict = buildRecord('conflict', { conflictEntity: 'person', canonicalId: p.id, field: 'familyName', values: [{ system: 'asu_rso', value: 'Иванов' }, { system: 'eljur', value: 'Иванова' }], resolution: 'system_of_record_kept' }, {
      id: mintId(), sourceRefs: [{ system: 'eljur', instance: 'x', sourceId: p.id, kind: 'conflict' }], provenance: prov,
    });
    await store.upsertMany([conflict], { runId: 'r' });
    await resolveConflict(store, conflict.id, 'take', 'rev');
    expect(await store.get(p.id)).toMatchObject({ familyName: 'Иванова' });
    expect(await store.get(conflict.id)).toMatchObject({ resolvedBy: 'operator', resolution: 'taken_by_operator' });
    await expect(resolveConflict(store, conflict.id, 'keep', 'rev')).rejects.toThrow(/already resolved/);
    await store.close();
  });

  it('a keep whose write-again request fails leaves the conflict open, to decide again (no decision without its write)', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const markId = mintId();
    const conflict = buildRecord('conflict', { conflictEntity: 'mark', canonicalId: markId, field: 'raw', values: [{ system: 'asu_rso', value: '5' }, { system: 'asu_rso', value: '4' }], resolution: 'system_of_record_kept' }, {
      id: mintId(), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: markId, kind: 'conflict' }], provenance: prov,
    });
    await store.upsertMany([conflict], { runId: 'r' });
    // The process dies (here: the store refuses) between the two writes of a keep.
    const merge = store.mergeCursorEntries.bind(store);
    let failOnce = true;
    store.mergeCursorEntries = async (...args: Parameters<typeof merge>) => {
      if (failOnce) { failOnce = false; throw new Error('connection lost'); }
      return merge(...args);
    };
    await expect(resolveConflict(store, conflict.id, 'keep', 'rev-1')).rejects.toThrow(/connection lost/);
    // Before, the decision was stored first: the conflict was closed with no write queued, and the target kept the other value.
    expect(await store.get(conflict.id)).not.toHaveProperty('resolvedBy');
    expect(await pushAgainList(store, { system: 'asu_rso', instance: 'emu' })).toEqual({});
    await resolveConflict(store, conflict.id, 'keep', 'rev-2');
    expect(await store.get(conflict.id)).toMatchObject({ resolvedBy: 'operator', resolution: 'kept_by_operator' });
    expect(Object.keys(await pushAgainList(store, { system: 'asu_rso', instance: 'emu' }))).toEqual([markId]);
    await store.close();
  });
});
