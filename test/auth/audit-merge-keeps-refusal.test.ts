// Audit: the school's decision on a parent and a pupil (`review refuse`) must survive the operator merging that pupil's
// duplicate record (`review` person match, src/sync/review.ts): the merge tombstones the newer record's guardian links
// "so the next sync makes them anew under the winner" — but a login link is not made by a sync, and a refusal is
// never made again at all. Synthetic school only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardianLinkId, linkChildren, setLinkAccess } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, naturalId, type PersonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';

const parent = { oid: '1000299654', trusted: true, familyName: 'Синтетова', givenName: 'Ольга' };
const maria: EsiaKid = { id: '2', firstName: 'Мария', lastName: 'Синтетова', birthDate: '2015-09-21', snils: '987-654-321 83' };
const prov = { system: 'asu_rso' as const, instance: 'emu', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const KNOWN = naturalId('audit', 'pupil', 'maria-known');

/** The pupil's record as the other platform has it: the same child, known first, without SNILS until its next sync. */
const known = (snils?: string) => buildRecord('person', {
  familyName: 'Синтетова', givenName: 'Мария', birthDate: '2015-09-21', enabled: true, gradeLevel: 4, emails: [], phones: [],
  identifiers: snils ? [{ kind: 'snils', value: snils, verified: true }] : [],
}, { id: KNOWN, sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'p-1', kind: 'id' }], provenance: prov });

describe('a merge of a pupil\'s duplicate records keeps the school\'s refusal', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
    await store.upsertMany([
      known(),
      buildRecord('role_assignment', { personId: KNOWN, organizationId: DEMO_IDS.school, role: 'student', isPrimary: true }, { id: naturalId('audit', 'role', KNOWN), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'p-1:student', kind: 'role' }], provenance: prov }),
    ], { runId: 'sync-b' });
  });
  afterEach(async () => { await store.close(); });

  it('a parent refused on the merged record does not get the pupil back by the next login', async () => {
    // The parent's login links the record that carries the child's SNILS (the demo pupil), and the school refuses them.
    const first = await linkChildren(store, parent, [maria], { runId: 'login-1' });
    expect(first.studentIds).toEqual([DEMO_IDS.maria]);
    await setLinkAccess(store, { studentId: DEMO_IDS.maria, guardianId: first.guardianId, access: 'none', runId: 'court-order' });
    expect(await linkChildren(store, parent, [maria], { runId: 'login-2' })).toMatchObject({ studentIds: [], declined: 1 });

    // The operator merges the newer record (left) into the known one (right), as the review queue proposed.
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: DEMO_IDS.maria, rightId: KNOWN, rule: 'composite_duplicate', score: 1, decision: 'pending', at: prov.fetchedAt }, {
      id: naturalId('match_candidate', DEMO_IDS.maria, KNOWN), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'm-1', kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'review-1');
    // The next sync writes the child's SNILS onto the known record (the crosswalk now maps the platform's pupil there).
    await store.upsert(known('98765432183'), { runId: 'sync-c' });
    expect(((await store.get(KNOWN)) as PersonRecord).identifiers).toHaveLength(1);

    // The refused parent logs in again: the school's refusal must still stand.
    const again = await linkChildren(store, parent, [maria], { runId: 'login-3' });
    expect(again.studentIds).toEqual([]);
    // Nor through the other provider: the refusal now names the known record, so such a first link waits for review.
    expect(await linkChildren(store, { oid: 'sso-parent-audit', instance: 'oidc', trusted: true }, [maria], { runId: 'login-4' })).toMatchObject({ studentIds: [], candidates: 1 });
  });

  it('a link the school deleted on the merged record stays the school\'s decision for the known record', async () => {
    const first = await linkChildren(store, parent, [maria], { runId: 'login-1' });
    await store.deleteRecord('guardian_link', guardianLinkId(DEMO_IDS.maria, first.guardianId), { runId: 'school', reason: 'manual' });
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: DEMO_IDS.maria, rightId: KNOWN, rule: 'composite_duplicate', score: 1, decision: 'pending', at: prov.fetchedAt }, {
      id: naturalId('match_candidate', DEMO_IDS.maria, KNOWN), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'm-1', kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'review-1');
    await store.upsert(known('98765432183'), { runId: 'sync-c' });
    expect((await linkChildren(store, parent, [maria], { runId: 'login-2' })).studentIds).toEqual([]);
  });

  it('a parent not refused gets the known record at the next login (the merge takes nothing from them)', async () => {
    const first = await linkChildren(store, parent, [maria], { runId: 'login-1' });
    expect(first.studentIds).toEqual([DEMO_IDS.maria]);
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: DEMO_IDS.maria, rightId: KNOWN, rule: 'composite_duplicate', score: 1, decision: 'pending', at: prov.fetchedAt }, {
      id: naturalId('match_candidate', DEMO_IDS.maria, KNOWN), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'm-1', kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'review-1');
    await store.upsert(known('98765432183'), { runId: 'sync-c' });
    expect((await linkChildren(store, parent, [maria], { runId: 'login-2' })).studentIds).toEqual([KNOWN]);
  });
});
