// every copy is re-hashed at least yearly. The nightly re-checks at most REVERIFY_PER_NIGHT snapshots of a school;
// when more fall due than that (prune --expired never run, copies pile up), some copies go past a year unchecked — and
// nothing said so: the night's result named only what it checked. It now reports the copies not re-checked for over a
// year and the oldest last check, and /status shows the count beside the damaged copies. Synthetic data only.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reverifyDue } from '../../src/backup/reverify.js';
import { runBackup, soleSchool } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

describe('copies the nightly re-verification does not get through in time (R-34)', () => {
  let store: CanonicalStore;
  let root: string;
  const keys = keyPair();
  const made: { id: string; verifiedAt: string }[] = [];
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    const destinations = await twoMedia(root);
    for (const day of ['01', '02', '03']) {
      const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: `b-${day}`, now: () => new Date(`2025-10-${day}T02:00:00Z`) });
      made.push({ id: r.snapshot.id, verifiedAt: r.copies.map((c) => c.verifiedAt!).sort()[0] });
    }
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('nothing is reported overdue while every copy was checked within a year', async () => {
    const r = await reverifyDue(store, await soleSchool(store), keys.verifier, 'rv-0', { now: new Date(Date.parse(made[0].verifiedAt) + 200 * 86_400_000) });
    expect(r.overdue).toBeUndefined();
  });

  it('a night that gets through fewer than are due reports how many copies are left over a year unchecked, and since when', async () => {
    const now = new Date(Date.parse(made[2].verifiedAt) + 400 * 86_400_000);
    // A night past its catch-up bound (catchUp: 0 here; reverify-catch-up.test.ts) leaves some overdue.
    const r = await reverifyDue(store, await soleSchool(store), keys.verifier, 'rv-1', { now, limit: 1, catchUp: 0 });
    expect(r.checked).toEqual([made[0].id]);
    // The two snapshots not reached tonight, two copies each; the oldest check is the second snapshot's.
    expect(r.overdue).toEqual({ snapshots: 2, copies: 4, since: made[1].verifiedAt });
  }, 60_000);
});
