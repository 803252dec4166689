// every copy is re-hashed at least yearly. The nightly job of a school re-verifies the school's snapshots whose
// copies were checked longest ago (a few a night); a damaged copy is named and keeps its old verifiedAt.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSnapshot } from '../../src/backup/catalog.js';
import { reverifyDue } from '../../src/backup/reverify.js';
import { runBackup, soleSchool } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

describe('re-verification of earlier snapshots (R-34)', () => {
  let store: CanonicalStore;
  let root: string;
  const keys = keyPair();
  const ids: string[] = [];
  const later = new Date(Date.now() + 400 * 86_400_000); // more than REVERIFY_AFTER_DAYS after every check
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    const destinations = await twoMedia(root);
    for (const day of ['01', '02', '03']) {
      const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: `b-${day}`, now: () => new Date(`2025-10-${day}T02:00:00Z`) });
      ids.push(r.snapshot.id);
    }
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('nothing is due while every copy was checked within the period', async () => {
    expect(await reverifyDue(store, await soleSchool(store), keys.verifier, 'rv-0')).toEqual({ checked: [], damaged: [], stillDamaged: [] });
  });

  it('checks the longest-unchecked first, a few a night, and names a damaged copy, which keeps its old verifiedAt', async () => {
    const org = await soleSchool(store);
    // No catch-up (catchUp: 0): the usual rotation, as on a night within its bound (reverify-catch-up.test.ts).
    const first = await reverifyDue(store, org, keys.verifier, 'rv-1', { now: later, limit: 2, catchUp: 0 });
    // The third, not reached tonight and last checked 400 days ago, is reported overdue (R-34: yearly).
    expect(first).toEqual({ checked: [ids[0], ids[1]], damaged: [], stillDamaged: [], overdue: expect.objectContaining({ snapshots: 1, copies: 2 }) });

    const third = await getSnapshot(store, ids[2]);
    const nas = third.copies.find((c) => c.medium === 'nas')!;
    const file = path.join(nas.location!, 'manifest.json');
    const bytes = await readFile(file);
    bytes[10] ^= 1;
    await writeFile(file, bytes);

    const second = await reverifyDue(store, org, keys.verifier, 'rv-2', { now: later, limit: 1, catchUp: 0 });
    expect(second.checked).toEqual([ids[2]]); // the one not re-checked yet comes first
    expect(second.damaged).toEqual([expect.objectContaining({ snapshotId: ids[2], medium: 'nas', siteRoom: 'архив 204' })]);
    const after = await getSnapshot(store, ids[2]);
    expect(after.copies.find((c) => c.medium === 'nas')!.verifiedAt).toBe(nas.verifiedAt);
    expect(after.copies.find((c) => c.medium === 'disk-a')!.verifiedAt).not.toBe(third.copies.find((c) => c.medium === 'disk-a')!.verifiedAt);
  });
});
