// Audit: a link the school revoked by deleting it or marking it inactive (docs/login.md: "A link that grants nothing —
// accessScope=none, inactive, or deleted — is the school's") must not be undone by the same parent logging in through
// the other provider, exactly as a `review refuse` is not (linking.test.ts). Synthetic school only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNILS_AFTER_REFUSAL_RULE, guardianLinkId, linkChildren, linksOfPupil, pendingCandidates } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, type GuardianLinkRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';

const parent = { oid: '1000299654', trusted: true, familyName: 'Синтетова', givenName: 'Ольга' };
const maria: EsiaKid = { id: '2', firstName: 'Мария', lastName: 'Синтетова', birthDate: '2015-09-21', snils: '987-654-321 83' };
const sso = { oid: 'sso-parent-audit', instance: 'oidc', trusted: true };

describe('a link the school deleted or set inactive is not undone through the other login provider', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
  });
  afterEach(async () => { await store.close(); });

  it('deleted by the school: the other provider\'s first login waits for review, it does not link', async () => {
    const viaEsia = await linkChildren(store, parent, [maria], { runId: 'login-1' });
    expect(viaEsia.studentIds).toEqual([DEMO_IDS.maria]);
    await store.deleteRecord('guardian_link', guardianLinkId(DEMO_IDS.maria, viaEsia.guardianId), { runId: 'school', reason: 'manual' });
    // The same provider does not bring it back (linking.test.ts) ...
    expect(await linkChildren(store, parent, [maria], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });
    // ... nor may the other one.
    const viaSso = await linkChildren(store, sso, [maria], { runId: 'login-3' });
    expect(viaSso.studentIds).toEqual([]);
    expect((await linksOfPupil(store, DEMO_IDS.maria)).filter((l) => l.access === 'full' && l.status === 'active')).toEqual([]);
    expect(await pendingCandidates(store)).toContainEqual(expect.objectContaining({ guardianId: viaSso.guardianId, studentId: DEMO_IDS.maria, rule: SNILS_AFTER_REFUSAL_RULE }));
  });

  it('set inactive by the school: the other provider\'s first login waits for review, it does not link', async () => {
    const viaEsia = await linkChildren(store, parent, [maria], { runId: 'login-1' });
    const link = (await store.get(guardianLinkId(DEMO_IDS.maria, viaEsia.guardianId))) as GuardianLinkRecord;
    const { entity: _e, id, version: _v, updatedAt: _u, contentHash: _h, sourceRefs, provenance, status: _s, ...fields } = link;
    await store.upsert(buildRecord('guardian_link', fields, { id, status: 'inactive', sourceRefs, provenance: { ...provenance, runId: 'school' } }), { runId: 'school' });
    expect(((await store.get(id)) as GuardianLinkRecord).status).toBe('inactive');
    expect(await linkChildren(store, parent, [maria], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });
    const viaSso = await linkChildren(store, sso, [maria], { runId: 'login-3' });
    expect(viaSso.studentIds).toEqual([]);
  });
});
