import { describe, expect, it } from 'vitest';
import type { EntityName } from '../../src/model/enums.js';
import { planSnapshotDeletes } from '../../src/sync/snapshot-deletes.js';

const set = (...ids: string[]) => new Set(ids);
const snap = (entity: EntityName, ids: Set<string>) => new Map<EntityName, Set<string>>([[entity, ids]]);

describe('deletes from full snapshots (canonical-model.md §C.2 item 4)', () => {
  const pupils = Array.from({ length: 30 }, (_, i) => `p${i}`);

  it('the first snapshot deletes nothing', () => {
    const plan = planSnapshotDeletes(null, snap('person', set(...pupils)), 0.1);
    expect(plan.deletes.size).toBe(0);
    expect(plan.next.present.person).toHaveLength(30);
  });

  it('a pupil who left is deleted only after being missing twice', () => {
    const first = planSnapshotDeletes(null, snap('person', set(...pupils)), 0.1).next;
    const without = snap('person', set(...pupils.slice(1)));
    const once = planSnapshotDeletes(first, without, 0.1);
    expect(once.deletes.size).toBe(0);
    expect(once.missingOnce).toBe(1);
    const twice = planSnapshotDeletes(once.next, without, 0.1);
    expect(twice.deletes.get('person')).toEqual(['p0']);
  });

  it('a pupil who comes back after one miss is not deleted', () => {
    const first = planSnapshotDeletes(null, snap('person', set(...pupils)), 0.1).next;
    const once = planSnapshotDeletes(first, snap('person', set(...pupils.slice(1))), 0.1).next;
    const back = planSnapshotDeletes(once, snap('person', set(...pupils)), 0.1);
    expect(back.deletes.size).toBe(0);
    expect(back.next.misses).toEqual({});
  });

  it('a class that disappeared is deleted at once (not a membership)', () => {
    const first = planSnapshotDeletes(null, snap('homeroom_class', set(...pupils)), 0.1).next;
    const plan = planSnapshotDeletes(first, snap('homeroom_class', set(...pupils.slice(1))), 0.1);
    expect(plan.deletes.get('homeroom_class')).toEqual(['p0']);
  });

  it('refuses every delete when more than the threshold of the scope would go (a half-read roster)', () => {
    const first = planSnapshotDeletes(null, snap('homeroom_class', set(...pupils)), 0.1).next;
    const plan = planSnapshotDeletes(first, snap('homeroom_class', set(...pupils.slice(10))), 0.1);
    expect(plan.deletes.size).toBe(0);
    expect(plan.refused).toMatch(/10 of 30 records.*33% > 10%/);
    expect(plan.next).toBe(first);
  });
});
