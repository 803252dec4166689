// Roster authority (canonical-model.md §C.2 item 7: "roster and persons: the school's system of record"): another
// platform links onto the system of record's classes and adds what it does not hold, but never rewrites them — a
// platform that cannot carry a field would blank it every night until the system of record's next run restored it.
// Stand-in connectors serve synthetic pages, so each side can say exactly what it carries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { canonicalIdFor, provenanceFor, sourceRef, type Mapper } from '../../src/connectors/mapping.js';
import { buildRecord, mintId, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { rosterSync } from '../../src/sync/roster-sync.js';

type Page = { classes: { id: string; title: string; teacher?: string }[] };
const YEAR = mintId();
const TEACHER = mintId();

const mapper: Mapper = (route, payload, ctx) => {
  const prov = provenanceFor(ctx, ctx.payloadHash ?? 'x');
  const school = canonicalIdFor(ctx, 'organization', ctx.ids.school);
  const out: CanonicalRecord[] = (payload as Page).classes.map((c) => buildRecord('homeroom_class', {
    gradeLevel: Number(c.title[0]), letter: c.title.slice(1), title: c.title, academicYearId: YEAR, organizationId: school,
    ...(c.teacher ? { classTeacherId: c.teacher } : {}),
  }, { id: canonicalIdFor(ctx, 'homeroom_class', c.id), sourceRefs: [sourceRef(ctx, 'id', c.id)], provenance: prov }));
  return { records: out, quarantine: [] };
};

const connector = (page: () => Page, school: string): Connector => ({
  declaration: {} as Connector['declaration'], open: async () => {}, close: async () => {},
  async *readSchool(): AsyncIterable<PlatformBatch> {
    yield { route: 'classes', payload: page(), context: { timeZone: 'Europe/Samara', ids: { school }, fetchedAt: new Date().toISOString() } } as PlatformBatch;
  },
} as unknown as Connector);

describe('roster records belong to the system of record', () => {
  let store: CanonicalStore;
  let n = 0;
  const sync = (instance: 'sor' | 'other', page: Page) => rosterSync({
    store, connector: connector(() => page, `src-${instance}`), mapper,
    run: { system: instance === 'sor' ? 'asu_rso' : 'dnevnik_ru', instance, runId: `run-${++n}`, mapperVersion: 't' },
    school: { id: 'A', sourceId: `src-${instance}`, timeZone: 'Europe/Samara' }, authoritative: instance === 'sor',
    window: { from: '2025-09-01', to: '2025-09-30' }, deleteThreshold: 0.1,
  });
  const classes = async () => {
    const out: Record<string, unknown>[] = [];
    for await (const r of store.iterate('homeroom_class', { status: 'active' })) out.push(r as unknown as Record<string, unknown>);
    return out;
  };
  beforeEach(async () => { store = await openStore({ databaseUrl: null, dataDir: 'memory://' }); });
  afterEach(async () => { await store.close(); });

  it('another platform that carries no class teacher links onto the class and leaves its teacher', async () => {
    await sync('sor', { classes: [{ id: 'c1', title: '5А', teacher: TEACHER }] });
    const s = await sync('other', { classes: [{ id: 'k-1', title: '5А' }] });
    expect(s.updated).toBe(0);
    const [c] = await classes();
    expect(c).toMatchObject({ title: '5А', classTeacherId: TEACHER, provenance: expect.objectContaining({ instance: 'sor' }) });
    expect((await store.resolve('dnevnik_ru', 'other', 'homeroom_class', ['k-1'])).get('k-1')).toBe(c.id);
  });

  it('what only the other platform holds it adds, and keeps up to date', async () => {
    await sync('sor', { classes: [{ id: 'c1', title: '5А', teacher: TEACHER }] });
    await sync('other', { classes: [{ id: 'k-1', title: '5А' }, { id: 'k-2', title: '9Б' }] });
    const later = await sync('other', { classes: [{ id: 'k-1', title: '5А' }, { id: 'k-2', title: '9Б', teacher: TEACHER }] });
    expect(later.updated).toBe(1);
    const nineB = (await classes()).find((c) => c.title === '9Б');
    expect(nineB).toMatchObject({ classTeacherId: TEACHER, provenance: expect.objectContaining({ instance: 'other' }) });
  });
});
