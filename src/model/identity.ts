// Normalisation for identity matching (canonical-model.md §C.3). One function used everywhere, so no
// code path compares names differently (C.4 #3). Originals are stored; these forms are for comparison only.

/** Latin letters that look like Cyrillic ones, as they appear in names typed on a Latin layout. */
const LATIN_LOOKALIKES: Record<string, string> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у',
};

/** Compares-equal form of a name part: NFC, trimmed, spaces collapsed, case-folded, ё→е, look-alikes → Cyrillic, hyphens unified. */
export function normaliseName(value: string | undefined | null): string {
  if (!value) return '';
  let s = value.normalize('NFC').trim().toLowerCase().replace(/ё/g, 'е');
  // Double surnames: "Петрова-Водкина", "Петрова - Водкина", "Петрова Водкина" compare equal.
  s = s.replace(/\s*[-‐‑–—]\s*/g, '-').replace(/\s+/g, ' ').replace(/ /g, '-');
  if (/[а-я]/.test(s)) s = s.replace(/[a-z]/g, (ch) => LATIN_LOOKALIKES[ch] ?? ch);
  return s;
}

/** SNILS as 11 digits, or null when it is not a valid SNILS (checksum included). */
export function normaliseSnils(value: string | undefined | null): string | null {
  if (!value) return null;
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 11) return null;
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

/** The composite-exact key of tier 3: family + given + middle name + birth date + school. */
export function compositePersonKey(p: { familyName: string; givenName: string; middleName?: string; birthDate?: string }, schoolId: string): string | null {
  if (!p.birthDate) return null;
  return [normaliseName(p.familyName), normaliseName(p.givenName), normaliseName(p.middleName), p.birthDate, schoolId].join('|');
}
