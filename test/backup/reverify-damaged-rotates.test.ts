// R-34 wants every copy re-hashed at least yearly. The nightly re-verification used to pick the snapshots whose least
// recently *verified* copy was oldest, and a damaged copy keeps its old verifiedAt: a snapshot with a damaged copy came
// first every night, for good, and with REVERIFY_PER_NIGHT (5) such snapshots — a NAS that lost a few directories — no
// other snapshot of the school was ever re-verified again. It now goes by the last check, passed or not (checkedAt).
// Shown with the limit at 1 and one damaged snapshot (the same as 5 and 5).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSnapshot } from '../../src/backup/catalog.js';
import { reverifyDue } from '../../src/backup/reverify.js';
import { runBackup, soleSchool } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

describe('nightly re-verification and a damaged copy', () => {
  let store: CanonicalStore;
  let root: string;
  const keys = keyPair();
  const ids: string[] = [];
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    const destinations = await twoMedia(root);
    for (const day of ['01', '02']) {
      const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: `b-${day}`, now: () => new Date(`2025-10-${day}T02:00:00Z`) });
      ids.push(r.snapshot.id);
    }
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('does not keep every other snapshot from being re-verified', async () => {
    const org = await soleSchool(store);
    // The NAS copy of the first snapshot is lost.
    const first = await getSnapshot(store, ids[0]);
    await rm(first.copies.find((c) => c.medium === 'nas')!.location!, { recursive: true, force: true });
    const checked = new Set<string>();
    let named = 0;
    // Thirty nights, each more than 300 days after every check the copies had.
    for (let night = 0; night < 30; night++) {
      const now = new Date(Date.now() + (400 + night) * 86_400_000);
      const r = await reverifyDue(store, org, keys.verifier, `rv-${night}`, { now, limit: 1 });
      for (const id of r.checked) checked.add(id);
      // Every night names the damaged copy: found tonight, or found earlier and not restored since.
      const tonight = r.checked.includes(ids[0]) ? r.damaged : r.stillDamaged;
      expect(tonight, `night ${night}`).toEqual([expect.objectContaining({ snapshotId: ids[0], medium: 'nas', siteRoom: 'архив 204' })]);
      if (r.checked.includes(ids[0])) named++;
    }
    expect([...checked], 'the second snapshot, whole on both media, is never re-hashed').toContain(ids[1]);
    expect(named, 'the damaged one is re-hashed in its turn, not every night').toBe(1);
  }, 120_000);
});
