// A backup run killed at the worst moment (SIGKILL, a power cut, the OOM killer) and a copy that cannot be read.
// - Killed after its first copy was whole: before, that copy had its final name already, so no command listed,
//   verified, pruned or swept it — a full copy of the school's personal data left on the medium for good. Every copy
//   now stays `.partial` until the snapshot record exists; the leftover sweep removes it.
// - Killed after the record, before the renames: the sweep finds the recorded location and completes the rename.
// - One copy's manifest unreadable (a bad sector, a directory copied back without read permission): before, verify
//   threw a bare EISDIR/EACCES and checked nothing else; now it is that copy's named problem.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveSet } from '../../src/backup/archive-set.js';
import { listSnapshots, verifySnapshot } from '../../src/backup/catalog.js';
import { recordedLocations, removeLeftovers } from '../../src/backup/leftovers.js';
import { runBackup } from '../../src/backup/run-backup.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, mediaReady, tempDir, writeKeyFiles } from './fixtures.js';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = (rel: string) => JSON.stringify(path.join(project, 'src', rel));

describe('an interrupted backup run', () => {
  let root: string;
  const dests = () => [
    { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') },
    { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') },
  ];
  beforeAll(async () => {
    root = await tempDir();
    await mediaReady(dests());
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('killed after its first copy: nothing has a final name, and the sweep removes what it left', async () => {
    const dataDir = path.join(root, 'store');
    await (await filledStore({ dataDir })).close();
    const keys = await writeKeyFiles(root);
    const script = path.join(root, 'killed.mts');
    await writeFile(script, `
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { runBackup } from ${src('backup/run-backup.ts')};
import { Ed25519Signer, Ed25519Verifier } from ${src('backup/signer.ts')};
import { openStore } from ${src('store/index.ts')};
const store = await openStore({ dataDir: ${JSON.stringify(dataDir)}, databaseUrl: null });
await runBackup(store, {
  destinations: ${JSON.stringify(dests())}, nightlyRetentionDays: 30, runId: 'killed',
  signer: new Ed25519Signer(createPrivateKey(readFileSync(${JSON.stringify(keys.privateFile)}))),
  verifier: new Ed25519Verifier(createPublicKey(readFileSync(${JSON.stringify(keys.publicFile)}))),
  onProgress: (stage) => { if (stage.startsWith('copying')) process.kill(process.pid, 'SIGKILL'); },
});
`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const left = await readdir(path.join(root, 'a'));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^nightly-backup-.*\.partial$/);
    const store = await openStore({ dataDir, databaseUrl: null });
    try {
      expect(await listSnapshots(store)).toEqual([]);
      const later = new Date(Date.now() + 7 * 3_600_000);
      const swept = await removeLeftovers(dests(), { now: later, recorded: await recordedLocations(store) });
      expect(swept.map((l) => [l.destination, l.action])).toEqual([['a', 'removed']]);
      expect(await readdir(path.join(root, 'a'))).toEqual([]);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('killed after recording, before renaming a copy: the sweep completes the rename instead of removing a recorded copy', async () => {
    const store = await filledStore();
    const keys = keyPair();
    const dir = path.join(root, 'recorded');
    const destinations = await mediaReady(dests().map((d) => ({ ...d, path: path.join(dir, d.name) })));
    try {
      const run = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'r' });
      const second = run.copies[1].location!;
      // As the kill left it: recorded under its final name, still written as .partial, untouched for seven hours.
      await rename(second, `${second}.partial`);
      const hoursAgo = new Date(Date.now() - 7 * 3_600_000);
      await utimes(`${second}.partial`, hoursAgo, hoursAgo);
      for (const f of await readdir(`${second}.partial`, { recursive: true })) await utimes(path.join(`${second}.partial`, f), hoursAgo, hoursAgo);
      expect((await verifySnapshot(store, run.snapshot.id, keys.verifier, 'v1')).checks.map((c) => c.ok)).toEqual([true, false]);
      const swept = await removeLeftovers(destinations, { recorded: await recordedLocations(store) });
      expect(swept.map((l) => [l.destination, l.path, l.action])).toEqual([['b', second, 'completed']]);
      expect((await verifySnapshot(store, run.snapshot.id, keys.verifier, 'v2')).checks.map((c) => c.ok)).toEqual([true, true]);
    } finally {
      await store.close();
    }
  });

  it('a copy whose manifest cannot be read is that copy\'s named problem: the other copy is still checked and recorded', async () => {
    const store = await filledStore();
    const keys = keyPair();
    const dir = path.join(root, 'unreadable');
    const destinations = await mediaReady(dests().map((d) => ({ ...d, path: path.join(dir, d.name) })));
    try {
      const run = await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'r' });
      const manifest = path.join(run.copies[1].location!, 'manifest.json');
      await rm(manifest);
      await mkdir(manifest);
      const { checks } = await verifySnapshot(store, run.snapshot.id, keys.verifier, 'v');
      expect(checks.map((c) => c.ok)).toEqual([true, false]);
      expect(checks[1].problems).toEqual([{ file: 'manifest.json', message: 'cannot be read (EISDIR)' }]);
      const stored = (await listSnapshots(store)).find((s) => s.id === run.snapshot.id)!;
      expect(stored.copies[0].verifiedAt! > run.copies[0].verifiedAt!).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a yearly-archive document that cannot be written names the destination (a full medium said only ENOSPC)', async () => {
    const store = await filledStore();
    const keys = keyPair();
    const destinations = await mediaReady(dests().map((d) => ({ ...d, path: path.join(root, 'archive-fail', d.name) })));
    try {
      const set = await ArchiveSet.open({ store, destinations, signer: keys.signer, verifier: keys.verifier }, {
        kind: 'summary_sheet', organizationId: '00000000-0000-4000-8000-000000000001', schoolYear: 2026, createdAt: new Date().toISOString(), runId: 'a',
      });
      // The medium goes away under the run (unmounted, or full: any error of the file system).
      await rm(path.join(root, 'archive-fail', 'a'), { recursive: true, force: true });
      const doc = set.document('summary-sheet.csv', 'summary_sheet_csv');
      await expect((async () => {
        await new Promise((r) => setTimeout(r, 50));
        await doc.write('x');
        await doc.close();
      })()).rejects.toThrow(/^backup to a \(disk-a, .*archive-fail\/a\): ENOENT/);
      await set.abort();
    } finally {
      await store.close();
    }
  });
});
