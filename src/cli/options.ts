// Parsing of numeric CLI options with a message that names the option.
export function parseCount(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${option} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}
