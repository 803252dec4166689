// Snapshot deletes never take a record that is present: a class the platform re-created under a new id (same title,
// matched by natural key onto the same canonical class), or a pupil who moved to another school of the same platform
// instance (present in that school's roster every night). Before, the old id's absence tombstoned the class at once,
// and the old school's second miss tombstoned the person until the new school's next run restored them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { canonicalIdFor, provenanceFor, sourceRef, type Mapper } from '../../src/connectors/mapping.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { rosterSync } from '../../src/sync/roster-sync.js';

type Pupil = { id: string; family: string; given: string; middle: string; birthDate: string };
type Klass = { id: string; title: string };
const YEAR = '7a0c1b8e-0000-4000-8000-000000000001';

/** A platform's roster as persons, student roles and classes (enough for the snapshot rules). */
const mapper: Mapper = (_route, payload, ctx) => {
  const prov = provenanceFor(ctx, ctx.payloadHash ?? 'x');
  const school = canonicalIdFor(ctx, 'organization', ctx.ids.school);
  const out: CanonicalRecord[] = [];
  const pl = payload as { pupils: Pupil[]; classes: Klass[] };
  for (const c of pl.classes) {
    out.push(buildRecord('homeroom_class', { gradeLevel: Number(c.title[0]), letter: c.title.slice(1), title: c.title, academicYearId: YEAR, organizationId: school },
      { id: canonicalIdFor(ctx, 'homeroom_class', c.id), sourceRefs: [sourceRef(ctx, 'id', c.id)], provenance: prov }));
  }
  for (const x of pl.pupils) {
    const id = canonicalIdFor(ctx, 'person', x.id);
    out.push(buildRecord('person', { familyName: x.family, givenName: x.given, middleName: x.middle, birthDate: x.birthDate, enabled: true, identifiers: [] }, { id, sourceRefs: [sourceRef(ctx, 'id', x.id)], provenance: prov }));
    out.push(buildRecord('role_assignment', { personId: id, organizationId: school, role: 'student', isPrimary: true },
      { id: canonicalIdFor(ctx, 'role_assignment', `${ctx.ids.school}:${x.id}:student`), sourceRefs: [sourceRef(ctx, 'id', `${ctx.ids.school}:${x.id}:student`)], provenance: prov }));
  }
  return { records: out, quarantine: [] };
};
const connector = (pupils: Pupil[], classes: Klass[], school: string): Connector => ({
  declaration: {} as Connector['declaration'],
  open: async () => {},
  close: async () => {},
  async *readSchool(): AsyncIterable<PlatformBatch> {
    yield { route: 'roster', payload: { pupils, classes }, context: { timeZone: 'Europe/Samara', ids: { school }, fetchedAt: new Date().toISOString() } } as PlatformBatch;
  },
} as unknown as Connector);
const pupils = (prefix: string, family: string): Pupil[] => Array.from({ length: 30 }, (_, i) => ({
  id: `${prefix}${i}`, family: `${family}${['ов', 'ин', 'ев'][i % 3]}`, given: ['Пётр', 'Глеб', 'Марк', 'Олег', 'Иван', 'Лев'][i % 6], middle: 'Андреевич', birthDate: `2013-0${1 + (i % 9)}-1${i % 10}`,
}));

describe('snapshot deletes leave present records alone', () => {
  let store: CanonicalStore;
  let n = 0;
  const sync = (school: 'A' | 'B', ps: Pupil[], classes: Klass[] = []) => rosterSync({
    store, connector: connector(ps, classes, `src-${school}`), mapper, run: { system: 'dnevnik_ru', instance: 'dn', runId: `run-${++n}`, mapperVersion: 't' },
    school: { id: school, sourceId: `src-${school}`, timeZone: 'Europe/Samara' }, authoritative: true, window: { from: '2025-09-01', to: '2025-09-30' }, deleteThreshold: 0.1,
  });
  const canon = async (entity: 'person' | 'homeroom_class' | 'role_assignment', sid: string) => (await store.resolve('dnevnik_ru', 'dn', entity, [sid])).get(sid)!;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('a class the platform re-created under a new id (same title) is linked, not tombstoned', async () => {
    const a = pupils('a', 'Орл');
    await sync('A', a, [{ id: 'c1', title: '5А' }, { id: 'c2', title: '5Б' }]);
    const cls = await canon('homeroom_class', 'c1');
    const s = await sync('A', a, [{ id: 'c1-new', title: '5А' }, { id: 'c2', title: '5Б' }]);
    expect(await canon('homeroom_class', 'c1-new')).toBe(cls);
    expect(s.deleted).toBe(0);
    expect((await store.get(cls))?.status).toBe('active');
  });

  it('a pupil who moved to another school of the same instance keeps their person record; the old school\'s role goes', async () => {
    const a = pupils('a', 'Орл');
    const b = pupils('b', 'Сок');
    const mover = a[3];
    await sync('A', a);
    await sync('B', b);
    const person = await canon('person', mover.id);
    const oldRole = await canon('role_assignment', `src-A:${mover.id}:student`);
    for (let night = 1; night <= 2; night++) {
      await sync('B', [...b, mover]);
      await sync('A', a.filter((p) => p !== mover));
    }
    expect((await store.get(person))?.status).toBe('active');
    expect((await store.get(oldRole))?.status).toBe('deleted');
    expect((await store.get(await canon('role_assignment', `src-B:${mover.id}:student`)))?.status).toBe('active');
  });
});
