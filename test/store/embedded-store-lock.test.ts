// The embedded store (PGlite) serves one process: a second process opening the same data directory ran its own
// PostgreSQL over the same files and corrupted the store for good (two `sync journal` at once, found by an audit).
// Now the directory is taken with a lock file; another live process is refused (exit 69, the same command may succeed
// later) with what to do, a lock left by a dead process is taken over, and one process may open its store twice.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { openStore } from '../../src/store/index.js';

describe('the embedded store is one process\'s', () => {
  let dir: string;
  const lockFile = () => path.join(dir, '.journal-gateway.lock');
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jg-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('another live process holding the directory: refused, naming the directory and what to do; nothing opened', async () => {
    // pid 1 (init) is alive on every machine: it stands for another journal-gateway process, started after the boot.
    await writeFile(lockFile(), JSON.stringify({ pid: 1, host: hostname(), since: new Date().toISOString() }));
    const err = await openStore({ databaseUrl: null, dataDir: dir }).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain(`the embedded store ${dir} is in use by process 1`);
    expect(err!.message).toContain('PostgreSQL');
    expect(exitCodeOf(err)).toBe(69);
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(1);
  });

  it('a lock left by a process that died is taken over; closing the store gives the directory back', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(lockFile(), JSON.stringify({ pid: dead, host: hostname(), since: '2026-12-01T10:00:00.000Z' }));
    const store = await openStore({ databaseUrl: null, dataDir: dir });
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(process.pid);
    await store.close();
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a lock naming this process (a container restarted with the same pid) or taken before the machine booted is stale', async () => {
    await writeFile(lockFile(), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    const own = await openStore({ databaseUrl: null, dataDir: dir });
    await own.close();
    await writeFile(lockFile(), JSON.stringify({ pid: 1, host: hostname(), since: '2000-01-01T00:00:00.000Z' }));
    const afterBoot = await openStore({ databaseUrl: null, dataDir: dir });
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(process.pid);
    await afterBoot.close();
  });

  it('one process may open its store more than once; the lock goes with the last close', async () => {
    const a = await openStore({ databaseUrl: null, dataDir: dir });
    const b = await openStore({ databaseUrl: null, dataDir: dir });
    await a.close();
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(process.pid);
    await b.close();
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
