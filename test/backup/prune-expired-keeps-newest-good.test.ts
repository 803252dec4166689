// `prune --expired` keeps each school's newest nightly backup whose latest check passed. It used to keep "the newest
// with a verified copy": every copy gets a verifiedAt when it is written and a copy later found damaged keeps that
// old verifiedAt, so the newest backup was kept whatever its state. When `backup verify` had just found both copies of
// the newest backup damaged, prune deleted the older backup that verified the same day: the school was left with no
// restorable backup. A check now records lastCheckFailedAt on a damaged copy, and a later passing check removes it.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSnapshot, listSnapshots, pruneExpired, verifySnapshot } from '../../src/backup/catalog.js';
import { runBackup } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

describe('prune --expired and a newest backup found damaged', () => {
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
    const destinations = await twoMedia(root);
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
    const damaged = await getSnapshot(store, newest.snapshot.id);
    expect(damaged.copies.every((c) => c.lastCheckFailedAt && c.checkedAt === c.lastCheckFailedAt)).toBe(true);
    const pruned = await pruneExpired(store, '2026-01-15', 'prune');
    expect(pruned.keptAsNewest).toEqual([older.snapshot.id]);
    expect(pruned.pruned.map((p) => p.id)).toEqual([newest.snapshot.id]);
    const left = await listSnapshots(store);
    const restorable = [];
    for (const s of left) if ((await verifySnapshot(store, s.id, keys.verifier, 'v2')).checks.some((c) => c.ok)) restorable.push(s.id);
    expect(restorable, 'the school must keep at least one backup that verifies').not.toEqual([]);
  });

  it('a copy restored from the good one passes its next check, which removes lastCheckFailedAt', async () => {
    const d = path.join(root, 'r');
    const destinations = await twoMedia(d);
    const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb2', now: () => new Date('2025-10-03T02:00:00Z') });
    const nas = r.copies.find((c) => c.medium === 'nas')!.location!;
    const f = path.join(nas, 'records', 'person.ndjson.gz');
    const good = await readFile(f);
    const bad = Buffer.from(good);
    bad[bad.length >> 1] ^= 0xff;
    await writeFile(f, bad);
    await verifySnapshot(store, r.snapshot.id, keys.verifier, 'v3');
    const found = (await getSnapshot(store, r.snapshot.id)).copies.find((c) => c.medium === 'nas')!;
    expect(found.lastCheckFailedAt).toBeDefined();
    await writeFile(f, good);
    expect((await verifySnapshot(store, r.snapshot.id, keys.verifier, 'v4')).checks.every((c) => c.ok)).toBe(true);
    const whole = (await getSnapshot(store, r.snapshot.id)).copies.find((c) => c.medium === 'nas')!;
    expect(whole.lastCheckFailedAt).toBeUndefined();
    expect(whole.verifiedAt).toBe(whole.checkedAt);
    expect(whole.verifiedAt! > found.verifiedAt!).toBe(true);
  });
});
