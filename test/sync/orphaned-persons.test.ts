// Persons no platform would rewrite any more (src/sync/orphaned-persons.ts): the platform that wrote one last no longer
// stands for it (`review split` took its record off), so a platform still linked to it may write it at its roster sync.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { sourceScopedId } from '../../src/model/ids.js';
import { openStore, type Store } from '../../src/store/index.js';
import { orphanedPersons } from '../../src/sync/orphaned-persons.js';

const adult = { familyName: 'Тестов', givenName: 'Взрослый', enabled: true };
const written = (system: 'epos' | 'gateway', instance: string, sourceId: string) => buildRecord('person', adult as never, {
  id: sourceScopedId(system, instance, 'person', sourceId), sourceRefs: [{ system, instance, sourceId, kind: 'id' }],
  provenance: { system, instance, fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' },
}) as CanonicalRecord;

describe('persons whose writer no longer stands for them', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('are those whose writing platform\'s link is closed — not one still linked, a tombstone, or the gateway\'s own', async () => {
    const [split, linked, left, merged] = [written('epos', 't', 'S1'), written('epos', 't', 'S2'), written('epos', 't', 'S3'), written('gateway', 'review', 'M1')];
    await store.upsertMany([split, linked, left, merged], { runId: 'r' });
    await store.deleteRecord('person', left.id, { reason: 'snapshot_absent', runId: 'r' });
    const gone = (await store.get(left.id))!;
    await store.link(['S1', 'S2', 'S3'].map((sid, i) => ({ entity: 'person', canonicalId: [split, linked, left][i].id, system: 'epos', instance: 't', sourceId: sid, sourceIdKind: 'id' })), { runId: 'r' });
    for (const sid of ['S1', 'S3']) await store.closeCrosswalk('epos', 't', 'person', sid, {});
    expect([...await orphanedPersons([split, linked, gone, merged], store)]).toEqual([split.id]);
  });
});
