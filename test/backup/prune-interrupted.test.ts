// past retention a copy is personal data that must go. A prune stopped partway through removing a copy (killed,
// a power cut, a reboot for updates) left a directory with part of the school's data and no manifest.json or
// manifest.sig — or an empty directory — which the next prune could not prove the snapshot's: it kept the snapshot
// naming the copy, «not removed … its manifest.json cannot be read (ENOENT)», for the operator to delete by hand.
// The prune's removal is simulated dying after a given number of removals (the filesystem calls are real).
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Removals left before the simulated prune dies; undefined: not armed. */
let budget: number | undefined;
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const spend = () => {
    if (budget === undefined) return;
    if (budget === 0) throw new Error('simulated: the prune was killed here');
    budget--;
  };
  // rm as the kernel sees it: a directory's entries one by one (in name order), then the directory.
  const dyingRm = async (p: string, opts?: { recursive?: boolean; force?: boolean }): Promise<void> => {
    if (budget === undefined) return real.rm(p, opts);
    const st = await real.lstat(p).catch(() => null);
    if (!st) return opts?.force ? undefined : real.rm(p, opts);
    if (st.isDirectory() && opts?.recursive) for (const name of (await real.readdir(p)).sort()) await dyingRm(path.join(p, name), opts);
    spend();
    return real.rm(p, opts);
  };
  const dyingRmdir = async (p: string) => { spend(); return real.rmdir(p); };
  return { ...real, default: { ...real, rm: dyingRm, rmdir: dyingRmdir }, rm: dyingRm, rmdir: dyingRmdir };
});

const { pruneSnapshot } = await import('../../src/backup/catalog.js');
const { runBackup } = await import('../../src/backup/run-backup.js');
const { filledStore, keyPair, tempDir, twoMedia } = await import('./fixtures.js');
const { rm } = await import('node:fs/promises');

const exists = (p: string) => stat(p).then(() => true, () => false);
/** Every file and directory under `dir`, the directory itself included. */
async function entries(dir: string): Promise<number> {
  let n = 1;
  for (const e of await readdir(dir)) n += (await lstat(path.join(dir, e))).isDirectory() ? await entries(path.join(dir, e)) : 1;
  return n;
}

describe('a prune interrupted while removing a copy (R-32)', () => {
  let store: Awaited<ReturnType<typeof filledStore>>;
  let root: string;
  const keys = keyPair();
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
  }, 120_000);
  afterAll(async () => {
    budget = undefined;
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  const cases: [string, (copy: string) => Promise<number>][] = [
    // In name order manifest.json and manifest.sig go before records/: what is left is data that names no snapshot.
    ['with part of the copy\'s data left', async (copy) => (await readdir(copy)).filter((n) => n <= 'manifest.sig').length],
    ['with only its empty directory left', async (copy) => (await entries(copy)) - 1],
  ];
  for (const [i, [when, removalsBeforeDeath]] of cases.entries()) {
    it(`the next prune finishes it: ${when}`, async () => {
      const tag = `-${i}`;
      const run = await runBackup(store, {
        destinations: await twoMedia(root, tag), signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30,
        runId: `b-${tag}`, now: () => new Date('2026-01-10T02:00:00Z'),
      });
      const copies = run.copies.map((c) => c.location!);
      budget = await removalsBeforeDeath(copies[0]);
      await expect(pruneSnapshot(store, run.snapshot.id, '2027-06-01', `prune-${tag}`)).rejects.toThrow('simulated');
      budget = undefined;
      expect(await exists(copies[0]), 'the interrupted prune left the copy\'s directory').toBe(true);

      const again = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', `prune-${tag}-again`);
      expect(again.unproven).toEqual([]);
      expect(again.removed).toEqual(copies);
      for (const c of copies) expect(await exists(c), c).toBe(false);
      expect((await store.get(run.snapshot.id))!.status).toBe('deleted');
    }, 60_000);
  }
});
