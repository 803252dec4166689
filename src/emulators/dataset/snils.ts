// СНИЛС: 9-digit number + 2 check digits. Check: Σ digit_i × (9 − i) for i = 0..8 (weights 9…1);
// sum < 100 → sum; 100 or 101 → 00; > 101 → sum mod 101 (a result of 100 → 00). Numbers up to
// 001-001-998 were issued before the check was introduced and are not checked.

/** Check digits ("00".."99") of a 9-digit SNILS body. */
export function snilsCheckDigits(body: string): string {
  if (!/^\d{9}$/.test(body)) throw new Error('SNILS body must be 9 digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check: number;
  if (sum < 100) check = sum;
  else if (sum === 100 || sum === 101) check = 0;
  else {
    check = sum % 101;
    if (check === 100) check = 0;
  }
  return String(check).padStart(2, '0');
}

/** Digits only, or null when the value is not 11 digits once spaces and dashes are removed. */
export function normaliseSnils(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{11}$/.test(digits) ? digits : null;
}

/** True for an 11-digit SNILS (any of `12345678901`, `123-456-789 01`) whose check digits match. */
export function isValidSnils(value: string): boolean {
  const d = normaliseSnils(value);
  if (!d) return false;
  const body = d.slice(0, 9);
  if (Number(body) <= 1001998) return true; // issued before check digits existed
  return snilsCheckDigits(body) === d.slice(9);
}

/** `12345678901` → `123-456-789 01`. */
export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9, 11)}`;
}

/** A valid SNILS from a 9-digit body number (above the unchecked range). */
export function snilsFromNumber(n: number): string {
  const body = String(n).padStart(9, '0');
  if (Number(body) <= 1001998) throw new Error('SNILS body in the unchecked range');
  return body + snilsCheckDigits(body);
}
