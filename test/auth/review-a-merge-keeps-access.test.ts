// review-a (FAILS ON PURPOSE: a defect found by review, not yet fixed). A parent whose link to a pupil an administrator
// confirmed (`review confirm`, name + birth date: no roster platform carries a SNILS — docs/platforms/*) loses the child
// when the operator merges that pupil's duplicate record into the other one (`review` person match). The merge
// tombstones the confirmed link "so the next login links the winner again" (review.ts carrySchoolDecisions), but
// without a SNILS the next login only raises a new candidate: the school's confirmation is gone and the parent sees
// no child until someone confirms again. Synthetic data only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideCandidate, linkChildren, pendingCandidates } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, naturalId, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';

const SCHOOL = naturalId('review-a', 'school');
const NEWER = naturalId('review-a', 'pupil', 'newer');
const KNOWN = naturalId('review-a', 'pupil', 'known');
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
      id: naturalId('review-a', 'role', id), sourceRefs: [{ system, instance: system, sourceId: `r-${id.slice(0, 6)}`, kind: 'role' }], provenance: prov(system),
    }),
  ];
}

describe('review-a: a pupil merge keeps the access the school confirmed', () => {
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

    // The same parent logs in again: the same child, the same school decision. Expected: the child is shown.
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
    // Expected: the confirmation gives the parent the child (the winner). Actual: a link to the tombstone, and a new candidate.
    expect(await linkChildren(store, parent, [kid], { runId: 'login-2' })).toMatchObject({ studentIds: [KNOWN] });
  });
});
