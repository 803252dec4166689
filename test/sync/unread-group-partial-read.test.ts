// A Дневник.ру group the platform refused (connectors/dnevnik/unread-groups.ts) in the autumn read of last year's final
// marks: its page is quarantined by id, so the run says the group was not read. Its line is on a finals route, so it
// hides no mark or absence and refuses no journal delete (partial-read.ts) — the read has none to judge, and the same
// line beside this year's journal would otherwise hold every deleted mark of the school through the autumn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { dnevnikDeclaration } from '../../src/connectors/dnevnik/declaration.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { journalSync } from '../../src/sync/journal-sync.js';

describe('Дневник.ру: a read with a refused group', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('quarantines the group by id and deletes nothing, refusing no journal delete for it', async () => {
    const refused: PlatformBatch = { route: 'edu-groups/{id}', payload: null, context: { timeZone: 'Europe/Samara', ids: { id: '11', refused: '403', refusedType: 'accessDenied' }, fetchedAt: '2026-10-13T00:00:00Z' } };
    const connector = {
      declaration: dnevnikDeclaration,
      readSchool: async function* () { yield refused; },
    } as unknown as Connector;
    const summary = await journalSync({
      store, connector, mapper: dnevnikMapper, run: { system: 'dnevnik_ru', instance: 'dn', runId: 'r1', mapperVersion: 't' },
      school: { id: 's1', sourceId: '1', timeZone: 'Europe/Samara' }, isSystemOfRecord: true, window: { from: '2025-09-01', to: '2026-08-31' },
      deletesFromSnapshot: { threshold: 0.1 },
    });
    expect(summary.quarantineReasons).toEqual({ 'edu-group 11 not read (403 accessDenied)': 1 });
    expect(summary.deletesRefused).toBeUndefined();
    expect(summary.deleted).toBe(0);
  });
});
