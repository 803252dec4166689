// R-33 across the copies of one snapshot: each copy verifies alone, so two copies that are one directory (a
// destination re-pointed through a link, one share mounted at both paths) or that sit on one file system would both
// pass while the school has one medium's bytes. Checked where a snapshot's copies are verified together.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VerifyProblem } from './verify.js';

export interface CopyPlace {
  medium: string;
  siteRoom: string;
  location?: string;
}

const named = (c: CopyPlace) => `the copy on ${c.medium} (${c.siteRoom})`;

/**
 * The problems of each copy (same order as `copies`) that shares its directory or, unless `allowOneDevice` (a trial
 * on one machine), its file system with another copy. Of two copies in one directory, the one whose path goes through
 * a symbolic link is named (the other holds the bytes where it was written); of two on one file system, both.
 * A copy that cannot be found is left to the verify of that copy, which reports it missing.
 */
export async function sharedStorageProblems(copies: readonly CopyPlace[], opts: { allowOneDevice: boolean }): Promise<VerifyProblem[][]> {
  const places = await Promise.all(copies.map(async (c) => {
    if (!c.location) return undefined;
    try {
      const real = await realpath(c.location);
      return { real, dev: (await stat(real)).dev, throughLink: real !== path.resolve(c.location) };
    } catch {
      return undefined;
    }
  }));
  const out: VerifyProblem[][] = copies.map(() => []);
  for (let i = 0; i < copies.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [places[j], places[i]];
      if (!a || !b) continue;
      const flag = (k: number, other: number, why: string) => out[k].push({ file: '.', message: `${why} ${named(copies[other])}: one medium's bytes, not a second copy (R-33)` });
      if (a.real === b.real) {
        // The copy reached through a link is the one not on its own medium; the other is where the bytes are. Where
        // neither path goes through a link, there is no telling: both.
        if (b.throughLink || !a.throughLink) flag(i, j, 'is the same directory as');
        if (a.throughLink || !b.throughLink) flag(j, i, 'is the same directory as');
      } else if (a.dev === b.dev && !opts.allowOneDevice) {
        flag(i, j, 'is on one file system with');
        flag(j, i, 'is on one file system with');
      }
    }
  }
  return out;
}
