// The five-point scale `ru5` with `+`/`-` modifiers and the weighted average.
import type { MarkModifier } from './enums.js';

export interface ModifierPolicy {
  /** Added to the base for "4+"; 0 counts "4+" as 4. */
  plus: number;
  /** Subtracted from the base for "5-"; 0 counts "5-" as 5. */
  minus: number;
}

/** Default policy: ±0.25, a common reading of "5-" as 4.75. Configurable per scale (canonical-model.md §E.2). */
export const DEFAULT_MODIFIER_POLICY: ModifierPolicy = { plus: 0.25, minus: 0.25 };

export interface ParsedMark {
  raw: string;
  base: number;
  modifier: MarkModifier;
}

/** Parses a ru5 mark exactly as a teacher writes it: `^[1-5][+-]?$`. Returns null if it does not parse. */
export function parseRu5(raw: string): ParsedMark | null {
  const m = /^([1-5])([+-])?$/.exec(raw.trim());
  if (!m) return null;
  return { raw: raw.trim(), base: Number(m[1]), modifier: m[2] === '+' ? 'plus' : m[2] === '-' ? 'minus' : 'none' };
}

export function numericOf(base: number, modifier: MarkModifier, policy: ModifierPolicy = DEFAULT_MODIFIER_POLICY): number {
  if (modifier === 'plus') return Math.min(5, base + policy.plus);
  if (modifier === 'minus') return base - policy.minus;
  return base;
}

export function formatRu5(base: number, modifier: MarkModifier): string {
  return `${base}${modifier === 'plus' ? '+' : modifier === 'minus' ? '-' : ''}`;
}

export const RU5_FINAL_WHITELIST = ['1', '2', '3', '4', '5'];

export interface AverageInput {
  numeric: number | null;
  weightApplied: number;
  state: 'graded' | 'owed' | 'exempt';
  status?: string;
}

/**
 * Σ(numeric × weight) / Σ(weight) over graded, non-deleted marks. Owed («точка») and exempt marks
 * never enter the average. Returns null when nothing is graded.
 */
export function weightedAverage(marks: Iterable<AverageInput>): number | null {
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    if (m.state !== 'graded' || m.status === 'deleted' || m.numeric === null || m.weightApplied <= 0) continue;
    sum += m.numeric * m.weightApplied;
    weights += m.weightApplied;
  }
  // Half up at two decimals; the small term keeps an exact half (845/200 = 4.225) from rounding down on binary error.
  return weights === 0 ? null : Math.round((sum / weights) * 100 + 1e-9) / 100;
}
