// CSV injection (OWASP): a spreadsheet program opening a CSV runs a cell that starts with = + - @ as a formula, and
// some skip a leading tab or CR before looking — `=HYPERLINK("http://x")` as a pupil's name from a platform becomes a
// link, `=cmd|…` worse. Such a cell gets an apostrophe in front, which spreadsheets read as "text follows". One rule
// for every CSV the gateway writes: the reports (src/reports/render/csv.ts) and the yearly archive's documents.

const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * Left as they are: a lone sign or a plain number cannot call anything, and a mark written «-» or «+» (a pass or fail
 * on some platforms), or a negative number, must read as the journal has it. Marks with a modifier («5-», «4+») start
 * with a digit and are never touched.
 */
const SIGN_OR_NUMBER = /^[+-]?(\d+([.,]\d+)?)?$/;

/** The cell as text a spreadsheet shows and never runs. */
export function inertCell(s: string): string {
  return FORMULA_START.test(s) && !SIGN_OR_NUMBER.test(s) ? `'${s}` : s;
}
