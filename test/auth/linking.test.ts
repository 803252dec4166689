// Linking children by SNILS (esia.md §4) on a PGlite memory store with the synthetic school.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { candidateId, decideCandidate, grantsAccess, guardianLinkId, linkChildren, pendingCandidates } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, type GuardianLinkRecord, type PersonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';

const parent = { oid: '1000299654', trusted: true, familyName: 'Синтетова', givenName: 'Ольга' };
const ivan: EsiaKid = { id: '1', firstName: 'Иван', lastName: 'Синтетов', birthDate: '2012-03-05', snils: '123-456-789 64' };
const maria: EsiaKid = { id: '2', firstName: 'Мария', lastName: 'Синтетова', birthDate: '2015-09-21', snils: '987-654-321 83' };

describe('linking ESIA children to pupils', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
  });
  afterEach(async () => { await store.close(); });

  it('R-25: links both children by SNILS with verified guardian_link records; the oid goes to the crosswalk', async () => {
    const out = await linkChildren(store, parent, [ivan, maria], { runId: 'login-1' });
    expect(out.studentIds.sort()).toEqual([DEMO_IDS.ivan, DEMO_IDS.maria].sort());
    const link = (await store.get(guardianLinkId(DEMO_IDS.ivan, out.guardianId))) as GuardianLinkRecord;
    expect(grantsAccess(link, out.guardianId)).toBe(true);
    expect((await store.resolve('gateway', 'esia', 'person', [parent.oid])).get(parent.oid)).toBe(out.guardianId);
    expect(await store.get(guardianLinkId(DEMO_IDS.petr, out.guardianId))).toBeNull();
  });

  it('a second login changes nothing (idempotent)', async () => {
    await linkChildren(store, parent, [ivan, maria], { runId: 'login-1' });
    const v = await store.currentVersion();
    const again = await linkChildren(store, parent, [ivan, maria], { runId: 'login-2' });
    expect(again.studentIds).toHaveLength(2);
    expect(await store.currentVersion()).toBe(v);
  });

  it('name + birth date alone only proposes a candidate; access after an administrator confirms', async () => {
    const noSnils = { ...maria, snils: undefined, lastName: 'СИНТЕТОВА' };
    const first = await linkChildren(store, parent, [noSnils], { runId: 'login-1' });
    expect(first).toMatchObject({ studentIds: [], candidates: 1 });
    expect(await pendingCandidates(store)).toHaveLength(1);
    expect(await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.maria), decision: 'confirm', runId: 'review-1' })).toBe('linked');
    expect(await pendingCandidates(store)).toHaveLength(0);
    const second = await linkChildren(store, parent, [noSnils], { runId: 'login-2' });
    expect(second.studentIds).toEqual([DEMO_IDS.maria]);
  });

  it('a rejected candidate gives no access', async () => {
    const first = await linkChildren(store, parent, [{ ...ivan, snils: undefined }], { runId: 'login-1' });
    await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.ivan), decision: 'reject', runId: 'review-1' });
    expect((await linkChildren(store, parent, [{ ...ivan, snils: undefined }], { runId: 'login-2' })).studentIds).toEqual([]);
  });

  it('R-28: a SNILS that matches two pupils is quarantined for review, never linked', async () => {
    const twin = demoSchoolRecords().find((r) => r.id === DEMO_IDS.petr) as PersonRecord;
    const { entity: _e, id: _i, version: _v, updatedAt: _u, contentHash: _c, sourceRefs, provenance, status: _s, ...fields } = twin;
    await store.upsert(buildRecord('person', { ...fields, identifiers: [{ kind: 'snils', value: '12345678964', verified: true }] }, { id: DEMO_IDS.petr, sourceRefs, provenance }), { runId: 'dup' });
    const out = await linkChildren(store, parent, [ivan], { runId: 'login-1' });
    expect(out).toMatchObject({ studentIds: [], ambiguous: 1 });
    expect(await pendingCandidates(store)).toHaveLength(2);
  });

  it('an unconfirmed ESIA account links nothing; an unknown child is only counted', async () => {
    expect(await linkChildren(store, { ...parent, trusted: false }, [ivan], { runId: 'l' })).toMatchObject({ studentIds: [], unmatched: 1 });
    expect(await linkChildren(store, parent, [{ id: '9', firstName: 'Нет', lastName: 'Такого', birthDate: '2010-01-01', snils: '222-333-444 16' }], { runId: 'l' }))
      .toMatchObject({ studentIds: [], unmatched: 1, candidates: 0 });
  });
});
