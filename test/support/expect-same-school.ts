// The check every platform's end-to-end read ends with: what came back through the emulator, connector and
// mapper equals the dataset it came from, record by record and by content hash, leaving out only the
// business fields the platform cannot carry (docs/platforms/<platform>.md "What is compared").
import { expect } from 'vitest';
import type { QuarantineItem } from '../../src/connectors/mapping.js';
import { compareRecords, type CompareOptions, type CompareReport } from '../../src/model/compare.js';
import type { EntityName } from '../../src/model/enums.js';
import { parseRecord, type CanonicalRecord } from '../../src/model/records.js';

export interface SameSchoolOptions {
  entities: readonly EntityName[];
  ignoreFields?: CompareOptions['ignoreFields'];
  /** Each compared entity (final marks aside: a short window may hold none) must have more expected records than this. */
  atLeast?: (entity: EntityName) => number;
}

/**
 * Nothing quarantined, no difference, every compared entity present and equal, every record a valid canonical
 * record. Returns the report for the test's own further checks.
 */
export function expectSameSchool(
  expected: readonly CanonicalRecord[], read: { records: readonly CanonicalRecord[]; quarantine: readonly QuarantineItem[] }, opts: SameSchoolOptions,
): CompareReport {
  const report = compareRecords(expected, read.records, { entities: opts.entities, ignoreFields: opts.ignoreFields });
  expect(read.quarantine.slice(0, 5)).toEqual([]);
  expect(report.differences.slice(0, 10)).toEqual([]);
  for (const e of opts.entities) {
    const c = report.compared[e];
    if (e !== 'final_mark') expect(c?.expected, e).toBeGreaterThan(opts.atLeast?.(e) ?? 0);
    expect(c?.equal ?? 0, e).toBe(c?.expected ?? 0);
  }
  for (const r of read.records) parseRecord(r); // every mapped record is a valid canonical record
  return report;
}
