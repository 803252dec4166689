// A school's staff see on the status page the review items their own schools' syncs raised; the region sees all.
import { describe, expect, it } from 'vitest';
import type { StatusData } from '../../src/ops/status.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { scopeStatus } from '../../src/web/staff/scope-status.js';

const data: StatusData = {
  generatedAt: '2026-11-30T10:00:00.000Z', lastRuns: [], failures: [], backups: [],
  reviewQueue: 7, reviewBySchool: [{ schoolId: 'north', count: 2 }, { schoolId: 'south', count: 4 }],
};

describe('the status page per staff scope', () => {
  it('a school account sees its schools\' review items only; the regional operator the whole queue', () => {
    expect(scopeStatus(data, 'all').reviewQueue).toBe(7);
    const north = scopeStatus(data, [schoolCanonicalId('north')]);
    expect(north.reviewQueue).toBe(2);
    expect(north.reviewBySchool).toEqual([{ schoolId: 'north', count: 2 }]);
    expect(north.reviewHidden).toBeUndefined();
    expect(scopeStatus(data, [schoolCanonicalId('elsewhere')]).reviewQueue).toBe(0);
  });
});
