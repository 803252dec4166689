// Name similarity for review candidates only (tier 4): never a reason to merge on its own.
import { normaliseName } from '../model/identity.js';

/** Levenshtein distance, bounded: returns limit + 1 as soon as the distance exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** 0…1 score of two full names after normalisation; 1 means equal normalised names. */
export function nameScore(a: { familyName: string; givenName: string; middleName?: string }, b: typeof a): number {
  const fa = `${normaliseName(a.familyName)} ${normaliseName(a.givenName)} ${normaliseName(a.middleName)}`;
  const fb = `${normaliseName(b.familyName)} ${normaliseName(b.givenName)} ${normaliseName(b.middleName)}`;
  const d = editDistance(fa, fb, 6);
  return Math.max(0, 1 - d / Math.max(fa.length, fb.length, 1));
}
