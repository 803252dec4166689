// an unmounted NAS share must not pass for the NAS. With the usual layout — disk A a backup disk of its own
// (/srv/backup), the NAS at /mnt/nas — the two destinations are on two file systems whether the NAS is mounted or
// not, so the device check cannot tell. What tells is the destination's directory: the operator made it once on the
// mounted share, and the gateway never makes it; with the share not mounted it is missing, and the run is refused
// naming the destination, instead of writing a copy to the system disk and recording it as «nas @ архив 204».
// Simulated with two real file systems: /dev/shm (tmpfs) as disk A, and an empty directory of / as the NAS mount point.
import { access, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeparateDevices } from '../../src/backup/destinations.js';
import { runBackup } from '../../src/backup/run-backup.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair } from './fixtures.js';

const twoFileSystems = await (async () => {
  const [shm, tmp] = await Promise.all([stat('/dev/shm').catch(() => undefined), stat(tmpdir())]);
  return shm !== undefined && shm.dev !== tmp.dev;
})();

describe.skipIf(!twoFileSystems)('the NAS share is not mounted', () => {
  let store: CanonicalStore;
  let diskA: string;
  let server: string;
  const keys = keyPair();
  beforeAll(async () => {
    store = await filledStore();
    diskA = await mkdtemp('/dev/shm/jg-review-b-disk-a-');
    server = await mkdtemp(path.join(tmpdir(), 'jg-review-b-root-'));
    await mkdir(path.join(diskA, 'backup')); // made by the operator on disk A
    await mkdir(path.join(server, 'mnt', 'nas'), { recursive: true }); // the mount point, empty: nothing is mounted on it
  });
  afterAll(async () => {
    await store?.close();
    await rm(diskA, { recursive: true, force: true });
    await rm(server, { recursive: true, force: true });
  });

  it('no backup is recorded with its "NAS" copy on the server\'s system disk: the run is refused, naming the NAS destination', async () => {
    const nas = path.join(server, 'mnt', 'nas', 'journal-backup');
    const destinations = [
      { name: 'primary', medium: 'disk-a', room: 'серверная, каб. 101', path: path.join(diskA, 'backup') },
      { name: 'second', medium: 'nas', room: 'архив, каб. 204', path: nas },
    ];
    const attempt = (async () => {
      await checkSeparateDevices(destinations); // what `backup run` and the nightly job do first
      return runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb' });
    })();
    await expect(attempt).rejects.toThrow(`backup destination second (medium nas, архив, каб. 204): its directory ${nas} does not exist. `
      + 'The gateway never creates a destination\'s directory: is medium nas mounted?');
    // Nor does runBackup alone (a caller that skipped the device check) make it.
    await expect(runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb' })).rejects.toThrow(/medium nas mounted/);
    expect(await access(nas).then(() => true, () => false), 'the NAS directory on the system disk').toBe(false);
    expect(await readdir(path.join(diskA, 'backup')), 'nothing written to disk A either').toEqual([]);
  }, 120_000);

  it('once the share is mounted (here: its directory made on the medium), the same configuration backs up', async () => {
    const nas = path.join(server, 'mnt', 'nas', 'journal-backup');
    await mkdir(nas);
    const destinations = [
      { name: 'primary', medium: 'disk-a', room: 'серверная, каб. 101', path: path.join(diskA, 'backup') },
      { name: 'second', medium: 'nas', room: 'архив, каб. 204', path: nas },
    ];
    await checkSeparateDevices(destinations);
    const run = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'rb' });
    expect(run.copies.map((c) => c.medium)).toEqual(['disk-a', 'nas']);
  }, 120_000);
});
