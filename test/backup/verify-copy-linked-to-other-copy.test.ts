// each copy holds its own bytes on its own medium. verify names a symbolic link *inside* a copy; a copy whose
// directory itself is a link to the other copy must fail too, or `backup verify` reports two good copies (and gives
// both a fresh verifiedAt) while the school has one medium's bytes.
import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySnapshot } from '../../src/backup/catalog.js';
import { runBackup } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, twoMedia } from './fixtures.js';

describe('a copy that is a symbolic link to the other copy', () => {
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

  it('is not reported as a good copy by backup verify', async () => {
    const destinations = await twoMedia(root);
    const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb-1' });
    const [a, b] = r.copies.map((c) => c.location!);
    // The NAS copy is "repaired" with a link to disk A (or a script replaced it): no bytes of its own on the NAS.
    await rm(b, { recursive: true, force: true });
    await symlink(a, b, 'dir');
    const { checks } = await verifySnapshot(store, r.snapshot.id, keys.verifier, 'rb-verify');
    const nas = checks.find((c) => c.medium === 'nas')!;
    expect(nas.ok, 'the NAS copy is only a link into disk A').toBe(false);
    expect(nas.problems).toContainEqual({ file: '.', message: 'the copy\'s directory is a symbolic link: a copy must hold its own bytes on its own medium (R-33)' });
    expect(checks.find((c) => c.medium === 'disk-a')!.ok).toBe(true);
  });

  it('a destination re-pointed at the other medium fails the copy reached through the link: one directory, not two', async () => {
    const destinations = await twoMedia(root, '2');
    const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb-2' });
    const [a, b] = r.copies.map((c) => c.location!);
    expect(path.basename(a)).toBe(path.basename(b));
    // The NAS mount point replaced by a link to disk A's directory: the copy's own directory is no link, its parent is.
    await rm(path.join(root, 'b2'), { recursive: true, force: true });
    await symlink(path.join(root, 'a2'), path.join(root, 'b2'), 'dir');
    const { checks } = await verifySnapshot(store, r.snapshot.id, keys.verifier, 'rb-verify-2', { allowOneDevice: true });
    // Disk A's copy is where its bytes are; the NAS copy is only a way into it.
    expect(checks.map((c) => c.ok)).toEqual([true, false]);
    expect(checks[1].problems).toEqual([{ file: '.', message: 'is the same directory as the copy on disk-a (серверная 101): one medium\'s bytes, not a second copy (R-33)' }]);
  });

  it('two copies on one file system fail unless the configuration allows one device (a trial)', async () => {
    const destinations = await twoMedia(root, '3');
    const r = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb-3' });
    const strict = await verifySnapshot(store, r.snapshot.id, keys.verifier, 'rb-verify-3', { allowOneDevice: false });
    expect(strict.checks.map((c) => c.ok)).toEqual([false, false]);
    expect(strict.checks[1].problems[0].message).toMatch(/^is on one file system with the copy on disk-a/);
    const trial = await verifySnapshot(store, r.snapshot.id, keys.verifier, 'rb-verify-4', { allowOneDevice: true });
    expect(trial.checks.map((c) => c.ok)).toEqual([true, true]);
  });
});
