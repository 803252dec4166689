// A comparison of a target read back with the canonical store, as the migration report shows it: per
// entity expected / present / missing / unexpected / different, and every difference.
import type { CanonicalRecord, CompareReport, RecordDifference } from '../model/index.js';
import { foldOf, type Fold } from '../model/mark-spelling.js';

export interface Reconciliation {
  perEntity: Record<string, { expected: number; present: number; missing: number; unexpected: number; different: number }>;
  /** Every difference (ids, entity, kind, fields). */
  differences: RecordDifference[];
  /**
   * Per entity, records the target holds in its own spelling (src/model/mark-spelling.ts: `5-` as `5` on АСУ РСО):
   * present, the difference being exactly the platform's fold, so not counted as different. The plan named them.
   */
  folded?: Record<string, number>;
}

/**
 * Takes out of `rec` the `different` records whose differing fields are exactly one of the target's `folds`, counting
 * them per entity in `folded` instead: a re-run could never clear them, as the platform has no other spelling.
 */
export function withoutFolds(rec: Reconciliation, folds: readonly Fold[], expected: ReadonlyMap<string, CanonicalRecord>, actual: ReadonlyMap<string, CanonicalRecord>): Reconciliation {
  if (!folds.length) return rec;
  const folded: Record<string, number> = { ...rec.folded };
  const differences = rec.differences.filter((d) => {
    if (d.kind !== 'different' || !foldOf(folds, expected.get(d.id), actual.get(d.id), d.fields ?? [])) return true;
    folded[d.entity] = (folded[d.entity] ?? 0) + 1;
    rec.perEntity[d.entity].different--;
    return false;
  });
  return { ...rec, differences, ...(Object.keys(folded).length ? { folded } : {}) };
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
  const folded: Record<string, number> = {};
  for (const part of parts) {
    for (const [entity, c] of Object.entries(part.perEntity)) {
      const into = (perEntity[entity] ??= { expected: 0, present: 0, missing: 0, unexpected: 0, different: 0 });
      for (const k of Object.keys(into) as (keyof typeof into)[]) into[k] += c[k];
    }
    for (const d of part.differences) differences.push(d);
    for (const [entity, n] of Object.entries(part.folded ?? {})) folded[entity] = (folded[entity] ?? 0) + n;
  }
  return { perEntity, differences, ...(Object.keys(folded).length ? { folded } : {}) };
}
