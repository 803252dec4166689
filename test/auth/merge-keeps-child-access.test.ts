// A review finding, fixed: a parent whose link to a pupil the school confirmed (`review confirm`, name + birth date: no
// roster platform carries a SNILS — docs/platforms/*) lost the child when the operator merged that pupil's duplicate
// record into the other one (`review` person match). The merge tombstoned the confirmed link "so the next login links
// the winner again" (carrySchoolDecisions), but without a SNILS the next login only raised a new candidate: the school's
// confirmation was gone and the parent saw no child until someone confirmed again. A candidate waiting when the pupil
// was merged stayed on the tombstone, and confirming it linked the parent to the tombstone. Now a granting link is
// carried to the winner and a waiting candidate moves there (src/sync/merge-parent-access.ts). Synthetic data only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideCandidate, grantsAccess, guardianLinkId, linkChildren, pendingCandidates, setLinkAccess } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, naturalId, type CanonicalRecord, type GuardianLinkRecord } from '../../src/model/index.js';
import { UsageError } from '../../src/infra/operator-errors.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';

const SCHOOL = naturalId('merge-access', 'school');
const NEWER = naturalId('merge-access', 'pupil', 'newer');
const KNOWN = naturalId('merge-access', 'pupil', 'known');
const parent = { oid: '1000777001', trusted: true, familyName: 'Синтетова', givenName: 'Ольга' };
const kid: EsiaKid = { id: '1', firstName: 'Мария', lastName: 'Синтетова', birthDate: '2015-09-21', snils: '987-654-321 83' };
const prov = (system: 'dnevnik_ru' | 'asu_rso') => ({ system, instance: system, fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' });

/** A pupil as a platform reports it: names, a birth date where the platform has one, never a SNILS. */
function pupil(id: string, system: 'dnevnik_ru' | 'asu_rso', birthDate?: string): CanonicalRecord[] {
  return [
    buildRecord('person', {
      familyName: 'Синтетова', givenName: 'Мария', ...(birthDate ? { birthDate } : {}), enabled: true, gradeLevel: 4, emails: [], phones: [], identifiers: [],
    }, { id, sourceRefs: [{ system, instance: system, sourceId: `p-${id.slice(0, 6)}`, kind: 'id' }], provenance: prov(system) }),
    buildRecord('role_assignment', { personId: id, organizationId: SCHOOL, role: 'student', isPrimary: true }, {
      id: naturalId('merge-access', 'role', id), sourceRefs: [{ system, instance: system, sourceId: `r-${id.slice(0, 6)}`, kind: 'role' }], provenance: prov(system),
    }),
  ];
}

/** The operator merges the duplicate (newer, left) into the known record (right), as the review queue proposed. */
async function mergeNewerIntoKnown(store: CanonicalStore): Promise<void> {
  const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: NEWER, rightId: KNOWN, rule: 'name_similarity', score: 0.95, decision: 'pending', at: '2026-01-11T00:00:00Z' }, {
    id: naturalId('match_candidate', NEWER, KNOWN), sourceRefs: [{ system: 'dnevnik_ru', instance: 'dnevnik_ru', sourceId: 'm-1', kind: 'match' }], provenance: prov('dnevnik_ru'),
  });
  await store.upsertMany([cand], { runId: 'r' });
  await decidePersonMatch(store, cand.id, 'merge', 'review-merge', undefined, 'dnevnik_ru');
}

describe('a pupil merge keeps the access the school confirmed', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    // The known record: NetSchool's (names only, no birth date). The newer one: Дневник.ру's, with the birth date.
    await store.upsertMany([...pupil(KNOWN, 'asu_rso'), ...pupil(NEWER, 'dnevnik_ru', '2015-09-21')], { runId: 'sync' });
  });
  afterEach(async () => { await store.close(); });

  it('the parent still sees the child after the merge (the confirmed link follows the winner)', async () => {
    // First login: name + birth date name exactly one pupil (NEWER): a candidate; the school confirms it.
    const first = await linkChildren(store, parent, [kid], { runId: 'login-1' });
    expect(first).toMatchObject({ studentIds: [], candidates: 1 });
    const [c] = await pendingCandidates(store);
    await decideCandidate(store, { candidateId: c.id, decision: 'confirm', runId: 'review-confirm' });
    expect((await linkChildren(store, parent, [kid], { runId: 'login-2' })).studentIds).toEqual([NEWER]);

    // The operator merges the duplicate (newer, left) into the known record (right), as the review queue proposed.
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: NEWER, rightId: KNOWN, rule: 'name_similarity', score: 0.95, decision: 'pending', at: '2026-01-11T00:00:00Z' }, {
      id: naturalId('match_candidate', NEWER, KNOWN), sourceRefs: [{ system: 'dnevnik_ru', instance: 'dnevnik_ru', sourceId: 'm-1', kind: 'match' }], provenance: prov('dnevnik_ru'),
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'review-merge', undefined, 'dnevnik_ru');
    // The system of record's next sync (its crosswalk now points at KNOWN) writes the birth date onto the known record.
    await store.upsertMany(pupil(KNOWN, 'dnevnik_ru', '2015-09-21').slice(0, 1), { runId: 'sync-2' });

    // The same parent logs in again: the same child, the same school decision — the child is shown.
    const again = await linkChildren(store, parent, [kid], { runId: 'login-3' });
    expect(again).toMatchObject({ studentIds: [KNOWN], candidates: 0 });
  });

  it('a candidate waiting for review when the pupil is merged is decided for the winner, not for the tombstone', async () => {
    // The parent's login raised a candidate (name + birth date name only NEWER); the operator merges before deciding it.
    expect(await linkChildren(store, parent, [kid], { runId: 'login-1' })).toMatchObject({ studentIds: [], candidates: 1 });
    const [waiting] = await pendingCandidates(store);
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: NEWER, rightId: KNOWN, rule: 'name_similarity', score: 0.95, decision: 'pending', at: '2026-01-11T00:00:00Z' }, {
      id: naturalId('match_candidate', NEWER, KNOWN), sourceRefs: [{ system: 'dnevnik_ru', instance: 'dnevnik_ru', sourceId: 'm-1', kind: 'match' }], provenance: prov('dnevnik_ru'),
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'review-merge', undefined, 'dnevnik_ru');
    await store.upsertMany(pupil(KNOWN, 'dnevnik_ru', '2015-09-21').slice(0, 1), { runId: 'sync-2' });
    // The school confirms the candidate still listed in `review` (it names the merged-away record): 'linked'.
    expect(await decideCandidate(store, { candidateId: waiting.id, decision: 'confirm', runId: 'review-confirm' })).toBe('linked');
    // The confirmation gives the parent the child (the winner); before the fix, a link to the tombstone and a new candidate.
    expect(await linkChildren(store, parent, [kid], { runId: 'login-2' })).toMatchObject({ studentIds: [KNOWN] });
  });
  it('the carried link keeps who confirmed it and when', async () => {
    const admin = naturalId('merge-access', 'person', 'admin');
    await linkChildren(store, parent, [kid], { runId: 'login-1' });
    const [c] = await pendingCandidates(store);
    await decideCandidate(store, { candidateId: c.id, decision: 'confirm', decidedBy: admin, runId: 'review-confirm', at: '2026-01-10T12:00:00Z' });
    const guardianId = c.guardianId;
    await mergeNewerIntoKnown(store);
    const carried = (await store.get(guardianLinkId(KNOWN, guardianId))) as GuardianLinkRecord;
    expect(grantsAccess(carried, guardianId)).toBe(true);
    expect(carried).toMatchObject({ verifiedAt: '2026-01-10T12:00:00Z', verifiedBy: admin });
    expect((await store.get(guardianLinkId(NEWER, guardianId)))?.status).toBe('deleted');
  });

  it('the winner\'s own decision for the parent stands: a refusal there is not overridden by the merged record\'s access', async () => {
    await linkChildren(store, parent, [kid], { runId: 'login-1' });
    const [c] = await pendingCandidates(store);
    await decideCandidate(store, { candidateId: c.id, decision: 'confirm', runId: 'review-confirm' });
    await setLinkAccess(store, { studentId: KNOWN, guardianId: c.guardianId, access: 'none', runId: 'review-refuse' });
    await mergeNewerIntoKnown(store);
    expect(grantsAccess((await store.get(guardianLinkId(KNOWN, c.guardianId))) as GuardianLinkRecord, c.guardianId)).toBe(false);
    await store.upsertMany(pupil(KNOWN, 'dnevnik_ru', '2015-09-21').slice(0, 1), { runId: 'sync-2' });
    expect(await linkChildren(store, parent, [kid], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });
  });

  it('a waiting candidate moves to the winner and leaves the queue only once', async () => {
    await linkChildren(store, parent, [kid], { runId: 'login-1' });
    await mergeNewerIntoKnown(store);
    const queue = await pendingCandidates(store);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ studentId: KNOWN });
  });

  it('a candidate whose pupil has left the store is not confirmed (nothing linked); a rejection closes it', async () => {
    await linkChildren(store, parent, [kid], { runId: 'login-1' });
    const [c] = await pendingCandidates(store);
    await store.deleteRecord('person', NEWER, { runId: 'roster', reason: 'snapshot_absent' }); // the pupil leaves the school
    const confirming = decideCandidate(store, { candidateId: c.id, decision: 'confirm', runId: 'review-confirm' });
    await expect(confirming).rejects.toThrow(UsageError);
    await expect(decideCandidate(store, { candidateId: c.id, decision: 'confirm', runId: 'review-confirm' })).rejects.toThrow(new RegExp(`pupil ${NEWER} is no longer in the store`));
    expect(await store.get(guardianLinkId(NEWER, c.guardianId))).toBeNull();
    expect(await decideCandidate(store, { candidateId: c.id, decision: 'reject', runId: 'review-reject' })).toBe('rejected');
    expect(await pendingCandidates(store)).toEqual([]);
  });
});
