// Parsing of numeric CLI options with a message that names the option.
import { UsageError } from '../infra/operator-errors.js';

export function parseCount(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day `YYYY-MM-DD` given to `option`; a clear error for another format or a day that does not exist. */
export function parseDay(option: string, value: string): string {
  const m = DAY_RE.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new UsageError(`${option} must be a day as YYYY-MM-DD (e.g. 2025-09-01), got "${value}"`);
  }
  return value;
}

/** Checks that a window's first day is not after its last (a reversed window would read nothing and "succeed"). */
export function checkWindow(fromOption: string, from: string, toOption: string, to: string): { from: string; to: string } {
  parseDay(fromOption, from);
  parseDay(toOption, to);
  if (from > to) throw new UsageError(`${fromOption} ${from} is after ${toOption} ${to}: the window would be empty`);
  return { from, to };
}
