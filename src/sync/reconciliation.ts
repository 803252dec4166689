// A comparison of a target read back with the canonical store, as the migration report shows it: per
// entity expected / present / missing / unexpected / different, and every difference.
import type { CompareReport, RecordDifference } from '../model/index.js';

export interface Reconciliation {
  perEntity: Record<string, { expected: number; present: number; missing: number; unexpected: number; different: number }>;
  /** Every difference (ids, entity, kind, fields). */
  differences: RecordDifference[];
}

export function reconciliationOf(report: CompareReport): Reconciliation {
  const perEntity: Reconciliation['perEntity'] = {};
  for (const [entity, c] of Object.entries(report.compared)) {
    const diffs = report.differences.filter((d) => d.entity === entity);
    perEntity[entity] = {
      expected: c.expected, present: c.actual, missing: diffs.filter((d) => d.kind === 'missing').length,
      unexpected: diffs.filter((d) => d.kind === 'unexpected').length, different: diffs.filter((d) => d.kind === 'different').length,
    };
  }
  return { perEntity, differences: report.differences };
}

/** One reconciliation of several compared parts (a migration compares slice by slice): counts added, differences listed in order. */
export function mergeReconciliations(parts: readonly Reconciliation[]): Reconciliation {
  const perEntity: Reconciliation['perEntity'] = {};
  const differences: Reconciliation['differences'] = [];
  for (const part of parts) {
    for (const [entity, c] of Object.entries(part.perEntity)) {
      const into = (perEntity[entity] ??= { expected: 0, present: 0, missing: 0, unexpected: 0, different: 0 });
      for (const k of Object.keys(into) as (keyof typeof into)[]) into[k] += c[k];
    }
    for (const d of part.differences) differences.push(d);
  }
  return { perEntity, differences };
}
