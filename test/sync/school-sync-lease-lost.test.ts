// A journal sync whose school lease lapsed under it (renewals failing past the lease's time-to-live: a database
// hiccup, an event loop held by a long mapping) while another sync of the school took the lease over must stop before
// it writes. Before, withSchoolSync handed its work no lease to check and journal sync never checked: the first run
// went on storing and committed its cursors while the second held the lease — the two syncs of one school at once the
// lease exists to prevent (src/sync/school-sync-lease.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Renewals of the first run's lease fail (the statement errors), as during a database hiccup.
vi.mock('../../src/store/leases.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/store/leases.js')>();
  return {
    ...orig,
    renewLease: async (...args: Parameters<typeof orig.renewLease>) => {
      if (args[2] === 'run-a') throw new Error('connection terminated unexpectedly');
      return orig.renewLease(...args);
    },
  };
});

import type { Connector } from '../../src/connectors/contract.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import { LeaseLostError } from '../../src/store/errors.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { nightlyJournalSync, recentCursorKey } from '../../src/sync/journal-nightly.js';
import { withSchoolSync } from '../../src/sync/school-sync-lease.js';

const TTL_MS = 400;

describe('a school sync that lost its lease', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store?.close();
  });

  it('stores nothing and commits no cursor once another sync of the school holds the lease', async () => {
    let release!: () => void;
    const readDone = new Promise<void>((r) => { release = r; });
    // A read that lasts until the second run holds the lease.
    const connector = {
      declaration: { platform: 'dnevnik', title: 'Дневник.ру', capabilities: ['journal.read'] },
      readSchool: async function* () { await readDone; },
    } as unknown as Connector;
    const run = { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'run-a', mapperVersion: 't' };
    const a = withSchoolSync(store, 's1', 'run-a', (lease) => nightlyJournalSync({
      store, connector, mapper: dnevnikMapper, run, lease, school: { id: 's1', sourceId: '1', timeZone: 'Europe/Samara' }, isSystemOfRecord: true,
      today: '2025-12-10', windowDays: 14, sweepDays: 28, sweepIntervalHours: 44, deletesFromSnapshot: { threshold: 0.1 },
    }), { ttlMs: TTL_MS }).then(() => 'finished', (e: unknown) => e);

    // The second run takes the lease once the first's has lapsed, and holds it until the first run is over.
    const b = await withSchoolSync(store, 's1', 'run-b', async () => {
      release();
      return a;
    }, { waitMs: 90_000, ttlMs: TTL_MS });

    expect(b).toBeInstanceOf(LeaseLostError);
    expect(await store.getCursor('dnevnik_ru', 'dn', recentCursorKey('s1'))).toBeFalsy();
  }, 120_000);
});
