// A platform that lists no staff (ЭлЖур: teachers only as the teacher of a diary lesson): a teacher missing from a roster
// read — every teacher on 1 September, when the new year's diaries hold a day or two — is kept in the snapshot, never
// deleted by absence; a pupil missing from it is judged as before (src/sync/unlisted-staff.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityName } from '../../src/model/enums.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { planSnapshotDeletes, type SnapshotState } from '../../src/sync/snapshot-deletes.js';
import { keepUnlistedStaff } from '../../src/sync/unlisted-staff.js';

const run = { system: 'eljur', instance: 'ej', runId: 'r2', mapperVersion: '1' } as const;
const prov = { system: 'eljur' as const, instance: 'ej', fetchedAt: '2026-09-01T00:00:00Z', payloadHash: 'x', runId: 'r1', mapperVersion: '1' };
const ORG = '00000000-0000-4000-8000-0000000000c1';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rec = (entity: EntityName, n: number, sourceId: string, fields: Record<string, unknown>) =>
  buildRecord(entity, fields as never, { id: id(n), sourceRefs: [{ system: 'eljur', instance: 'ej', sourceId, kind: entity }], provenance: prov });
const person = (n: number, sourceId: string, familyName: string) =>
  rec('person', n, sourceId, { familyName, givenName: 'Тест', emails: [], phones: [], enabled: true, identifiers: [] });
const role = (n: number, personN: number, sourceId: string, r: string) =>
  rec('role_assignment', n, sourceId, { personId: id(personN), organizationId: ORG, role: r, isPrimary: true });

describe('staff of a platform that lists none', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const records: CanonicalRecord[] = [
      person(1, '901', 'Учителева'), role(2, 1, '901:subject_teacher', 'subject_teacher'),
      person(3, '301', 'Ученикова'), role(4, 3, '301:student', 'student'),
    ];
    await store.upsertMany(records, { runId: 'r1' });
    await store.link(records.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'eljur', instance: 'ej', sourceId: r.sourceRefs[0].sourceId, sourceIdKind: 'id', matchRule: 'natural_key' })), { runId: 'r1' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('a teacher the read did not show stays present; a pupil it did not show is missing as before', async () => {
    const before: SnapshotState = { present: { person: ['901', '301', '302'], role_assignment: ['901:subject_teacher', '301:student', '302:student'] }, misses: {} };
    // The read shows one pupil (302) and neither the teacher nor pupil 301.
    const present = new Map<EntityName, Set<string>>([['person', new Set(['302'])], ['role_assignment', new Set(['302:student'])]]);
    expect(await keepUnlistedStaff(store, run, before, present)).toBe(2);
    expect([...present.get('person')!].sort()).toEqual(['302', '901']);
    expect([...present.get('role_assignment')!].sort()).toEqual(['302:student', '901:subject_teacher']);
    // Planned as the roster sync plans it (a threshold of 1: the share of missing records refuses nothing here).
    const plan = planSnapshotDeletes({ ...before, misses: { 'person|301': 1, 'role_assignment|301:student': 1, 'person|901': 1, 'role_assignment|901:subject_teacher': 1 } }, present, 1, {});
    expect(plan.deletes.get('person')).toEqual(['301']);
    expect(plan.deletes.get('role_assignment')).toEqual(['301:student']);
  });

  it('a teacher who is also a pupil of the school is judged by the usual rule', async () => {
    await store.upsertMany([role(5, 1, '901:student', 'student')], { runId: 'r1' });
    const before: SnapshotState = { present: { person: ['901'], role_assignment: ['901:subject_teacher'] }, misses: {} };
    const present = new Map<EntityName, Set<string>>();
    await keepUnlistedStaff(store, run, before, present);
    expect([...(present.get('person') ?? [])]).toEqual([]);
    expect([...present.get('role_assignment')!]).toEqual(['901:subject_teacher']);
  });
});
