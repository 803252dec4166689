// Which records of a read take another school year's id (other-year-ids.ts): a platform that keeps a class's, subject's
// or group's id across years maps the new year's record onto last year's. Found whether the id came from the stored
// link or from the platform-scoped fallback (a run that failed after closing the link, retried), and only across years.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityName } from '../../src/model/enums.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { closeOtherYearLinks, idsOfAnotherYear, yearScopedId } from '../../src/sync/other-year-ids.js';

const run = { system: 'epos', instance: 'e', runId: 'r1', mapperVersion: '1' } as const;
const prov = { system: 'epos' as const, instance: 'e', fetchedAt: '2026-09-01T00:00:00Z', payloadHash: 'x', runId: 'r0', mapperVersion: '1' };
const ID = {
  y26: '00000000-0000-4000-8000-000000000026', y27: '00000000-0000-4000-8000-000000000027', org: '00000000-0000-4000-8000-0000000000c1',
  cls: '00000000-0000-4000-8000-0000000000e1', sub: '00000000-0000-4000-8000-0000000000f1', grp: '00000000-0000-4000-8000-0000000000a1',
  mem: '00000000-0000-4000-8000-0000000000b1', pupil: '00000000-0000-4000-8000-0000000000d1',
};
type Key = keyof typeof ID;
const ENTITY: Partial<Record<Key, EntityName>> = { y26: 'academic_session', y27: 'academic_session', cls: 'homeroom_class', sub: 'subject', grp: 'section', mem: 'enrollment' };
const make = (key: Key, fields: Record<string, unknown>) =>
  buildRecord(ENTITY[key]!, fields as never, { id: ID[key], sourceRefs: [{ system: 'epos', instance: 'e', sourceId: key, kind: ENTITY[key]! }], provenance: prov });
const session = (key: 'y26' | 'y27', y: number) => make(key, { title: `${y - 1}/${y}`, kind: 'school_year', startDate: `${y - 1}-09-01`, endDate: `${y}-08-31`, schoolYear: y, organizationId: ID.org, isGradingPeriod: false });
/** A year's class, subject, group and membership under the same ids: what a platform keeping its ids lists. */
const yearOf = (y: 'y26' | 'y27', grade: number, schoolYear: number): CanonicalRecord[] => [
  make('cls', { gradeLevel: grade, letter: 'А', title: `${grade}А`, academicYearId: ID[y], organizationId: ID.org }),
  make('sub', { code: 'математика', title: 'Математика', organizationId: ID.org, schoolYear }),
  make('grp', { title: 'Математика', homeroomClassId: ID.cls, subjectId: ID.sub, weeklyHours: 4, academicYearId: ID[y] }),
  make('mem', { sectionId: ID.grp, personId: ID.pupil, role: 'student', isPrimary: true, beginDate: `${schoolYear - 1}-09-01` }),
];
const KEPT = ['cls', 'sub', 'grp', 'mem'] as const;

describe('records of a read under another school year\'s id', () => {
  let store: CanonicalStore;
  const crosswalk = new Map(KEPT.map((k) => [`${ENTITY[k]}|${k}`, ID[k]]));
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const old = [session('y26', 2026), ...yearOf('y26', 5, 2026)];
    await store.upsertMany(old, { runId: 'r0' });
    await store.link(old.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'e', sourceId: r.sourceRefs[0].sourceId, sourceIdKind: 'id', matchRule: 'natural_key' })), { runId: 'r0' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('the new year under kept ids: its class, subject, group and membership, each given a year-scoped id', async () => {
    const found = await idsOfAnotherYear(store, run, [session('y27', 2027), ...yearOf('y27', 6, 2027)], crosswalk);
    expect([...found.keys()].sort()).toEqual(KEPT.map((k) => ID[k]).sort());
    for (const k of KEPT) {
      expect(found.get(ID[k])).toEqual({ entity: ENTITY[k], sourceId: k, was: ID[k], year: 2027, fresh: yearScopedId(run, ENTITY[k]!, k, 2027), linked: true });
    }
    // Closed, not removed: the old records keep their closed rows, and the ids are free for the new year's.
    expect(await closeOtherYearLinks(store, run, found)).toBe(4);
    for (const k of KEPT) {
      expect((await store.resolve('epos', 'e', ENTITY[k]!, [k])).size, k).toBe(0);
      expect((await store.crosswalkFor(ID[k])).map((r) => r.validTo !== null), k).toEqual([true]);
    }
  });

  it('a run retried after the links were closed: the mapper\'s platform-scoped id names last year\'s record again, found the same', async () => {
    for (const k of KEPT) await store.closeCrosswalk('epos', 'e', ENTITY[k]!, k, {});
    // No stored link answers now: the read's records come under the ids the mapper falls back on, last year's.
    const found = await idsOfAnotherYear(store, run, [session('y27', 2027), ...yearOf('y27', 6, 2027)], new Map());
    expect([...found.values()].map((o) => [o.fresh, o.linked])).toEqual(KEPT.map((k) => [yearScopedId(run, ENTITY[k]!, k, 2027), false]));
    expect(await closeOtherYearLinks(store, run, found)).toBe(0);
  });

  it('the same year read again (a class retitled) is not another year\'s', async () => {
    const again = yearOf('y26', 5, 2026).map((r) => (r.entity === 'homeroom_class' ? { ...r, title: '5 А' } as CanonicalRecord : r));
    expect(await idsOfAnotherYear(store, run, [session('y26', 2026), ...again], crosswalk)).toEqual(new Map());
  });

  it('a term whose id the platform kept: this year\'s content of the read decides the year of what hangs on it', async () => {
    // The year session's id kept too: the read's own session (2027) answers, not the stored one (2026).
    const kept = { ...session('y26', 2026), title: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31', schoolYear: 2027 } as CanonicalRecord;
    const found = await idsOfAnotherYear(store, run, [kept, ...yearOf('y26', 6, 2027)], crosswalk);
    expect([...found.keys()].sort()).toEqual([ID.y26, ...KEPT.map((k) => ID[k])].sort());
  });
});
