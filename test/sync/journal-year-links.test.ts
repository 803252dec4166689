// Which journal records the school-year check of a kept group id holds: only those whose group is of an earlier year
// (the record's own year's roster read will link the id). One whose group is of a later year, with no record of its own
// year holding the id (a lesson typed into the new year's group on 30 August), is stored as mapped: held, it would
// wait for good and keep the system of record's journal deletes refused.
import { describe, expect, it } from 'vitest';
import type { Mapper } from '../../src/connectors/mapping.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { mapInTheirYear } from '../../src/sync/journal-year-links.js';
import type { ResolvedMapping, RunIdentity } from '../../src/sync/reference-resolver.js';

const run = { system: 'dnevnik_ru', instance: 'dn', runId: 'r1', mapperVersion: 't' } as RunIdentity;
const rec = (r: Record<string, unknown>) => ({ status: 'active', sourceRefs: [], ...r }) as unknown as CanonicalRecord;
const stored = new Map<string, CanonicalRecord>([
  ['y2026', rec({ id: 'y2026', entity: 'academic_session', kind: 'school_year', schoolYear: 2026, startDate: '2025-09-01', endDate: '2026-05-31' })],
  ['y2027', rec({ id: 'y2027', entity: 'academic_session', kind: 'school_year', schoolYear: 2027, startDate: '2026-09-01', endDate: '2027-05-31' })],
  ['old-group', rec({ id: 'old-group', entity: 'section', academicYearId: 'y2026' })],
  ['new-group', rec({ id: 'new-group', entity: 'section', academicYearId: 'y2027' })],
]);
const store = {
  getMany: async (ids: readonly string[]) => new Map(ids.filter((id) => stored.has(id)).map((id) => [id, stored.get(id)!])),
  linkHistory: async () => new Map<string, string[]>(),
  resolve: async () => new Map<string, string>(),
};
const unusedMapper = { map: () => { throw new Error('no second mapping expected: no record of the other year holds the id'); } } as unknown as Mapper;

function read(lessons: { id: string; date: string; sectionId: string; platformGroup: string }[]): ResolvedMapping {
  const crosswalk = new Map(lessons.map((l) => [`section|${l.platformGroup}`, l.sectionId]));
  return { mapped: [{ records: lessons.map((l) => rec({ id: l.id, entity: 'lesson', date: l.date, sectionId: l.sectionId })), quarantine: [] }], asked: new Map(), crosswalk } as unknown as ResolvedMapping;
}

describe('the school-year check of a journal read', () => {
  it('holds a new-year lesson whose kept group id still names last year\'s group (roster not read yet)', async () => {
    const { held } = await mapInTheirYear(store, unusedMapper, [], run, new Map(), read([{ id: 'l1', date: '2026-09-02', sectionId: 'old-group', platformGroup: 'G' }]));
    expect([...held.entries()].map(([id, h]) => [id, h.reason])).toEqual([['l1', 'kept group id on 2025/2026, 2026/2027 roster not read']]);
  });

  it('stores as mapped a lesson dated before its later-year group\'s year, with no record of its own year for the id', async () => {
    const { held } = await mapInTheirYear(store, unusedMapper, [], run, new Map(), read([{ id: 'l2', date: '2026-08-30', sectionId: 'new-group', platformGroup: 'H' }]));
    expect(held.size).toBe(0);
  });

  it('holds nothing where every group is of its lesson\'s year', async () => {
    const { held } = await mapInTheirYear(store, unusedMapper, [], run, new Map(), read([
      { id: 'l3', date: '2025-10-01', sectionId: 'old-group', platformGroup: 'G' }, { id: 'l4', date: '2026-10-01', sectionId: 'new-group', platformGroup: 'H' },
    ]));
    expect(held.size).toBe(0);
  });
});
