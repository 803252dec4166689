// R-33 across a snapshot's copies (distinct-copies.ts): each copy verifies alone, so two copies that are one
// directory, or on one file system, must be named when the snapshot's copies are checked together.
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStorageProblems } from '../../src/backup/distinct-copies.js';
import { tempDir } from './fixtures.js';

describe('copies of one snapshot that share their storage', () => {
  let root: string;
  const copy = (medium: string, siteRoom: string, location?: string) => ({ medium, siteRoom, ...(location ? { location } : {}) });
  beforeAll(async () => {
    root = await tempDir();
    for (const d of ['disk-a/x', 'nas/x']) await mkdir(path.join(root, d), { recursive: true });
    // The NAS destination re-pointed, through a link above the copy, at disk A.
    await symlink(path.join(root, 'disk-a'), path.join(root, 'nas-relinked'), 'dir');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('of two copies with one real path, the one reached through a link is named, whatever allowOneDevice says', async () => {
    const copies = [copy('disk-a', 'серверная 101', path.join(root, 'disk-a', 'x')), copy('nas', 'архив 204', path.join(root, 'nas-relinked', 'x'))];
    const problems = await sharedStorageProblems(copies, { allowOneDevice: true });
    expect(problems).toEqual([
      [],
      [{ file: '.', message: 'is the same directory as the copy on disk-a (серверная 101): one medium\'s bytes, not a second copy (R-33)' }],
    ]);
    // Listed the other way round, the same copy is named.
    expect(await sharedStorageProblems([...copies].reverse(), { allowOneDevice: true })).toEqual([problems[1], []]);
  });

  it('two records naming one directory, neither through a link, are both named', async () => {
    const copies = [copy('disk-a', 'серверная 101', path.join(root, 'disk-a', 'x')), copy('nas', 'архив 204', path.join(root, 'disk-a', 'x'))];
    expect((await sharedStorageProblems(copies, { allowOneDevice: true })).map((p) => p.length)).toEqual([1, 1]);
  });

  it('two copies on one file system are named unless one device is allowed (a trial on one machine)', async () => {
    const copies = [copy('disk-a', 'серверная 101', path.join(root, 'disk-a', 'x')), copy('nas', 'архив 204', path.join(root, 'nas', 'x'))];
    expect((await sharedStorageProblems(copies, { allowOneDevice: false })).map((p) => p.map((x) => x.message))).toEqual([
      ['is on one file system with the copy on nas (архив 204): one medium\'s bytes, not a second copy (R-33)'],
      ['is on one file system with the copy on disk-a (серверная 101): one medium\'s bytes, not a second copy (R-33)'],
    ]);
    expect(await sharedStorageProblems(copies, { allowOneDevice: true })).toEqual([[], []]);
  });

  it('a copy that is missing or has no location is left to its own verify', async () => {
    const copies = [copy('disk-a', 'серверная 101', path.join(root, 'disk-a', 'x')), copy('nas', 'архив 204', path.join(root, 'gone')), copy('usb', 'сейф')];
    expect(await sharedStorageProblems(copies, { allowOneDevice: false })).toEqual([[], [], []]);
  });
});
