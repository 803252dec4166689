// Normalisation for identity matching (canonical-model.md §C.3). One function used everywhere, so no
// code path compares names differently (C.4 #3). Originals are stored; these forms are for comparison only.

/** Latin letters that look like Cyrillic ones, as they appear in names typed on a Latin layout. */
const LATIN_LOOKALIKES: Record<string, string> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у',
};

/**
 * Characters that print as nothing: every Unicode format character (zero-width spaces and joiners, the soft hyphen,
 * a byte-order mark, and the bidi isolates and embeddings a name pasted from Excel or a messenger brings along).
 */
const INVISIBLE = /\p{Cf}/gu;
/**
 * Every apostrophe a keyboard or a word processor puts into «Мар'яна» or «О'Коннор» (a right single quote, a modifier
 * letter apostrophe, a backtick, an acute accent, a prime): one pupil typed one way on a platform and pasted the other
 * way on another was two names — no composite match, at best a review item.
 */
const APOSTROPHES = /[\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032]/g;
/** Every dash and minus a keyboard or a word processor puts between the parts of a double surname. */
const DASHES = /\s*[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]\s*/g;

/**
 * Compares-equal form of a name part: NFC, invisible characters dropped, trimmed, spaces collapsed, case-folded,
 * ё (and the Latin ë typed for it) → е, hyphens, dashes and apostrophes unified, Latin look-alikes → Cyrillic — inside a Cyrillic
 * name, or for a whole name typed in look-alikes only ("AHHA").
 */
export function normaliseName(value: string | undefined | null): string {
  if (!value) return '';
  let s = value.normalize('NFC').replace(INVISIBLE, '').trim().toLowerCase().replace(/[ёë]/g, 'е').replace(APOSTROPHES, "'");
  // Double surnames: "Петрова-Водкина", "Петрова - Водкина", "Петрова−Водкина", "Петрова Водкина" compare equal.
  s = s.replace(DASHES, '-').replace(/\s+/g, ' ').replace(/ /g, '-');
  const latin = s.match(/[a-z]/g);
  if (latin && (/[а-я]/.test(s) || latin.every((ch) => ch in LATIN_LOOKALIKES))) s = s.replace(/[a-z]/g, (ch) => LATIN_LOOKALIKES[ch] ?? ch);
  return s;
}

/**
 * SNILS as 11 digits, or null when it cannot identify anyone: not 11 digits, a wrong check number, or a number up to
 * 001-001-998 — those carry no check number, and a placeholder such as 000-000-000 00 would otherwise match every
 * person given it (SNILS is a matching tier that merges without review).
 */
export function normaliseSnils(value: string | undefined | null): string | null {
  if (typeof value !== 'string' || !value) return null;
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 11 || Number(digits.slice(0, 9)) <= 1_001_998) return null;
  return snilsChecksumValid(digits) ? digits : null;
}

/**
 * SNILS check number: Σ digit × (9 − position) over the first nine digits; < 100 → itself, 100/101 → 00,
 * > 101 → mod 101 (then 100 → 00). Numbers up to 001-001-998 carry no check.
 */
export function snilsChecksumValid(digits: string): boolean {
  const body = digits.slice(0, 9);
  if (Number(body) <= 1_001_998) return true;
  return snilsCheckNumber(body) === digits.slice(9);
}

export function snilsCheckNumber(body9: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body9[i]) * (9 - i);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  return String(check).padStart(2, '0');
}

/** E-mail for comparison: trimmed, lower-case. */
export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** Russian phone numbers to E.164 (+7XXXXXXXXXX); other input keeps its digits with a leading +. */
export function normalisePhone(value: string): string {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  if (digits.length === 10) digits = `7${digits}`;
  return `+${digits}`;
}

/**
 * Contact keys of tier 3 for teachers and parents (canonical-model.md §C.3: "normalised phone or e-mail + name"):
 * `email:<lower-case>` and `phone:<E.164>`. Only values that can name one person count: an e-mail with a local part
 * and a dotted domain, a phone of 8…15 digits after normalisation (an empty, a short or a placeholder value would
 * match everyone given it). For comparison only: the originals are stored.
 */
export function contactKeys(p: { emails?: readonly string[]; phones?: readonly string[] }): string[] {
  const keys = new Set<string>();
  for (const e of p.emails ?? []) {
    const v = normaliseEmail(e);
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) keys.add(`email:${v}`);
  }
  for (const ph of p.phones ?? []) {
    const v = normalisePhone(ph);
    // A placeholder such as +7 000 000-00-00 or 8 999 999-99-99: the last seven digits all one.
    if (/^\+[1-9]\d{7,14}$/.test(v) && !/(\d)\1{6}$/.test(v)) keys.add(`phone:${v}`);
  }
  return [...keys];
}

/** Family + given + middle name, each normalised with {@link normaliseName}: "the same name" at every tier. */
export function normalisedFullName(p: { familyName: string; givenName: string; middleName?: string }): string {
  return [normaliseName(p.familyName), normaliseName(p.givenName), normaliseName(p.middleName)].join('|');
}

/** The composite-exact key of tier 3: family + given + middle name + birth date + school. */
export function compositePersonKey(p: { familyName: string; givenName: string; middleName?: string; birthDate?: string }, schoolId: string): string | null {
  if (!p.birthDate) return null;
  return [normaliseName(p.familyName), normaliseName(p.givenName), normaliseName(p.middleName), p.birthDate, schoolId].join('|');
}
