// docs/backup.md: «a full or unwritable medium is named». Node's recursive mkdir reports a read-only file system, and a
// full one, as ENOENT when the directory does not exist yet (nodejs/node#47098, #42808): an operator whose NAS was
// remounted read-only read «ENOENT: no such file or directory, mkdir …/archive» and went looking for a missing path.
import { chmod, mkdir as realMkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveSet } from '../../src/backup/archive-set.js';
import { copyTo } from '../../src/backup/destinations.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { keyPair, tempDir } from './fixtures.js';

// Media this machine cannot make (mounting a read-only file system needs privileges a test has not): the kernel's
// answers are stood in for, and Node's masking of them is reproduced as Node does it.
const simulated = vi.hoisted(() => ({ readOnly: '', full: '' }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const on = (p: unknown, root: string) => root !== '' && String(p).startsWith(`${root}/`);
  const at = (p: unknown, root: string) => root !== '' && (String(p) === root || on(p, root));
  const enoent = (p: unknown) => Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${String(p)}'`), { code: 'ENOENT', errno: -2, syscall: 'mkdir', path: String(p) });
  const mocked = {
    ...fs,
    mkdir: (async (p: Parameters<typeof fs.mkdir>[0], opts?: Parameters<typeof fs.mkdir>[1]) => {
      if (on(p, simulated.readOnly) || on(p, simulated.full)) throw enoent(p);
      return fs.mkdir(p, opts);
    }) as typeof fs.mkdir,
    access: (async (p: Parameters<typeof fs.access>[0], mode?: number) => {
      if (at(p, simulated.readOnly)) throw Object.assign(new Error(`EROFS: read-only file system, access '${String(p)}'`), { code: 'EROFS', syscall: 'access' });
      return fs.access(p, mode);
    }) as typeof fs.access,
    statfs: (async (p: Parameters<typeof fs.statfs>[0]) => {
      const r = await fs.statfs(p);
      return at(p, simulated.full) ? { ...r, bavail: 0 } : r;
    }) as typeof fs.statfs,
  };
  return { ...mocked, default: mocked };
});

describe('a medium the backup cannot write to is named for what it is', () => {
  let root: string;
  const keys = keyPair();
  const dest = (name: string, at: string) => ({ name, medium: `disk-${name}`, room: `каб. ${name}`, path: at });
  const open = (at: string) => ArchiveSet.open(
    { store: {} as CanonicalStore, destinations: [dest('a', at), dest('b', path.join(root, 'other'))], signer: keys.signer, verifier: keys.verifier },
    { kind: 'class_journal', organizationId: 'org', schoolYear: 2026, createdAt: '2026-06-25T10:00:00Z', runId: 'ro-test' },
  );
  beforeAll(async () => {
    root = await tempDir();
    // Each destination's directory exists, as the operator made it on the medium (the gateway never makes it).
    for (const m of ['read-only/journal-backup', 'read-only/nas', 'full/journal-backup', 'other']) await realMkdir(path.join(root, m), { recursive: true });
    simulated.readOnly = path.join(root, 'read-only');
    simulated.full = path.join(root, 'full');
  });
  afterAll(async () => {
    await chmod(path.join(root, 'not-writable', 'journal-backup'), 0o755).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('read-only: the yearly archive says so, not ENOENT', async () => {
    const at = path.join(simulated.readOnly, 'journal-backup');
    await expect(open(at)).rejects.toThrow(
      `backup to a (disk-a, ${at}): the medium is read-only: EROFS: ${at} cannot be written (EROFS), so ${path.join(at, 'archive')} cannot be made`,
    );
  });

  it('read-only: so does the copy to the second medium', async () => {
    const source = path.join(root, 'sealed');
    await realMkdir(source);
    const at = path.join(simulated.readOnly, 'nas');
    await expect(copyTo(source, dest('b', at), path.join('archive', '2026', 'sealed'))).rejects.toThrow(`backup to b (disk-b, ${at}): the medium is read-only: EROFS: ${at} cannot be written (EROFS)`);
  });

  it('full: the medium is called full', async () => {
    const at = path.join(simulated.full, 'journal-backup');
    await expect(open(at)).rejects.toThrow(`backup to a (disk-a, ${at}): the medium is full: ENOSPC: no space left on the file system of ${at}`);
  });

  // Root writes into a directory whatever its mode, so this real-file-system case cannot fail as root (CI containers
  // often run as root); the simulated read-only medium above covers the same path there.
  it.skipIf(process.getuid?.() === 0)('a directory the gateway\'s account may not write to: "not writable"', async () => {
    const locked = path.join(root, 'not-writable');
    const at = path.join(locked, 'journal-backup');
    await realMkdir(at, { recursive: true });
    await chmod(at, 0o555);
    await expect(open(at)).rejects.toThrow(new RegExp(`^backup to a \\(disk-a, ${at}\\): the medium is not writable: EACCES`));
  });
});
