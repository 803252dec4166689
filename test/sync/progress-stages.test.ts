// The progress line of `sync roster|journal` (docs/operations.md "Long commands show a progress line"): while a
// platform is read it counts pages — the records are known only once every page is mapped — and says so; then the
// records stored per entity. It used to count pages under the label "read", which the docs called records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { canonicalIdFor, provenanceFor, sourceRef, type Mapper } from '../../src/connectors/mapping.js';
import { buildRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { journalSync } from '../../src/sync/journal-sync.js';
import { rosterSync } from '../../src/sync/roster-sync.js';

/** One page: three pupils. */
const mapper: Mapper = (_route, payload, ctx) => {
  const prov = provenanceFor(ctx, ctx.payloadHash ?? 'x');
  return {
    records: (payload as string[]).map((sid, i) => buildRecord('person', { familyName: `Тестов${sid}`, givenName: 'Пётр', middleName: 'Андреевич', birthDate: `2013-01-1${i}`, enabled: true, identifiers: [] },
      { id: canonicalIdFor(ctx, 'person', sid), sourceRefs: [sourceRef(ctx, 'id', sid)], provenance: prov })),
    quarantine: [],
  };
};
/** A platform that answers in two pages. */
const twoPages = {
  declaration: { capabilities: ['roster.read', 'journal.read'] } as unknown as Connector['declaration'],
  open: async () => {},
  close: async () => {},
  async *readSchool(): AsyncIterable<PlatformBatch> {
    for (const page of [['p1', 'p2', 'p3'], ['p4', 'p5', 'p6']]) {
      yield { route: 'roster', payload: page, context: { timeZone: 'Europe/Samara', ids: { school: 's' }, fetchedAt: new Date().toISOString() } } as PlatformBatch;
    }
  },
} as unknown as Connector;

describe('the progress of a sync run', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store.close();
  });
  const common = () => ({ store, connector: twoPages, mapper, run: { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'r1', mapperVersion: 't' }, school: { id: 's', sourceId: 's', timeZone: 'Europe/Samara' }, window: { from: '2025-09-01', to: '2025-09-30' } });

  it('roster sync counts the pages it reads as pages, then the records it stores', async () => {
    const seen: [string, number][] = [];
    await rosterSync({ ...common(), authoritative: true, deleteThreshold: 0.1, onProgress: (stage, done) => seen.push([stage, done]) });
    expect(seen.filter(([stage]) => !stage.startsWith('stored'))).toEqual([['pages read', 1], ['pages read', 2]]);
    expect(seen).toContainEqual(['stored person', 6]);
  });

  it('journal sync counts the pages it reads as pages', async () => {
    const seen: [string, number][] = [];
    await journalSync({ ...common(), isSystemOfRecord: true, onProgress: (stage, done) => seen.push([stage, done]) });
    expect(seen.slice(0, 2)).toEqual([['pages read', 1], ['pages read', 2]]);
  });
});
