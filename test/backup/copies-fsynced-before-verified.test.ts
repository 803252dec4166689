// a copy counts as verified only once its bytes are on its medium. A verify right after writing reads the
// page cache, not the disk or the NAS: without fsync a write-back error (a failing disk's EIO, a NAS's ENOSPC or
// quota) is never reported, and a power cut minutes after the nightly run leaves empty or missing files under a
// snapshot the store calls verified. Observed with strace (skipped where it is not installed: bash scripts/setup.sh strace, which CI runs):
// each copy's files and directories are fsynced before the copy is renamed to its final name, and its parent
// directory after.
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filledStore, keyPair, tempDir, writeKeyFiles } from './fixtures.js';

const exec = promisify(execFile);
const hasStrace = (() => { try { execFileSync('strace', ['-V'], { stdio: 'ignore' }); return true; } catch { return false; } })();

describe('a backup\'s copies are on their media before the run says they are verified', () => {
  let root: string;
  let config: string;
  beforeAll(async () => {
    root = await tempDir();
    for (const d of ['copies-a', 'copies-b']) await mkdir(path.join(root, d)); // as the operator does once on each medium
    const keys = await writeKeyFiles(root, keyPair());
    const store = await filledStore({ dataDir: path.join(root, 'data', 'store') });
    await store.close();
    config = path.join(root, 'gateway.yaml');
    await writeFile(config, `region: { id: r1, name: Регион }
store: { dataDir: ${JSON.stringify(path.join(root, 'data'))} }
backup:
  allowOneDevice: true
  destinations:
    - { name: a, medium: disk-a, room: "серверная 101", path: ${JSON.stringify(path.join(root, 'copies-a'))} }
    - { name: b, medium: nas, room: "архив 204", path: ${JSON.stringify(path.join(root, 'copies-b'))} }
  signingKeyFile: ${JSON.stringify(keys.privateFile)}
  verifyKeyFile: ${JSON.stringify(keys.publicFile)}
`);
  }, 120_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.skipIf(!hasStrace)('backup run flushes each copy\'s files to the medium', async () => {
    const log = path.join(root, 'strace.log');
    await exec('strace', ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync,syncfs,sync,sync_file_range,rename,renameat,renameat2', '-o', log,
      process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'backup', 'run', '--config', config, '--json'], { maxBuffer: 16 * 2 ** 20 });
    const calls = (await readFile(log, 'utf8')).split('\n');
    // strace saw the run's file system work: the copies were renamed from .partial to their final names.
    const renames = calls.map((l, i) => ({ l, i })).filter(({ l }) => /rename/.test(l) && l.includes('.partial'));
    expect(renames).toHaveLength(2);
    const syncs = calls.map((l, i) => ({ l, i })).filter(({ l }) => /^\d+\s+(fsync|fdatasync)\(/.test(l));
    for (const dest of ['copies-a', 'copies-b']) {
      const at = path.join(root, dest);
      const rename = renames.find(({ l }) => l.includes(at))!;
      const partial = /(\/[^"<>]*\.partial)/.exec(rename.l)![1];
      const before = syncs.filter(({ l, i }) => i < rename.i && l.includes(`${partial}/`)).map(({ l }) => l);
      for (const file of ['manifest.json', 'manifest.sig', 'records/person.ndjson.gz', 'change_log.ndjson.gz']) {
        expect(before.some((l) => l.includes(`${partial}/${file}>`)), `${dest}: ${file} fsynced before the copy was recorded`).toBe(true);
      }
      const dirSynced = (dir: string, from: number, to: number) => syncs.some(({ l, i }) => i > from && i < to && l.includes(`<${dir}>`));
      expect(dirSynced(partial, -1, rename.i), `${dest}: the copy's directory fsynced before it was recorded`).toBe(true);
      expect(dirSynced(`${partial}/records`, -1, rename.i), `${dest}: records/ fsynced`).toBe(true);
      expect(dirSynced(at, rename.i, Infinity), `${dest}: the destination's directory fsynced after the rename`).toBe(true);
    }
  }, 180_000);
});
