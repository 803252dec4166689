// Roster sync's delete guards end to end (canonical-model.md §C.2 item 4, docs/sync.md "Deletes"): a read that lost
// a page deletes nobody, an empty answer deletes nothing, and a pupil re-keyed by the platform keeps their record —
// also on an instance serving two schools and after a run that failed part-way. A stand-in connector serves the
// pages (synthetic names), so each case can break exactly one page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { canonicalIdFor, provenanceFor, sourceRef, type Mapper } from '../../src/connectors/mapping.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { rosterSync } from '../../src/sync/roster-sync.js';
import { formatSummary } from '../../src/sync/run-summary.js';

type Pupil = { id: string; family: string; given: string; birthDate: string };
type Roster = { pupils: Pupil[]; classes: string[]; brokenPages?: number[]; empty?: boolean };

const YEAR = '7a0c1b8e-0000-4000-8000-000000000001';
const FAMILIES = ['Тестов', 'Пробин', 'Образцов', 'Примеров', 'Макетов', 'Шаблонов', 'Черновиков', 'Списков', 'Строков', 'Полев'];
const pupilsOf = (n: number, prefix: string): Pupil[] => Array.from({ length: n }, (_, i) => ({
  id: `${prefix}${i}`, family: FAMILIES[i % 10], given: ['Иван', 'Глеб', 'Олег', 'Марк'][Math.floor(i / 10) % 4], birthDate: `2014-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
}));

const mapper: Mapper = (route, payload, ctx) => {
  const p = payload as { broken?: boolean; classes?: string[]; pupils?: Pupil[] };
  if (p.broken) return { records: [], quarantine: [{ route, reason: 'payload does not match the schema' }] };
  const prov = provenanceFor(ctx, ctx.payloadHash ?? 'x');
  const school = canonicalIdFor(ctx, 'organization', ctx.ids.school);
  const out: CanonicalRecord[] = [];
  for (const c of p.classes ?? []) {
    out.push(buildRecord('homeroom_class', { gradeLevel: Number(c[0]), letter: c.slice(1), title: c, academicYearId: YEAR, organizationId: school },
      { id: canonicalIdFor(ctx, 'homeroom_class', c), sourceRefs: [sourceRef(ctx, 'id', c)], provenance: prov }));
  }
  for (const x of p.pupils ?? []) {
    const id = canonicalIdFor(ctx, 'person', x.id);
    out.push(buildRecord('person', { familyName: x.family, givenName: x.given, birthDate: x.birthDate, enabled: true, identifiers: [] }, { id, sourceRefs: [sourceRef(ctx, 'id', x.id)], provenance: prov }));
    out.push(buildRecord('role_assignment', { personId: id, organizationId: school, role: 'student', isPrimary: true },
      { id: canonicalIdFor(ctx, 'role_assignment', `${x.id}:student`), sourceRefs: [sourceRef(ctx, 'id', `${x.id}:student`)], provenance: prov }));
  }
  return { records: out, quarantine: [] };
};

/** Classes in one page, pupils in pages of 10 (page 1, 2, …); a broken page answers something the mapper refuses. */
const connector = (roster: () => Roster, schoolSourceId: string): Connector => ({
  declaration: {} as Connector['declaration'],
  open: async () => {},
  close: async () => {},
  async *readSchool(): AsyncIterable<PlatformBatch> {
    const r = roster();
    if (r.empty) return;
    const context = { timeZone: 'Europe/Samara', ids: { school: schoolSourceId }, fetchedAt: new Date().toISOString() };
    yield { route: 'classes', payload: r.brokenPages?.includes(0) ? { broken: true } : { classes: r.classes }, context } as PlatformBatch;
    for (let i = 0, page = 1; i < r.pupils.length; i += 10, page++) {
      yield { route: 'pupils', payload: r.brokenPages?.includes(page) ? { broken: true } : { pupils: r.pupils.slice(i, i + 10) }, context } as PlatformBatch;
    }
  },
} as unknown as Connector);

describe('roster sync: what a read must prove before anything is deleted', () => {
  let store: CanonicalStore;
  let n = 0;
  const sync = (schoolId: string, roster: Roster, acceptDeletes?: number) => rosterSync({
    store, connector: connector(() => roster, `src-${schoolId}`), mapper,
    run: { system: 'dnevnik_ru', instance: 'dn', runId: `run-${++n}`, mapperVersion: 't' },
    school: { id: schoolId, sourceId: `src-${schoolId}`, timeZone: 'Europe/Samara' },
    authoritative: true, window: { from: '2025-09-01', to: '2025-09-30' }, deleteThreshold: 0.1, ...(acceptDeletes !== undefined ? { acceptDeletes } : {}),
  });
  const active = async (entity: 'person' | 'homeroom_class') => {
    let count = 0;
    for await (const _ of store.iterate(entity, { status: 'active' })) count++;
    return count;
  };
  beforeEach(async () => { store = await openStore({ databaseUrl: null, dataDir: 'memory://' }); });
  afterEach(async () => { await store.close(); });

  it('a page that could not be read deletes nobody, however many nights it fails', async () => {
    const roster = { pupils: pupilsOf(100, 'p'), classes: ['5А', '5Б', '6А', '6Б', '7А'] };
    await sync('A', roster);
    for (let night = 0; night < 3; night++) {
      const s = await sync('A', { ...roster, brokenPages: [3] });
      expect(s).toMatchObject({ deleted: 0, missingOnce: 0 });
      expect(s.quarantined).toBeGreaterThan(0);
      expect(s.deletesRefused).toMatch(/partial read/);
    }
    expect(await active('person')).toBe(100);
    const classesBroken = await sync('A', { ...roster, brokenPages: [0] });
    expect(classesBroken.deleted).toBe(0);
    expect(await active('homeroom_class')).toBe(5);
    // Once the page reads again, a pupil who really left goes after two misses, as before.
    const left = { ...roster, pupils: roster.pupils.slice(1) };
    expect((await sync('A', left)).missingOnce).toBe(2); // the pupil and their role assignment
    expect((await sync('A', left)).deleted).toBeGreaterThan(0);
    expect(await active('person')).toBe(99);
  });

  it('an empty answer deletes nothing: no class goes at once because the pupils only count as missing', async () => {
    await sync('A', { pupils: pupilsOf(60, 'p'), classes: ['5А', '5Б', '6А', '6Б', '7А', '7Б'] });
    const s = await sync('A', { pupils: [], classes: [], empty: true });
    expect(s.deleted).toBe(0);
    // 60 pupils, their 60 role assignments, 6 classes
    expect(s.deletesRefused).toMatch(/126 of 126 records of the scope are missing/);
    expect(await active('homeroom_class')).toBe(6);
  });

  it('a pupil re-keyed by the platform keeps their record on an instance serving two schools', async () => {
    const a = pupilsOf(40, 'a');
    const b = pupilsOf(40, 'b').map((p) => ({ ...p, family: `${p.family}а`, birthDate: '2012-02-02' }));
    await sync('A', { pupils: a, classes: ['5А'] });
    await sync('B', { pupils: b, classes: ['6Б'] });
    const before = (await store.resolve('dnevnik_ru', 'dn', 'person', ['a5'])).get('a5')!;
    const rekeyed = a.map((p) => (p.id === 'a5' ? { ...p, id: 'a5-new' } : p));
    expect((await sync('A', { pupils: rekeyed, classes: ['5А'] })).keyChangesHeld).toBe(1); // until the second miss
    await sync('B', { pupils: b, classes: ['6Б'] });
    expect((await sync('A', { pupils: rekeyed, classes: ['5А'] })).keyChanges).toBe(1);
    for (let night = 0; night < 2; night++) await sync('A', { pupils: rekeyed, classes: ['5А'] });
    await expectStillThePupil(before);
  });

  /** The re-keyed pupil is the same canonical person, active, under the new platform id only. */
  const expectStillThePupil = async (before: string) => {
    expect((await store.resolve('dnevnik_ru', 'dn', 'person', ['a5-new'])).get('a5-new')).toBe(before);
    expect((await store.get(before))?.status).toBe('active');
    expect((await store.resolve('dnevnik_ru', 'dn', 'person', ['a5'])).has('a5')).toBe(false);
  };

  it('a run that failed part-way is retried with the same earlier ids, so the key change is still seen', async () => {
    const a = pupilsOf(40, 'a');
    await sync('A', { pupils: a, classes: ['5А'] });
    const before = (await store.resolve('dnevnik_ru', 'dn', 'person', ['a5'])).get('a5')!;
    const rekeyed = a.map((p) => (p.id === 'a5' ? { ...p, id: 'a5-new' } : p));
    expect((await sync('A', { pupils: rekeyed, classes: ['5А'] })).keyChangesHeld).toBe(1); // until the second miss
    const changeKey = store.changeKey.bind(store);
    store.changeKey = async () => { throw new Error('connection lost'); };
    await expect(sync('A', { pupils: rekeyed, classes: ['5А'] })).rejects.toThrow('connection lost');
    store.changeKey = changeKey;
    expect((await sync('A', { pupils: rekeyed, classes: ['5А'] })).keyChanges).toBe(1);
    for (let night = 0; night < 2; night++) await sync('A', { pupils: rekeyed, classes: ['5А'] });
    await expectStillThePupil(before);
  });

  it('a rollover above the threshold goes through once the operator accepts the count the refused run reported', async () => {
    const roster = { pupils: pupilsOf(100, 'p'), classes: ['5А', '5Б', '6А', '6Б', '7А'] };
    await sync('A', roster);
    // The year's leavers (20 pupils) and a class gone at once: 41 of 205 records, 20% > 10%.
    const rolled = { pupils: roster.pupils.slice(20), classes: roster.classes.slice(1) };
    const refused = await sync('A', rolled);
    expect(refused).toMatchObject({ deleted: 0, deletesToAccept: 41 });
    expect(formatSummary(refused)).toContain('journal-gateway sync roster --config FILE --school A --instance dn --accept-deletes 41');
    const accepted = await sync('A', rolled, 41);
    expect(accepted.deletesRefused).toBeUndefined();
    expect(accepted.deleted).toBe(1); // the class now; pupils keep the missing-twice rule
    expect(await active('homeroom_class')).toBe(4);
    expect(await active('person')).toBe(100);
    const next = await sync('A', rolled); // the scheduled run: no acceptance needed again
    expect(next.deletesRefused).toBeUndefined();
    expect(await active('person')).toBe(80);
  });
});
