// R-33 across the copies of one snapshot: each copy verifies alone, so two copies that are one directory (a
// destination re-pointed through a link, one share mounted at both paths) or that sit on one file system would both
// pass while the school has one medium's bytes. Checked where a snapshot's copies are verified together.
import { realpath, stat } from 'node:fs/promises';
import type { VerifyProblem } from './verify.js';

export interface CopyPlace {
  medium: string;
  siteRoom: string;
  location?: string;
}

const named = (c: CopyPlace) => `the copy on ${c.medium} (${c.siteRoom})`;

/**
 * The problems of each copy (same order as `copies`) that shares its directory or, unless `allowOneDevice` (a trial
 * on one machine), its file system with another copy. Both copies of a pair are named: neither is a second medium.
 * A copy that cannot be found is left to the verify of that copy, which reports it missing.
 */
export async function sharedStorageProblems(copies: readonly CopyPlace[], opts: { allowOneDevice: boolean }): Promise<VerifyProblem[][]> {
  const places = await Promise.all(copies.map(async (c) => {
    if (!c.location) return undefined;
    try {
      const real = await realpath(c.location);
      return { real, dev: (await stat(real)).dev };
    } catch {
      return undefined;
    }
  }));
  const out: VerifyProblem[][] = copies.map(() => []);
  for (let i = 0; i < copies.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [places[j], places[i]];
      if (!a || !b) continue;
      let why: string | undefined;
      if (a.real === b.real) why = 'is the same directory as';
      else if (a.dev === b.dev && !opts.allowOneDevice) why = 'is on one file system with';
      if (!why) continue;
      out[i].push({ file: '.', message: `${why} ${named(copies[j])}: one medium's bytes, not a second copy (R-33)` });
      out[j].push({ file: '.', message: `${why} ${named(copies[i])}: one medium's bytes, not a second copy (R-33)` });
    }
  }
  return out;
}
