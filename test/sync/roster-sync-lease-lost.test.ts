// A roster sync whose school lease lapsed under it (renewals failing past the lease's time-to-live) while another sync
// of the school took the lease over must stop before it writes, as a journal sync does
// (school-sync-lease-lost.test.ts). Before, roster sync was handed no lease and never checked: a roster read that took
// longer than the lease went on storing, deleting and committing its snapshot cursor beside the new holder. A migration
// (migrate.ts, migrate-by-package.ts) held the lease for its reads but handed it to none of them.
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
import { eposMapper } from '../../src/mappers/epos/index.js';
import { LeaseLostError } from '../../src/store/errors.js';
import { openStore, type CanonicalStore, type HeldLease, type Store } from '../../src/store/index.js';
import { migrate } from '../../src/sync/migrate.js';
import { migrateByPackage } from '../../src/sync/migrate-by-package.js';
import { rosterSync } from '../../src/sync/roster-sync.js';
import { withSchoolSync } from '../../src/sync/school-sync-lease.js';

const TTL_MS = 400;

/** A platform whose roster read lists nothing, once `readDone` resolves. */
function emptyPlatform(platform: string, readDone: Promise<void> = Promise.resolve()): Connector {
  return {
    declaration: { platform, title: platform, capabilities: ['roster.read', 'journal.read'] },
    readSchool: async function* () { await readDone; },
  } as unknown as Connector;
}

describe('a roster sync that lost its school lease', () => {
  let store: CanonicalStore;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store?.close();
  });

  it('commits no snapshot cursor once another sync of the school holds the lease', async () => {
    let release!: () => void;
    const readDone = new Promise<void>((r) => { release = r; });
    const run = { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'run-a', mapperVersion: 't' };
    const a = withSchoolSync(store, 's1', 'run-a', (lease) => {
      const input = {
        store, connector: emptyPlatform('dnevnik', readDone), mapper: dnevnikMapper, run, lease, school: { id: 's1', sourceId: '1', timeZone: 'Europe/Samara' },
        authoritative: true, window: { from: '2025-12-01', to: '2025-12-10' }, deleteThreshold: 0.1,
      };
      return rosterSync(input);
    }, { ttlMs: TTL_MS }).then(() => 'finished', (e: unknown) => e);

    // The second run takes the lease once the first's has lapsed, and holds it until the first run is over.
    const b = await withSchoolSync(store, 's1', 'run-b', async () => {
      release();
      return a;
    }, { waitMs: 90_000, ttlMs: TTL_MS });

    expect(b).toBeInstanceOf(LeaseLostError);
    expect(await store.getCursor('dnevnik_ru', 'dn', 'roster:s1')).toBeFalsy();
  }, 120_000);

  // The migrations' reads: the store hands them a lease already lost, as a real one is after a lapse and take-over.
  const lostLease: HeldLease = { assertHeld: async () => { throw new LeaseLostError('lease:sync:s1 on school was taken over by another run; this run stopped writing'); } };
  const leaseLost = (s: CanonicalStore): Store => new Proxy(s, {
    get: (target, prop, receiver) => prop === 'withLease'
      ? (_key: unknown, _holder: string, fn: (lease: HeldLease) => Promise<unknown>) => fn(lostLease)
      : Reflect.get(target, prop, receiver) as unknown,
  });
  const sides = () => ({
    school: { id: 's1', timeZone: 'Europe/Samara' },
    from: { connector: emptyPlatform('epos'), mapper: eposMapper, run: { system: 'epos' as const, instance: 'ep', runId: 'run-m', mapperVersion: 't' }, schoolSourceId: '1' },
    to: { connector: emptyPlatform('dnevnik'), mapper: dnevnikMapper, run: { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'run-m', mapperVersion: 't' }, schoolSourceId: '2' },
    window: { from: '2025-12-01', to: '2025-12-10' }, deleteThreshold: 0.1,
  });

  it('a migration stops before its source roster commits anything', async () => {
    const outcome = await migrate({ ...sides(), store: leaseLost(store), dryRun: true }).then(() => 'finished', (e: unknown) => e);
    expect(outcome).toBeInstanceOf(LeaseLostError);
    expect(await store.getCursor('epos', 'ep', 'roster:s1')).toBeFalsy();
  });

  it('a migration by import package stops before its source roster commits anything', async () => {
    const outcome = await migrateByPackage({ ...sides(), store: leaseLost(store), stage: 'dry-run', packageDir: '/nonexistent' }).then(() => 'finished', (e: unknown) => e);
    expect(outcome).toBeInstanceOf(LeaseLostError);
    expect(await store.getCursor('epos', 'ep', 'roster:s1')).toBeFalsy();
  });
});
