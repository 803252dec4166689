import { describe, expect, it } from 'vitest';
import { validateRecords } from '../../src/model/rules/index.js';
import { bigSchool } from '../support/big-school.js';

// The speed of this (Map lookups, no O(n²)) is measured by bench/rules.ts; here, the answers at scale.
describe('rules at scale', () => {
  it('validateRecords over a large school finds exactly the expected R-11 gaps and nothing else', () => {
    const sections = 20;
    const pupils = 30;
    const records = bigSchool(sections, 100, pupils);
    expect(records.length).toBeGreaterThan(60_000);
    const violations = validateRecords(records, { now: '2025-12-30T12:00:00Z' });
    // lessons fall in Q1 only: every pupil of every section lacks marks in Q2 and nothing else is wrong
    expect(new Set(violations.map((v) => v.ruleId))).toEqual(new Set(['R-11']));
    // … plus the template pupil of the template section, with no marks in Q1 or Q2
    expect(violations).toHaveLength(sections * pupils + 2);
  });
});
