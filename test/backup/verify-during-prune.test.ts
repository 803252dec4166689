// verifySnapshot reads the snapshot record and re-hashes its copies (minutes for a big school). It used to write the
// whole record back as `active` with the copies it had read: a prune that ran meanwhile (the operator's
// `backup prune --expired` while the nightly job re-verifies) removed the copies and tombstoned the record, and the
// verify's write brought it back to life naming directories that no longer existed — `backup list` showed a backup the
// school no longer had, and every later verify raised a damage incident for it. The write-back now re-reads the record
// under the school's catalog lease and records nothing for a snapshot pruned meanwhile.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSnapshots, pruneSnapshot, verifySnapshot } from '../../src/backup/catalog.js';
import { runBackup } from '../../src/backup/run-backup.js';
import type { ArchiveVerifier } from '../../src/backup/signer.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

describe('verify and prune of one snapshot at the same time', () => {
  let store: CanonicalStore;
  let root: string;
  const keys = keyPair();
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
  });
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a pruned snapshot stays pruned', async () => {
    const destinations = await twoMedia(root);
    const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb', now: () => new Date('2025-10-01T02:00:00Z') });
    // A verifier as slow as re-hashing a big school's copies: it waits until the prune has run.
    let started!: () => void;
    const verifyStarted = new Promise<void>((res) => { started = res; });
    let release!: () => void;
    const released = new Promise<void>((res) => { release = res; });
    const slow: ArchiveVerifier = {
      kind: keys.verifier.kind,
      certificateHash: () => keys.verifier.certificateHash(),
      verify: async (d, s) => { started(); await released; return keys.verifier.verify(d, s); },
    };
    const verifying = verifySnapshot(store, r.snapshot.id, slow, 'nightly-reverify');
    await verifyStarted;
    await pruneSnapshot(store, r.snapshot.id, '2026-01-15', 'operator-prune');
    expect((await store.get(r.snapshot.id))!.status).toBe('deleted');
    release();
    const verified = await verifying.catch(() => undefined);
    expect((await store.get(r.snapshot.id))!.status, 'the verify wrote the pruned snapshot back').toBe('deleted');
    expect((await listSnapshots(store)).map((s) => s.id)).not.toContain(r.snapshot.id);
    expect(verified?.prunedMeanwhile, 'the verify says the snapshot went meanwhile').toBe(true);
  });
});
