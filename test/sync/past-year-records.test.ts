// Which records of a roster snapshot leave it with their school year (past-year-records.ts): only those of a year the
// read has no class or group of, before the latest it has. ЭПОС lists next year's session as soon as it is set up; a
// June read of this year's groups then had "2027" as its year, and a pupil who really left a group this year was
// retired unseen instead of missing (found by review).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityName } from '../../src/model/enums.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { pastYearMissing, yearsOfRead } from '../../src/sync/past-year-records.js';
import type { SnapshotState } from '../../src/sync/snapshot-deletes.js';

const run = { system: 'epos', instance: 'e', runId: 'r1', mapperVersion: '1' } as const;
const prov = { system: 'epos' as const, instance: 'e', fetchedAt: '2026-06-10T00:00:00Z', payloadHash: 'x', runId: 'r0', mapperVersion: '1' };
const ID: Record<string, string> = {
  y26: '00000000-0000-4000-8000-000000000026', y27: '00000000-0000-4000-8000-000000000027', org: '00000000-0000-4000-8000-0000000000c1',
  c26: '00000000-0000-4000-8000-0000000000e1', s26: '00000000-0000-4000-8000-0000000000a1', e26: '00000000-0000-4000-8000-0000000000b1',
  c27: '00000000-0000-4000-8000-0000000000e2', s27: '00000000-0000-4000-8000-0000000000a2', sub: '00000000-0000-4000-8000-0000000000f1',
  pupil: '00000000-0000-4000-8000-0000000000d1',
};
const ENTITY: Record<string, EntityName> = { y26: 'academic_session', y27: 'academic_session', c26: 'homeroom_class', c27: 'homeroom_class', s26: 'section', s27: 'section', e26: 'enrollment' };
const make = (key: string, fields: Record<string, unknown>) => buildRecord(ENTITY[key], fields as never, { id: ID[key], sourceRefs: [{ system: 'epos', instance: 'e', sourceId: key, kind: ENTITY[key] }], provenance: prov });
const year = (key: 'y26' | 'y27', y: number) => make(key, { title: `${y - 1}/${y}`, kind: 'school_year', startDate: `${y - 1}-09-01`, endDate: `${y}-08-31`, schoolYear: y, organizationId: ID.org, isGradingPeriod: false });
const cls = (key: 'c26' | 'c27', yearKey: string) => make(key, { gradeLevel: 5, letter: 'А', title: '5А', academicYearId: ID[yearKey], organizationId: ID.org });
const section = (key: 's26' | 's27', classKey: string, yearKey: string) => make(key, { title: 'Математика', homeroomClassId: ID[classKey], subjectId: ID.sub, weeklyHours: 4, academicYearId: ID[yearKey] });
const records = { y26: year('y26', 2026), y27: year('y27', 2027), c26: cls('c26', 'y26'), c27: cls('c27', 'y27'), s26: section('s26', 'c26', 'y26'), s27: section('s27', 'c27', 'y27'),
  e26: make('e26', { sectionId: ID.s26, personId: ID.pupil, role: 'student', isPrimary: true, beginDate: '2025-09-01' }) };

describe('past-year records of a roster snapshot', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(Object.values(records), { runId: 'r0' });
    await store.link(Object.keys(records).map((k) => ({ entity: ENTITY[k], canonicalId: ID[k], system: 'epos', instance: 'e', sourceId: k, sourceIdKind: 'id', matchRule: 'natural_key' })), { runId: 'r0' });
  });
  afterEach(async () => {
    await store.close();
  });
  const previous: SnapshotState = { present: { academic_session: ['y26'], homeroom_class: ['c26'], section: ['s26'], enrollment: ['e26'] }, misses: {} };
  const retiredBy = async (read: CanonicalRecord[]) => {
    const present = new Map<EntityName, Set<string>>();
    for (const r of read) (present.get(r.entity) ?? present.set(r.entity, new Set()).get(r.entity)!).add(r.sourceRefs[0].sourceId);
    const years = await yearsOfRead(store, read);
    return years.latest === undefined ? new Map() : pastYearMissing(store, run, previous, present, { latest: years.latest, present: years.present });
  };

  it('a June read of this year\'s groups that lists next year\'s session too: a pupil who left a group is missing, not retired', async () => {
    const read = [records.y26, records.y27, records.c26, records.s26];
    expect(await yearsOfRead(store, read)).toEqual({ latest: 2026, present: new Set([2026]) });
    expect(await retiredBy(read)).toEqual(new Map());
  });

  it('a platform that still lists last year\'s groups beside the new year\'s: what last year lacks is missing', async () => {
    expect(await retiredBy([records.y26, records.y27, records.c26, records.s26, records.c27, records.s27])).toEqual(new Map());
  });

  it('the new year alone (1 September): last year\'s session, class, group and membership leave with their year', async () => {
    const read = [records.y27, records.c27, records.s27];
    expect((await yearsOfRead(store, read)).latest).toBe(2027);
    expect(await retiredBy(read)).toEqual(new Map<EntityName, Set<string>>([
      ['academic_session', new Set(['y26'])], ['homeroom_class', new Set(['c26'])], ['section', new Set(['s26'])], ['enrollment', new Set(['e26'])],
    ]));
  });

  it('a read with no class or group retires nothing', async () => {
    expect((await yearsOfRead(store, [records.y27])).latest).toBeUndefined();
  });
});
