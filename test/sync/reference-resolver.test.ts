// Resolving platform ids while mapping (src/sync/reference-resolver.ts): mapping each page once and looking its new
// ids up must give exactly what the two full passes gave (collect every id, look them all up, map again), while
// mapping most pages only once.
import { describe, expect, it } from 'vitest';
import type { PlatformBatch } from '../../src/connectors/contract.js';
import { idFor, makeRecord } from '../../src/mappers/kit/make-record.js';
import { mapBatch, type IdResolver, type Mapper } from '../../src/connectors/mapping.js';
import type { EntityName } from '../../src/model/enums.js';
import { mapAll, mapResolvingCrosswalk, resolverFrom, type RunIdentity } from '../../src/sync/reference-resolver.js';

// The reference: two full passes. The first records every (entity, platform id) the mapper asks about, one lookup
// per entity answers them, then mapAll maps everything again with the answers.
function collectReferences(m: Mapper, batches: readonly PlatformBatch[], r: RunIdentity): Map<EntityName, Set<string>> {
  const asked = new Map<EntityName, Set<string>>();
  const resolve: IdResolver = (entity, sourceId) => {
    let set = asked.get(entity);
    if (!set) asked.set(entity, (set = new Set()));
    set.add(sourceId);
    return undefined;
  };
  for (const b of batches) mapBatch(m, b, { ...r, resolve });
  return asked;
}
async function lookUpCrosswalk(s: { resolve(system: string, instance: string, entity: string, ids: string[]): Promise<Map<string, string>> }, r: RunIdentity, asked: Map<EntityName, Set<string>>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [entity, ids] of asked) for (const [sid, cid] of await s.resolve(r.system, r.instance, entity, [...ids])) out.set(`${entity}|${sid}`, cid);
  return out;
}

const run: RunIdentity = { system: 'dnevnik_ru', instance: 'a', runId: 'r1', mapperVersion: 'test-1' };

/** Pages of lessons (naming their teacher) and marks (naming pupil and lesson by platform id). */
function pages(groups: number): PlatformBatch[] {
  const ctx = { timeZone: 'Europe/Samara', ids: {}, fetchedAt: '2025-09-10T00:00:00.000Z' };
  const out: PlatformBatch[] = [];
  for (let g = 0; g < groups; g++) {
    out.push({ route: 'lessons', payload: [{ id: `L${g}`, teacher: `T${g % 2}` }], context: ctx });
    for (let w = 0; w < 3; w++) out.push({ route: 'marks', payload: [{ id: `M${g}-${w}`, pupil: `P${g}`, lesson: `L${g}` }], context: ctx });
  }
  return out;
}

let calls = 0;
const mapper: Mapper = (route, payload, ctx) => {
  calls++;
  const rows = payload as Record<string, string>[];
  const records = rows.map((r) => route === 'lessons'
    ? makeRecord(ctx, 'lesson', `lesson-of-${r.id}`, 'lesson', r.id, { teacherId: idFor(ctx, 'person', r.teacher) })
    : makeRecord(ctx, 'mark', `mark-${r.id}`, 'mark', r.id, { studentId: idFor(ctx, 'person', r.pupil), lessonId: idFor(ctx, 'lesson', r.lesson) }));
  return { records, quarantine: [] };
};

/** The crosswalk: teacher T0 and pupils P0, P2 are known; lesson L1 was stored under another id by an earlier run. */
const known = new Map<string, string>([['person|T0', 'teacher-0'], ['person|P0', 'pupil-0'], ['person|P2', 'pupil-2'], ['lesson|L1', 'moved-lesson-1']]);
const store = {
  queries: 0,
  lessonQueries: 0,
  async resolve(_s: string, _i: string, entity: string, ids: string[]) {
    this.queries++;
    if (entity === 'lesson') this.lessonQueries++;
    return new Map(ids.filter((id) => known.has(`${entity}|${id}`)).map((id) => [id, known.get(`${entity}|${id}`)!]));
  },
};

describe('mapping with crosswalk answers', () => {
  it('gives the same records, asked ids and crosswalk as the two full passes', async () => {
    const batches = pages(4);
    const asked = collectReferences(mapper, batches, run);
    const crosswalk = await lookUpCrosswalk(store as never, run, asked);
    const twoPasses = mapAll(mapper, batches, run, resolverFrom(crosswalk));
    calls = 0;
    store.queries = 0;
    store.lessonQueries = 0;
    const once = await mapResolvingCrosswalk(store, mapper, batches, run);
    // Fewer look-ups than pages: a person is looked up when first met; the lessons this run mapped (which the
    // crosswalk usually confirms) all together, in one query.
    expect(store.queries).toBeLessThan(batches.length);
    expect(store.lessonQueries).toBe(1);
    expect(once.mapped.map((m) => m.records)).toEqual(twoPasses.map((m) => m.records));
    expect(once.asked).toEqual(asked);
    expect(once.crosswalk).toEqual(crosswalk);
    // Pages whose ids the crosswalk answers differently are mapped again; the rest once (the two passes: 2 × 16).
    expect(calls).toBeLessThan(2 * batches.length);
    expect(once.mapped.find((m) => m.records[0]?.id === 'mark-M1-0')?.records[0]).toMatchObject({ lessonId: 'moved-lesson-1' });
  });

  it('gives a page the id of a record a later page of the same read maps', async () => {
    // Marks read before their lessons' page: the lesson's canonical id is learned only after the marks were mapped.
    const [lessons, ...marks] = pages(1);
    const once = await mapResolvingCrosswalk(store, mapper, [...marks, lessons], run);
    for (const m of once.mapped.slice(0, 3)) expect(m.records[0]).toMatchObject({ lessonId: 'lesson-of-L0' });
  });

  it('maps each page as it is read, and gives the same as mapping the whole read afterwards', async () => {
    const batches = pages(4);
    const afterwards = await mapResolvingCrosswalk(store, mapper, batches, run);
    // A read that hands its pages over one by one: each page is mapped before the next one is asked for.
    const mappedWhenAsked: number[] = [];
    async function* read() {
      for (const b of batches) {
        mappedWhenAsked.push(calls);
        yield b;
      }
    }
    calls = 0;
    const asRead = await mapResolvingCrosswalk(store, mapper, read(), run);
    expect(mappedWhenAsked.slice(1).every((n, i) => n > mappedWhenAsked[i])).toBe(true);
    expect(asRead.mapped.map((m) => m.records)).toEqual(afterwards.mapped.map((m) => m.records));
    expect(asRead.asked).toEqual(afterwards.asked);
    expect(asRead.crosswalk).toEqual(afterwards.crosswalk);
    // The marks of lesson L1, which the crosswalk keeps under an earlier run's id, were mapped again once it answered.
    expect(asRead.mapped.find((m) => m.records[0]?.id === 'mark-M1-0')?.records[0]).toMatchObject({ lessonId: 'moved-lesson-1' });
  });
});
