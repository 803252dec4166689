// REVIEW-B (fails on purpose): `prune --expired` promises to keep "the newest nightly backup of each school that has a
// verified copy". Every copy gets a verifiedAt when it is written, and a copy later found damaged keeps that old
// verifiedAt, so the rule always keeps the newest backup whatever its state. When `backup verify` has just found both
// copies of the newest backup damaged, prune deletes the older backup that verified ok the same day: the school is
// left with no restorable backup at all.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSnapshots, pruneExpired, verifySnapshot } from '../../../src/backup/catalog.js';
import { runBackup } from '../../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../../src/store/index.js';
import { filledStore, keyPair, tempDir } from '../fixtures.js';

describe('review-b: prune --expired and a newest backup found damaged', () => {
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

  it('does not delete the last backup that verifies', async () => {
    const destinations = [
      { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') },
      { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') },
    ];
    const opts = { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb' };
    const older = await runBackup(store, { ...opts, now: () => new Date('2025-10-01T02:00:00Z') });
    const newest = await runBackup(store, { ...opts, now: () => new Date('2025-10-02T02:00:00Z') });
    // Both copies of the newest backup rot (one byte of the person file each).
    for (const c of newest.copies) {
      const f = path.join(c.location!, 'records', 'person.ndjson.gz');
      const bytes = await readFile(f);
      bytes[bytes.length >> 1] ^= 0xff;
      await writeFile(f, bytes);
    }
    // The operator checks: the older backup is whole, the newest is damaged on both media.
    expect((await verifySnapshot(store, older.snapshot.id, keys.verifier, 'v')).checks.every((c) => c.ok)).toBe(true);
    expect((await verifySnapshot(store, newest.snapshot.id, keys.verifier, 'v')).checks.some((c) => c.ok)).toBe(false);

    // Months later (the nightly job had stopped), the expired ones are pruned.
    await pruneExpired(store, '2026-01-15', 'prune');
    const left = await listSnapshots(store);
    const restorable = [];
    for (const s of left) if ((await verifySnapshot(store, s.id, keys.verifier, 'v2')).checks.some((c) => c.ok)) restorable.push(s.id);
    expect(restorable, 'the school must keep at least one backup that verifies').not.toEqual([]);
  });
});
