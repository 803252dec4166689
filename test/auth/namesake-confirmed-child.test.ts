// A review finding, fixed: a parent whose child an administrator confirmed (`review confirm` of a name + birth date
// candidate: no roster platform carries a SNILS) lost the child at the next login as soon as any other pupil of the same
// surname, first name and birth date was in the store — the store is the region's, so a namesake in another school was
// enough (or the child's own duplicate record from a second platform). linkChildren checked the pair's confirmed link
// only when the name named exactly one pupil; now, as on the SNILS path, the confirmed pupil of several is shown,
// and an unconfirmed namesake never is. Synthetic data only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideCandidate, linkChildren, pendingCandidates } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, naturalId, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';

const OWN = naturalId('namesake', 'pupil', 'own');
const NAMESAKE = naturalId('namesake', 'pupil', 'namesake');
const parent = { oid: '1000777002', trusted: true, familyName: 'Иванова', givenName: 'Елена' };
const kid: EsiaKid = { id: '1', firstName: 'Александр', lastName: 'Иванов', birthDate: '2014-05-12', snils: '987-654-321 83' };
const prov = { system: 'dnevnik_ru' as const, instance: 'dnevnik_ru', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };

/** A pupil of a school as a platform reports it: names and birth date, never a SNILS. */
function pupil(id: string, school: string): CanonicalRecord[] {
  return [
    buildRecord('person', { familyName: 'Иванов', givenName: 'Александр', birthDate: '2014-05-12', enabled: true, gradeLevel: 6, emails: [], phones: [], identifiers: [] },
      { id, sourceRefs: [{ system: 'dnevnik_ru', instance: 'dnevnik_ru', sourceId: `p-${id.slice(0, 6)}`, kind: 'id' }], provenance: prov }),
    buildRecord('role_assignment', { personId: id, organizationId: naturalId('namesake', 'school', school), role: 'student', isPrimary: true },
      { id: naturalId('namesake', 'role', id), sourceRefs: [{ system: 'dnevnik_ru', instance: 'dnevnik_ru', sourceId: `r-${id.slice(0, 6)}`, kind: 'role' }], provenance: prov }),
  ];
}

describe('a namesake elsewhere does not hide a child the school confirmed', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(pupil(OWN, 'school-1'), { runId: 'sync' });
  });
  afterEach(async () => { await store.close(); });

  it('the confirmed child is still shown when another school enrols a pupil of the same name and birth date', async () => {
    expect(await linkChildren(store, parent, [kid], { runId: 'login-1' })).toMatchObject({ studentIds: [], candidates: 1 });
    const [c] = await pendingCandidates(store);
    await decideCandidate(store, { candidateId: c.id, decision: 'confirm', runId: 'review-confirm' });
    expect((await linkChildren(store, parent, [kid], { runId: 'login-2' })).studentIds).toEqual([OWN]);

    // Another school of the region enrols an unrelated boy of the same name and birth date.
    await store.upsertMany(pupil(NAMESAKE, 'school-2'), { runId: 'sync-other-school' });

    // The confirmed child stays; the namesake is not shown (before the fix: no child, "unmatched").
    const again = await linkChildren(store, parent, [kid], { runId: 'login-3' });
    expect(again.studentIds).toEqual([OWN]);
  });
  it('two namesakes, neither confirmed for this parent: neither is shown nor proposed (as before)', async () => {
    await store.upsertMany(pupil(NAMESAKE, 'school-2'), { runId: 'sync-other-school' });
    expect(await linkChildren(store, parent, [kid], { runId: 'login-1' })).toMatchObject({ studentIds: [], candidates: 0, unmatched: 1 });
    expect(await pendingCandidates(store)).toEqual([]);
  });

  it('a pupil confirmed for another parent is not shown to this one', async () => {
    const other = { ...parent, oid: '1000777012' };
    expect(await linkChildren(store, other, [kid], { runId: 'login-other' })).toMatchObject({ candidates: 1 });
    const [c] = await pendingCandidates(store);
    await decideCandidate(store, { candidateId: c.id, decision: 'confirm', runId: 'review-confirm' });
    await store.upsertMany(pupil(NAMESAKE, 'school-2'), { runId: 'sync-other-school' });
    expect(await linkChildren(store, parent, [kid], { runId: 'login-1' })).toMatchObject({ studentIds: [], unmatched: 1 });
  });
});
