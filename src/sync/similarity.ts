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

/** The most edits two full names may differ by and still be called similar (a typo, ё/е, a changed letter or two). */
const MAX_EDITS = 6;

/**
 * 0…1 score of two full names after normalisation; 1 means equal normalised names, 0 more than {@link MAX_EDITS} edits
 * apart. The distance stops counting past the limit, so every name further off than that scored `1 − 7/length`: two
 * long unrelated names (≥ 28 letters) passed the 0.75 threshold, tied with each other, and proposed strangers for
 * review — a parent against a pupil, a new teacher against another.
 */
export function nameScore(a: { familyName: string; givenName: string; middleName?: string }, b: typeof a): number {
  // One platform writing a part of a double surname («Петрова» for «Петрова-Водкина», a form with room for one): the
  // rest of the names are compared, scaled as a missing patronymic is — eight letters apart, it scored 0 and the pupil
  // became two people with no review item.
  const part = partOfDoubleSurname(normaliseName(a.familyName), normaliseName(b.familyName));
  if (part) return nameScore({ ...a, familyName: part }, { ...b, familyName: part }) * NO_PATRONYMIC_FACTOR;
  const ma = normaliseName(a.middleName);
  const mb = normaliseName(b.middleName);
  // A patronymic one platform leaves out (every platform's schema makes it optional) is not a difference of seven or
  // more letters: the rest of the names are compared, and the score kept below an equal name's.
  const oneSided = (ma === '') !== (mb === '');
  const fa = `${normaliseName(a.familyName)} ${normaliseName(a.givenName)}${oneSided ? '' : ` ${ma}`}`;
  const fb = `${normaliseName(b.familyName)} ${normaliseName(b.givenName)}${oneSided ? '' : ` ${mb}`}`;
  const d = editDistance(fa, fb, MAX_EDITS);
  if (d > MAX_EDITS) return 0;
  const score = Math.max(0, 1 - d / Math.max(fa.length, fb.length, 1));
  return oneSided ? score * NO_PATRONYMIC_FACTOR : score;
}

/** A name without its patronymic (or with a part of a double surname) scores at most this against the full name: proposed for review, never taken as equal. */
const NO_PATRONYMIC_FACTOR = 0.9;

/** The shorter family name where it is one part of the other, a double surname («петрова» of «петрова-водкина»). */
function partOfDoubleSurname(fa: string, fb: string): string | undefined {
  const [long, short] = fa.length >= fb.length ? [fa, fb] : [fb, fa];
  return short && long !== short && !short.includes('-') && long.split('-').includes(short) ? short : undefined;
}
