// A Дневник.ру group the platform refused (connectors/dnevnik/unread-groups.ts) makes the read partial: its page is
// quarantined by id, and journal-sync derives no deletes from a read that did not see everything (journal-sync.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, PlatformBatch } from '../../src/connectors/contract.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { journalSync } from '../../src/sync/journal-sync.js';

describe('Дневник.ру: a read with a refused group is partial', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('quarantines the group by id and refuses journal deletes', async () => {
    const refused: PlatformBatch = { route: 'edu-groups/{id}', payload: null, context: { timeZone: 'Europe/Samara', ids: { id: '11', refused: '403', refusedType: 'accessDenied' }, fetchedAt: '2026-10-13T00:00:00Z' } };
    const connector = {
      declaration: { platform: 'dnevnik', title: 'Дневник.ру', capabilities: ['roster.read', 'journal.read', 'finals.read'] },
      readSchool: async function* () { yield refused; },
    } as unknown as Connector;
    const summary = await journalSync({
      store, connector, mapper: dnevnikMapper, run: { system: 'dnevnik_ru', instance: 'dn', runId: 'r1', mapperVersion: 't' },
      school: { id: 's1', sourceId: '1', timeZone: 'Europe/Samara' }, isSystemOfRecord: true, window: { from: '2025-09-01', to: '2026-08-31' },
      deletesFromSnapshot: { threshold: 0.1 },
    });
    expect(summary.quarantineReasons).toEqual({ 'edu-group 11 not read (403 accessDenied)': 1 });
    expect(summary.deletesRefused).toMatch(/^partial read/);
    expect(summary.deleted).toBe(0);
  });
});
