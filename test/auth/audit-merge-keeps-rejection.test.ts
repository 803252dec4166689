// Audit (suspected, see report): an administrator's rejection of a wrong pupil is keyed on the pupil's record;
// a merge of that pupil's duplicate records tombstones it and the rejection does not follow to the winner.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { candidateId, decideCandidate, linkChildren } from '../../src/auth/children.js';
import type { EsiaKid } from '../../src/auth/esia/client.js';
import { buildRecord, naturalId, type PersonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';

const parent = { oid: '1000299654', trusted: true, familyName: 'Синтетова', givenName: 'Ольга' };
const ivan: EsiaKid = { id: '1', firstName: 'Иван', lastName: 'Синтетов', birthDate: '2012-03-05', snils: '123-456-789 64' };
const prov = { system: 'asu_rso' as const, instance: 'emu', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const KNOWN = naturalId('audit', 'pupil', 'petr-known');
const petrKnown = (snils?: string) => buildRecord('person', {
  familyName: 'Посторонний', givenName: 'Пётр', birthDate: '2012-06-01', enabled: true, gradeLevel: 7, emails: [], phones: [],
  identifiers: snils ? [{ kind: 'snils', value: snils, verified: true }] : [],
}, { id: KNOWN, sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'p-2', kind: 'id' }], provenance: prov });

describe('a merge of the rejected pupil\'s duplicate records', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
    await store.upsertMany([petrKnown(), buildRecord('role_assignment', { personId: KNOWN, organizationId: DEMO_IDS.school, role: 'student', isPrimary: true }, { id: naturalId('audit', 'role', KNOWN), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'p-2:student', kind: 'role' }], provenance: prov })], { runId: 'sync-b' });
    // Пётр (another family's pupil) carries Иван's SNILS by mistake (R-28).
    const twin = demoSchoolRecords().find((r) => r.id === DEMO_IDS.petr) as PersonRecord;
    const { entity: _e, id: _i, version: _v, updatedAt: _u, contentHash: _c, sourceRefs, provenance, status: _s, ...fields } = twin;
    await store.upsert(buildRecord('person', { ...fields, identifiers: [{ kind: 'snils', value: '12345678964', verified: true }] }, { id: DEMO_IDS.petr, sourceRefs, provenance }), { runId: 'dup' });
  });
  afterEach(async () => { await store.close(); });

  it('keeps the wrong pupil rejected when the SNILS later names only the merged record', async () => {
    const first = await linkChildren(store, parent, [ivan], { runId: 'login-1' });
    expect(first).toMatchObject({ studentIds: [], ambiguous: 1 });
    await decideCandidate(store, { candidateId: candidateId(first.guardianId, DEMO_IDS.petr), decision: 'reject', runId: 'review-1' });
    const cand = buildRecord('match_candidate', { candidateEntity: 'person', leftId: DEMO_IDS.petr, rightId: KNOWN, rule: 'composite_duplicate', score: 1, decision: 'pending', at: prov.fetchedAt }, {
      id: naturalId('match_candidate', DEMO_IDS.petr, KNOWN), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'm-2', kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([cand], { runId: 'r' });
    await decidePersonMatch(store, cand.id, 'merge', 'review-2');
    await store.upsert(petrKnown('12345678964'), { runId: 'sync-c' }); // the mistaken SNILS follows the platform's pupil
    await store.deleteRecord('person', DEMO_IDS.ivan, { runId: 'roster', reason: 'snapshot_absent' }); // Иван leaves
    const again = await linkChildren(store, parent, [ivan], { runId: 'login-2' });
    expect(again.studentIds).toEqual([]);
  });
});
