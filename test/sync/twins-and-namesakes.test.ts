// Two children must never become one person (a family would see the other child's marks). Twins whose names fold
// to one (ё/е), a twin enrolled the night the other is away, a re-key on the same night, and namesakes on a platform
// without birth dates. A stand-in connector serves the roster; the real roster sync and review queue run on it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { canonicalIdFor, provenanceFor, sourceRef, type Mapper } from '../../src/connectors/mapping.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { rosterSync } from '../../src/sync/roster-sync.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';

type Pupil = { id: string; family: string; given: string; middle?: string; birthDate?: string };
type System = 'dnevnik_ru' | 'epos' | 'eljur';

const mapper: Mapper = (_route, payload, ctx) => {
  const prov = provenanceFor(ctx, ctx.payloadHash ?? 'x');
  const school = canonicalIdFor(ctx, 'organization', ctx.ids.school);
  const out: CanonicalRecord[] = [];
  for (const x of (payload as { pupils: Pupil[] }).pupils) {
    const id = canonicalIdFor(ctx, 'person', x.id);
    out.push(buildRecord('person', { familyName: x.family, givenName: x.given, ...(x.middle ? { middleName: x.middle } : {}), ...(x.birthDate ? { birthDate: x.birthDate } : {}), enabled: true, identifiers: [] },
      { id, sourceRefs: [sourceRef(ctx, 'id', x.id)], provenance: prov }));
    out.push(buildRecord('role_assignment', { personId: id, organizationId: school, role: 'student', isPrimary: true },
      { id: canonicalIdFor(ctx, 'role_assignment', `${x.id}:student`), sourceRefs: [sourceRef(ctx, 'id', `${x.id}:student`)], provenance: prov }));
  }
  return { records: out, quarantine: [] };
};
const connector = (pupils: Pupil[]): Connector => ({
  declaration: {} as Connector['declaration'], open: async () => {}, close: async () => {},
  async *readSchool(): AsyncIterable<PlatformBatch> {
    yield { route: 'pupils', payload: { pupils }, context: { timeZone: 'Europe/Samara', ids: { school: 'src-A' }, fetchedAt: new Date().toISOString() } } as PlatformBatch;
  },
} as unknown as Connector);

const others: Pupil[] = Array.from({ length: 30 }, (_, i) => ({
  id: `p${i}`, family: ['Орлов', 'Зайцев', 'Волков', 'Соколов', 'Лебедев'][i % 5], given: ['Пётр', 'Глеб', 'Марк', 'Олег', 'Иван', 'Лев'][i % 6], birthDate: `2013-0${1 + (i % 9)}-1${i % 10}`,
}));
// «Алёна» and «Алена» fold to one name: with one birth date and school, twins look like one pupil to the composite tier.
const alyona: Pupil = { id: 't1', family: 'Тестова', given: 'Алёна', middle: 'Ивановна', birthDate: '2015-04-04' };
const alena: Pupil = { id: 't2', family: 'Тестова', given: 'Алена', middle: 'Ивановна', birthDate: '2015-04-04' };

describe('twins and namesakes stay two people', () => {
  let store: CanonicalStore;
  let n = 0;
  const sync = (pupils: Pupil[], instance = 'dn', system: System = 'dnevnik_ru', authoritative = true) => rosterSync({
    store, connector: connector(pupils), mapper, run: { system, instance, runId: `run-${++n}`, mapperVersion: 't' },
    school: { id: 'A', sourceId: 'src-A', timeZone: 'Europe/Samara' }, authoritative, window: { from: '2025-09-01', to: '2025-09-30' }, deleteThreshold: 0.5,
  });
  const canon = async (sid: string, instance = 'dn', system: System = 'dnevnik_ru') => (await store.resolve(system, instance, 'person', [sid])).get(sid);
  const personMatches = async () => (await pendingReview(store)).filter((r) => r.kind === 'person_match');
  beforeEach(async () => { store = await openStore({ databaseUrl: null, dataDir: 'memory://' }); });
  afterEach(async () => { await store.close(); });

  it('a twin enrolled the night her sister is away is held, not given the sister\'s record; when the sister is back they are two', async () => {
    await sync([...others, alyona]);
    const sister = await canon('t1');
    const night2 = await sync([...others, alena]);
    expect(night2.keyChanges).toBe(0);
    expect(night2.keyChangesHeld).toBe(1);
    expect(await canon('t2')).toBeUndefined(); // nothing of her stored yet: her marks wait as orphans
    await sync([...others, alena, alyona]);
    expect(await canon('t1')).toBe(sister);
    expect(await canon('t2')).toBeDefined();
    expect(await canon('t2')).not.toBe(sister);
    const items = await personMatches();
    expect(items.every((i) => i.leftId !== i.rightId)).toBe(true);
    const twin = await canon('t2');
    expect(items.some((i) => i.leftId === twin && i.rightId === sister)).toBe(true);
  });

  for (const authoritative of [false, true]) {
    it(`a twin enrolled after her sister has been away two nights does not get the sister's record (${authoritative ? 'system of record' : 'another platform'})`, async () => {
      await sync([...others, alyona], 'dn', 'dnevnik_ru', authoritative);
      const sister = await canon('t1');
      await sync([...others], 'dn', 'dnevnik_ru', authoritative); // Алёна away one night
      await sync([...others, alena], 'dn', 'dnevnik_ru', authoritative); // the twin enrolled, a new id; the sister away again
      expect(await canon('t2')).not.toBe(sister);
      await sync([...others, alena, alyona], 'dn', 'dnevnik_ru', authoritative); // Алёна back
      const twin = await canon('t2');
      expect(twin).toBeDefined();
      expect(twin).not.toBe(sister);
      expect(await canon('t1')).not.toBe(twin);
    });
  }

  it('a pupil really re-keyed by the platform keeps their record once the old id is missing a second time', async () => {
    await sync([...others, alyona]);
    const before = await canon('t1');
    expect((await sync([...others, { ...alyona, id: 't1b' }])).keyChangesHeld).toBe(1);
    const second = await sync([...others, { ...alyona, id: 't1b' }]);
    expect(second.keyChanges).toBe(1);
    expect(await canon('t1b')).toBe(before);
    expect(await canon('t1')).toBeUndefined();
    expect((await store.get(before!))?.status).toBe('active');
  });

  it('a pupil re-registered the night after their old id went missing keeps their record: the second miss is not a delete while the newcomer is held', async () => {
    await sync([...others, alyona]);
    const before = await canon('t1');
    await sync([...others]); // the old id missing once (taken off by mistake, say)
    const held = await sync([...others, { ...alyona, id: 't1b' }]); // re-registered under a new id; the old one missing a second time
    expect(held.keyChangesHeld).toBe(1);
    expect((await store.get(before!))?.status).toBe('active');
    const second = await sync([...others, { ...alyona, id: 't1b' }]);
    expect(second.keyChanges).toBe(1);
    expect(await canon('t1b')).toBe(before);
    expect((await store.get(before!))?.status).toBe('active');
  });

  it('a pupil who left and came back under a new id gets their record back, not a new one', async () => {
    await sync([...others, alyona]);
    const before = await canon('t1');
    await sync([...others]);
    await sync([...others]); // missing twice: the pupil left, tombstoned
    expect((await store.get(before!))?.status).toBe('deleted');
    // Back months later; the system of record gave her a new id. The same name, birth date and school.
    expect((await sync([...others, { ...alyona, id: 't1c' }])).keyChangesHeld).toBe(1);
    await sync([...others, { ...alyona, id: 't1c' }]);
    expect(await canon('t1c')).toBe(before);
    expect((await store.get(before!))?.status).toBe('active');
  });

  it('a re-key and a twin on the same night: neither newcomer takes the record, both go to review', async () => {
    await sync([...others, alyona]);
    const before = await canon('t1');
    for (let night = 0; night < 2; night++) await sync([alena, ...others, { ...alyona, id: 't1b' }]);
    expect(await canon('t2')).not.toBe(before);
    expect(await canon('t1b')).not.toBe(before);
    expect(await canon('t2')).not.toBe(await canon('t1b'));
    const items = await personMatches();
    expect(items.filter((i) => i.rightId === before).map((i) => i.leftId).sort()).toEqual([await canon('t2'), await canon('t1b')].sort());
  });

  it('a merge the queue offers cannot pair a person with itself', async () => {
    await sync([...others, alyona]);
    const c = buildRecord('match_candidate', { candidateEntity: 'person', leftId: (await canon('t1'))!, rightId: (await canon('t1'))!, rule: 'composite_duplicate', score: 1, decision: 'pending', at: new Date().toISOString() },
      { id: '0199aaaa-0000-7000-8000-0000000000c1', sourceRefs: [], provenance: { system: 'dnevnik_ru', instance: 'dn', fetchedAt: new Date().toISOString(), payloadHash: 'n/a', runId: 'r', mapperVersion: 't' } });
    await store.upsertMany([c], { runId: 'r' });
    await expect(decidePersonMatch(store, c.id, 'merge', 'r1')).rejects.toThrow(/pairs a person with itself/);
    expect((await store.get((await canon('t1'))!))?.status).toBe('active');
  });

  const ivanov = { family: 'Иванов', given: 'Иван', middle: 'Петрович' };

  it('namesakes without birth dates: a dated pupil is proposed neither of two equally fitting namesakes', async () => {
    await sync([...others.map(({ birthDate: _, ...p }) => p), { id: 'a1', ...ivanov }, { id: 'a2', ...ivanov }], 'el', 'eljur');
    expect(await canon('a1', 'el', 'eljur')).not.toBe(await canon('a2', 'el', 'eljur'));
    await sync([{ id: 'e1', ...ivanov, birthDate: '2014-03-03' }, { id: 'e2', ...ivanov, birthDate: '2014-09-09' }], 'ep', 'epos', false);
    const e = [await canon('e1', 'ep', 'epos'), await canon('e2', 'ep', 'epos')];
    expect((await personMatches()).filter((i) => e.includes(i.leftId))).toEqual([]);
  });

  it('a second child linked on the same platform cannot be merged into a person who already stands for the first', async () => {
    // Only one of the two namesakes is on the undated platform: each dated one is proposed that one.
    await sync([...others.map(({ birthDate: _, ...p }) => p), { id: 'a1', ...ivanov }], 'el', 'eljur');
    await sync([{ id: 'e1', ...ivanov, birthDate: '2014-03-03' }, { id: 'e2', ...ivanov, birthDate: '2014-09-09' }], 'ep', 'epos', false);
    const items = await personMatches();
    const [c1, c2] = [await canon('e1', 'ep', 'epos'), await canon('e2', 'ep', 'epos')].map((id) => items.find((i) => i.leftId === id)!);
    expect(c1.rightId).toBe(c2.rightId);
    await decidePersonMatch(store, c1.id, 'merge', 'r1');
    await expect(decidePersonMatch(store, c2.id, 'merge', 'r2')).rejects.toThrow(/both people are linked on ep/);
    await sync([{ id: 'e1', ...ivanov, birthDate: '2014-03-03' }, { id: 'e2', ...ivanov, birthDate: '2014-09-09' }], 'ep', 'epos', false);
    expect(await canon('e1', 'ep', 'epos')).not.toBe(await canon('e2', 'ep', 'epos'));
  });
});
