// Several schools' sync leases at once (src/sync/school-sync-lease.ts withSchoolSyncs), as `review split` takes them
// for a person of several schools: while it runs, no roster or journal sync of any of them starts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { withSchoolSync, withSchoolSyncs } from '../../src/sync/school-sync-lease.js';

describe('withSchoolSyncs', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('holds every school\'s lease while it runs, and gives each back after', async () => {
    const others: string[] = [];
    const result = await withSchoolSyncs(store, ['s2', 's1', 's2'], 'split-1', async () => {
      for (const school of ['s1', 's2']) {
        await withSchoolSync(store, school, 'sync-1', async () => undefined, { waitMs: 50 }).then(() => others.push(`${school} ran`), () => others.push(`${school} waited`));
      }
      return 'done';
    });
    expect(result).toBe('done');
    expect(others).toEqual(['s1 waited', 's2 waited']);
    // Given back: a sync of either starts at once now.
    for (const school of ['s1', 's2']) await expect(withSchoolSync(store, school, 'sync-2', async () => school, { waitMs: 50 })).resolves.toBe(school);
  });
});
