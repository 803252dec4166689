// Parsing of CLI options and arguments with a message that names the option: a malformed value is a wrong command
// line (UsageError, exit 64), never a failed run.
import { CSV_SEPARATORS, isCsvSeparator, type CsvSeparator } from '../infra/csv-field.js';
import { UsageError } from '../infra/operator-errors.js';

/**
 * A whole number given to `option`, in decimal digits: `Number` read an empty value (`--seed "$SEED"` with SEED unset)
 * as 0, and `0x20` or `1e3` as numbers nobody meant.
 */
export function parseCount(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new UsageError(`${option} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/** A TCP port given to `option`: 0 (any free port) … 65535. */
export function parsePort(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`${option} must be a port number from 0 to 65535, got "${value}"`);
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

/**
 * An instant for an option such as `validate --now`: a day YYYY-MM-DD (its midnight UTC) or an ISO 8601 date-time
 * with Z or an offset. A date-time without one would be read in the machine's zone, so it is refused too.
 */
export function parseInstant(option: string, value: string): string {
  const shaped = DAY_RE.test(value) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  if (!shaped || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`${option} must be an instant as ISO 8601 with Z or an offset (e.g. 2025-09-10T12:00:00Z) or a day YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** A CSV separator given to `option` (`report --separator`, `backup archive --separator`): one of CSV_SEPARATORS. */
export function parseCsvSeparator(option: string, value: string): CsvSeparator {
  if (!isCsvSeparator(value)) throw new UsageError(`unknown ${option} "${value}"; known: ${CSV_SEPARATORS.map((s) => `"${s}"`).join(', ')}`);
  return value;
}
