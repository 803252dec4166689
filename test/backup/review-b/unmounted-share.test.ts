// REVIEW-B (fails on purpose): the R-33 device check is meant to catch "an unmounted share: its mount point is then a
// directory of the local disk" (docs/backup.md). It only compares the destinations with each other, so it catches that
// only when disk A happens to be on the same file system as the empty mount point. The usual server layout — disk A a
// backup disk of its own (/srv/backup), the NAS at /mnt/nas — passes with the NAS not mounted: the run creates
// /mnt/nas/journal-backup on the system disk, and records that copy as «nas @ архив 204», verified. Both copies sit in
// the server room; the second room holds nothing. Every later night passes too (the directory now exists).
// Simulated with two real file systems: /dev/shm (tmpfs) as disk A, and an empty directory of / as the NAS mount point.
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeparateDevices } from '../../../src/backup/destinations.js';
import { runBackup } from '../../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../../src/store/index.js';
import { filledStore, keyPair } from '../fixtures.js';

const twoFileSystems = await (async () => {
  const [shm, tmp] = await Promise.all([stat('/dev/shm').catch(() => undefined), stat(tmpdir())]);
  return shm !== undefined && shm.dev !== tmp.dev;
})();

describe.skipIf(!twoFileSystems)('review-b: the NAS share is not mounted', () => {
  let store: CanonicalStore;
  let diskA: string;
  let server: string;
  const keys = keyPair();
  beforeAll(async () => {
    store = await filledStore();
    diskA = await mkdtemp('/dev/shm/jg-review-b-disk-a-');
    server = await mkdtemp(path.join(tmpdir(), 'jg-review-b-root-'));
    await mkdir(path.join(server, 'mnt', 'nas'), { recursive: true }); // the mount point, empty: nothing is mounted on it
  });
  afterAll(async () => {
    await store?.close();
    await rm(diskA, { recursive: true, force: true });
    await rm(server, { recursive: true, force: true });
  });

  it('no backup is recorded with its "NAS" copy on the server\'s system disk', async () => {
    const destinations = [
      { name: 'primary', medium: 'disk-a', room: 'серверная, каб. 101', path: path.join(diskA, 'backup') },
      { name: 'second', medium: 'nas', room: 'архив, каб. 204', path: path.join(server, 'mnt', 'nas', 'journal-backup') },
    ];
    const attempt = (async () => {
      await checkSeparateDevices(destinations); // what `backup run` and the nightly job do first
      return runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb' });
    })();
    const outcome = await attempt.then((r) => r.copies.map((c) => `${c.medium}@${c.siteRoom}: ${c.location}`), (e: Error) => e);
    expect(outcome, 'the run should refuse: the NAS destination is an empty mount point on the system disk').toBeInstanceOf(Error);
  }, 120_000);
});
