// Linking children by SNILS (esia.md §4) on a PGlite memory store with the synthetic school.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNILS_AFTER_REFUSAL_RULE, candidateId, decideCandidate, grantsAccess, guardianLinkId, linkChildren, linksOfPupil, pendingCandidates, setLinkAccess, verifiedGuardianLink } from '../../src/auth/children.js';
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

  /** Gives Пётр (another family's pupil) Иван's SNILS: one child, two pupils (R-28). */
  async function duplicateIvansSnilsOnPetr() {
    const twin = demoSchoolRecords().find((r) => r.id === DEMO_IDS.petr) as PersonRecord;
    const { entity: _e, id: _i, version: _v, updatedAt: _u, contentHash: _c, sourceRefs, provenance, status: _s, ...fields } = twin;
    await store.upsert(buildRecord('person', { ...fields, identifiers: [{ kind: 'snils', value: '12345678964', verified: true }] }, { id: DEMO_IDS.petr, sourceRefs, provenance }), { runId: 'dup' });
  }

  it('R-28: the decisions on a SNILS clash stand at every later login — the confirmed pupil is shown, the rejected one never comes back', async () => {
    await duplicateIvansSnilsOnPetr();
    const first = await linkChildren(store, parent, [ivan], { runId: 'login-1' });
    await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.petr), decision: 'reject', runId: 'review-1' });
    await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.ivan), decision: 'confirm', runId: 'review-2' });
    const v = await store.currentVersion();
    const second = await linkChildren(store, parent, [ivan], { runId: 'login-2' });
    expect(second).toMatchObject({ studentIds: [DEMO_IDS.ivan], ambiguous: 0 });
    expect(await pendingCandidates(store)).toEqual([]);
    expect(await store.currentVersion()).toBe(v); // nothing re-opened, nothing rewritten
    expect(grantsAccess((await store.get(guardianLinkId(DEMO_IDS.petr, first.guardianId))) as GuardianLinkRecord | null, first.guardianId)).toBe(false);
    // A second login while the clash is still pending proposes nothing new either.
    await setLinkAccess(store, { studentId: DEMO_IDS.ivan, guardianId: first.guardianId, access: 'none', runId: 'school' });
    expect(await linkChildren(store, parent, [ivan], { runId: 'login-3' })).toMatchObject({ studentIds: [], ambiguous: 0, declined: 1 });
  });

  it('a link the school set to no access is widened neither by a login without SNILS nor by a review confirm', async () => {
    const first = await linkChildren(store, parent, [ivan], { runId: 'login-1' });
    await setLinkAccess(store, { studentId: DEMO_IDS.ivan, guardianId: first.guardianId, access: 'none', runId: 'school' });
    expect(await linkChildren(store, parent, [ivan], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });
    const noSnils = await linkChildren(store, parent, [{ ...ivan, snils: undefined }], { runId: 'login-3' });
    expect(noSnils).toMatchObject({ studentIds: [], candidates: 0, declined: 1 });
    expect(await pendingCandidates(store)).toEqual([]);
    // A candidate proposed before the school's refusal cannot be confirmed over it.
    await store.upsert(buildRecord('match_candidate', {
      candidateEntity: 'guardian_link', leftId: first.guardianId, rightId: DEMO_IDS.ivan, rule: 'esia_kid_name_birthdate', score: 0.9, decision: 'pending', at: '2026-01-01T00:00:00Z',
    }, { id: candidateId(first.guardianId, DEMO_IDS.ivan), sourceRefs: [{ system: 'gateway', instance: 'esia', sourceId: 'x', kind: 'esia_kid_candidate' }], provenance: { system: 'gateway', instance: 'esia', fetchedAt: '2026-01-01T00:00:00Z', payloadHash: 'x', runId: 'r', mapperVersion: 'x' } }), { runId: 'old' });
    await expect(decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.ivan), decision: 'confirm', runId: 'review-1' }))
      .rejects.toThrow(/the school has set this parent's link to the pupil .* to grant no access/);
    expect(((await store.get(guardianLinkId(DEMO_IDS.ivan, first.guardianId))) as GuardianLinkRecord).accessScope).toBe('none');
    // Only the school's own decision gives access back.
    expect(await setLinkAccess(store, { studentId: DEMO_IDS.ivan, guardianId: first.guardianId, access: 'full', runId: 'school-2' })).toBe('allowed');
    expect((await linkChildren(store, parent, [ivan], { runId: 'login-4' })).studentIds).toEqual([DEMO_IDS.ivan]);
    expect(await pendingCandidates(store)).toEqual([]); // the pending candidate was decided with it
  });

  it('a deleted link is not brought back by a login: access returns only by the school allowing it', async () => {
    const first = await linkChildren(store, parent, [ivan], { runId: 'login-1' });
    await store.deleteRecord('guardian_link', guardianLinkId(DEMO_IDS.ivan, first.guardianId), { runId: 'school', reason: 'manual' });
    expect(await linkChildren(store, parent, [ivan], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });
    expect((await store.get(guardianLinkId(DEMO_IDS.ivan, first.guardianId)))?.status).toBe('deleted');
    const links = await linksOfPupil(store, DEMO_IDS.ivan);
    expect(links).toContainEqual(expect.objectContaining({ guardianId: first.guardianId, status: 'deleted', source: 'gateway/esia' }));
    expect(JSON.stringify(links)).not.toMatch(/Синтет|Иван/);
  });

  it('a pupil of the same name and birth date whose stored SNILS differs from the child\'s is another child: no candidate', async () => {
    // Иван's record carries SNILS 123-456-789 64; ESIA's child of the same name and birth date carries another.
    const namesake = { ...ivan, snils: '112-233-445 95' };
    expect(await linkChildren(store, parent, [namesake], { runId: 'login-1' })).toMatchObject({ studentIds: [], candidates: 0, unmatched: 1 });
    expect(await pendingCandidates(store)).toEqual([]);
  });

  it('a rejected name match is not reported as waiting for the school', async () => {
    const first = await linkChildren(store, parent, [{ ...ivan, snils: undefined }], { runId: 'login-1' });
    await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.ivan), decision: 'reject', runId: 'review-1' });
    expect(await linkChildren(store, parent, [{ ...ivan, snils: undefined }], { runId: 'login-2' })).toMatchObject({ candidates: 0, declined: 1 });
  });

  it('allow/refuse name persons that exist', async () => {
    await expect(setLinkAccess(store, { studentId: DEMO_IDS.ivan, guardianId: '00000000-0000-4000-8000-000000000000', access: 'full', runId: 'x' }))
      .rejects.toThrow('no parent with canonical person id 00000000-0000-4000-8000-000000000000 in the store');
    expect(verifiedGuardianLink(DEMO_IDS.ivan, DEMO_IDS.petr, '2026-01-01T00:00:00Z', 'r', undefined, 'none')).toMatchObject({ accessScope: 'none', digitalAccess: 'refused' });
  });

  it('a pupil rejected for this parent stays rejected when the SNILS later names only them', async () => {
    await duplicateIvansSnilsOnPetr();
    const first = await linkChildren(store, parent, [ivan], { runId: 'login-1' });
    await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.petr), decision: 'reject', runId: 'review-1' });
    // Иван's own record leaves the store; Пётр still carries the SNILS entered on him by mistake.
    await store.deleteRecord('person', DEMO_IDS.ivan, { runId: 'roster', reason: 'snapshot_absent' });
    const again = await linkChildren(store, parent, [ivan], { runId: 'login-2' });
    expect(again).toMatchObject({ studentIds: [], declined: 1 });
    expect(grantsAccess((await store.get(guardianLinkId(DEMO_IDS.petr, first.guardianId))) as GuardianLinkRecord | null, first.guardianId)).toBe(false);
  });

  it('a parent the school refused does not get the child back by logging in through the other provider', async () => {
    // One person is one guardian record per login provider: the refusal names the ESIA one.
    const viaEsia = await linkChildren(store, parent, [maria], { runId: 'login-1' });
    expect(viaEsia.studentIds).toEqual([DEMO_IDS.maria]);
    await setLinkAccess(store, { studentId: DEMO_IDS.maria, guardianId: viaEsia.guardianId, access: 'none', runId: 'court-order' });
    const sso = { oid: 'sso-parent-1', instance: 'oidc', trusted: true };
    const viaSso = await linkChildren(store, sso, [maria], { runId: 'login-2' });
    expect(viaSso.guardianId).not.toBe(viaEsia.guardianId);
    expect(viaSso).toMatchObject({ studentIds: [], candidates: 1 });
    expect((await linksOfPupil(store, DEMO_IDS.maria)).filter((l) => l.access === 'full')).toEqual([]);
    const [waiting] = await pendingCandidates(store);
    expect(waiting).toMatchObject({ guardianId: viaSso.guardianId, studentId: DEMO_IDS.maria, rule: SNILS_AFTER_REFUSAL_RULE });
    // Logging in again changes nothing; the school decides.
    expect((await linkChildren(store, sso, [maria], { runId: 'login-3' })).studentIds).toEqual([]);
    expect(await decideCandidate(store, { candidateId: waiting.id, decision: 'confirm', runId: 'review-1' })).toBe('linked');
    expect((await linkChildren(store, sso, [maria], { runId: 'login-4' })).studentIds).toEqual([DEMO_IDS.maria]);
  });

  it('a first login through another provider still links a child nobody was refused for, under that provider', async () => {
    const viaSso = await linkChildren(store, { oid: 'sso-parent-2', instance: 'oidc', trusted: true }, [ivan, ivan], { runId: 'login-1' });
    // ESIA (or the broker) listing one child twice is one child on the page.
    expect(viaSso.studentIds).toEqual([DEMO_IDS.ivan]);
    const [link] = (await linksOfPupil(store, DEMO_IDS.ivan)).filter((l) => l.guardianId === viaSso.guardianId);
    expect(link).toMatchObject({ access: 'full', source: 'gateway/oidc' });
  });

  describe('a name-only candidate and a SNILS link of the same pair', () => {
    // Пётр Посторонний of the demo school: the parent's first login lists him without SNILS, a later one with it.
    const petr: EsiaKid = { id: '3', firstName: 'Пётр', lastName: 'Посторонний', birthDate: '2012-06-01' };
    const petrWithSnils: EsiaKid = { ...petr, snils: '555-666-777 50' };
    const linkOf = async (guardianId: string) => (await store.get(guardianLinkId(DEMO_IDS.petr, guardianId))) as GuardianLinkRecord | null;

    it('a SNILS link made while the candidate waits settles it: the queue no longer lists it, and it cannot be rejected as if the parent had no access', async () => {
      const first = await linkChildren(store, parent, [petr], { runId: 'login-1' });
      expect(first).toMatchObject({ studentIds: [], candidates: 1 });
      const second = await linkChildren(store, parent, [petrWithSnils], { runId: 'login-2' });
      expect(second.studentIds).toEqual([DEMO_IDS.petr]);
      expect(await pendingCandidates(store)).toEqual([]);
      expect(await store.get(candidateId(first.guardianId, DEMO_IDS.petr))).toMatchObject({ decision: 'merged', mergedInto: guardianLinkId(DEMO_IDS.petr, first.guardianId) });
      await expect(decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.petr), decision: 'reject', runId: 'review-1' }))
        .rejects.toThrow(/already decided \(merged\)/);
      expect(grantsAccess(await linkOf(first.guardianId), first.guardianId)).toBe(true);
    });

    it('a candidate rejected before the SNILS login stays rejected: the SNILS links nothing', async () => {
      const first = await linkChildren(store, parent, [petr], { runId: 'login-1' });
      expect(await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.petr), decision: 'reject', runId: 'review-1' })).toBe('rejected');
      expect(await linkChildren(store, parent, [petrWithSnils], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });
      expect(await linkOf(first.guardianId)).toBeNull();
    });

    it('rejecting a candidate left pending beside a link that grants access is refused, naming `review refuse`; the link still grants', async () => {
      // As an earlier version left it: the SNILS link written, the name-only candidate still pending.
      const first = await linkChildren(store, parent, [petr], { runId: 'login-1' });
      await store.upsert(verifiedGuardianLink(DEMO_IDS.petr, first.guardianId, '2026-01-02T00:00:00Z', 'old-login'), { runId: 'old-login' });
      const id = candidateId(first.guardianId, DEMO_IDS.petr);
      await expect(decideCandidate(store, { candidateId: id, decision: 'reject', runId: 'review-1' }))
        .rejects.toThrow(new RegExp(`already has access .*review refuse ${DEMO_IDS.petr} --guardian ${first.guardianId}`));
      expect(await store.get(id)).toMatchObject({ decision: 'pending' });
      expect(grantsAccess(await linkOf(first.guardianId), first.guardianId)).toBe(true);
      // The school's refusal is what takes access away, and it closes the candidate.
      await setLinkAccess(store, { studentId: DEMO_IDS.petr, guardianId: first.guardianId, access: 'none', runId: 'school' });
      expect(await pendingCandidates(store)).toEqual([]);
      expect(grantsAccess(await linkOf(first.guardianId), first.guardianId)).toBe(false);
    });

    it('a SNILS candidate raised by a refusal is settled by the link made once the refusal is lifted', async () => {
      // Another parent of Пётр was refused, so this parent's SNILS match waits (esia_kid_snils_after_refusal).
      const other = await linkChildren(store, { oid: 'other-parent', trusted: true }, [petrWithSnils], { runId: 'login-0' });
      await setLinkAccess(store, { studentId: DEMO_IDS.petr, guardianId: other.guardianId, access: 'none', runId: 'court-order' });
      const first = await linkChildren(store, parent, [petrWithSnils], { runId: 'login-1' });
      expect(first).toMatchObject({ studentIds: [], candidates: 1 });
      expect(await pendingCandidates(store)).toEqual([expect.objectContaining({ rule: SNILS_AFTER_REFUSAL_RULE })]);
      // The school lifts the refusal; the next login links by SNILS and closes the candidate with it.
      await setLinkAccess(store, { studentId: DEMO_IDS.petr, guardianId: other.guardianId, access: 'full', runId: 'school' });
      expect((await linkChildren(store, parent, [petrWithSnils], { runId: 'login-2' })).studentIds).toEqual([DEMO_IDS.petr]);
      expect(await pendingCandidates(store)).toEqual([]);
      await expect(decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.petr), decision: 'reject', runId: 'review-1' }))
        .rejects.toThrow(/already decided/);
    });
  });
});
