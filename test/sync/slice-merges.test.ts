// A migration reads and reconciles the journal slice by slice, but reports one step per side and one
// reconciliation: the slices' counts are added up and every difference is kept.
import { describe, expect, it } from 'vitest';
import { mergeReconciliations } from '../../src/sync/reconciliation.js';
import { addQuarantine, mergeSummaries, newSummary } from '../../src/sync/run-summary.js';

describe('one report from many slices', () => {
  it('adds up the summaries of a step: counts, quarantine reasons, from the first start to the last finish', () => {
    const a = { ...newSummary('journal-sync', 'r1', 'dn', 's1'), created: 10, unchanged: 2, startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:01:00Z' };
    addQuarantine(a, 'orphan mark → person: references a record the roster has not brought in', 2);
    const b = { ...newSummary('journal-sync', 'r1', 'dn', 's1'), created: 5, updated: 1, forReview: 3, startedAt: '2026-01-01T10:01:00Z', finishedAt: '2026-01-01T10:02:30Z' };
    addQuarantine(b, 'orphan mark → person: references a record the roster has not brought in');
    addQuarantine(b, 'R-09 mark: refused by the rule');
    const merged = mergeSummaries([a, b]);
    expect(merged).toMatchObject({ kind: 'journal-sync', created: 15, updated: 1, unchanged: 2, quarantined: 4, forReview: 3, startedAt: a.startedAt, finishedAt: b.finishedAt });
    expect(merged.quarantineReasons).toEqual({ 'orphan mark → person': 3, 'R-09 mark': 1 });
    expect(a.created).toBe(10); // the parts are left as they were
  });

  it('adds up a reconciliation per entity and lists every slice\'s differences', () => {
    const merged = mergeReconciliations([
      { perEntity: { mark: { expected: 3, present: 2, missing: 1, unexpected: 0, different: 0 } }, differences: [{ entity: 'mark', id: 'a', kind: 'missing' }] },
      {
        perEntity: { mark: { expected: 2, present: 3, missing: 0, unexpected: 1, different: 0 }, attendance_record: { expected: 1, present: 1, missing: 0, unexpected: 0, different: 1 } },
        differences: [{ entity: 'mark', id: 'b', kind: 'unexpected' }, { entity: 'attendance_record', id: 'c', kind: 'different', fields: ['kind'] }],
      },
    ]);
    expect(merged.perEntity).toEqual({
      mark: { expected: 5, present: 5, missing: 1, unexpected: 1, different: 0 },
      attendance_record: { expected: 1, present: 1, missing: 0, unexpected: 0, different: 1 },
    });
    expect(merged.differences.map((d) => d.id)).toEqual(['a', 'b', 'c']);
  });
});
