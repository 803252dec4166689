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

  it('one entity gone whole is refused though the school as a whole is under the threshold (an empty subject list)', () => {
    const subjects = Array.from({ length: 22 }, (_, i) => `s${i}`);
    const school = new Map<EntityName, Set<string>>([['person', set(...pupils, ...Array.from({ length: 600 }, (_, i) => `q${i}`))], ['subject', set(...subjects)]]);
    const first = planSnapshotDeletes(null, school, 0.1).next;
    const plan = planSnapshotDeletes(first, new Map([['person', school.get('person')!], ['subject', set()]]), 0.1);
    expect(plan.deletes.size).toBe(0);
    expect(plan.refused).toMatch(/22 of 22 subject records are missing/);
    expect(plan.toAccept).toBe(22);
    // The operator who checked the platform accepts the count.
    expect(planSnapshotDeletes(first, new Map([['person', school.get('person')!], ['subject', set()]]), 0.1, { acceptMissing: 22 }).deletes.get('subject')).toHaveLength(22);
  });

  it('missingTwiceAlso: a section named there is held at its first miss and deleted at its second, like a person', () => {
    const school = new Map<EntityName, Set<string>>([['person', set(...pupils)], ['section', set('5А|Математика|', '5А|Английский язык|1 группа', '6А|Музыка|')]]);
    const first = planSnapshotDeletes(null, school, 0.5).next;
    const without = new Map<EntityName, Set<string>>([['person', set(...pupils)], ['section', set('5А|Математика|')]]);
    const held = set('section|5А|Английский язык|1 группа');
    const once = planSnapshotDeletes(first, without, 0.5, { missingTwiceAlso: held });
    expect(once.deletes.get('section')).toEqual(['6А|Музыка|']); // not named: deleted at once, as before
    expect(once.missingOnce).toBe(1);
    const twice = planSnapshotDeletes(once.next, without, 0.5, { missingTwiceAlso: held });
    expect(twice.deletes.get('section')).toEqual(['5А|Английский язык|1 группа']);
  });

  it('a single class going in a small school is no threshold matter', () => {
    const classes = new Map<EntityName, Set<string>>([['person', set(...pupils)], ['homeroom_class', set('5А', '5Б', '6А', '6Б', '7А')]]);
    const first = planSnapshotDeletes(null, classes, 0.1).next;
    const plan = planSnapshotDeletes(first, new Map([['person', set(...pupils)], ['homeroom_class', set('5А', '5Б', '6А', '6Б')]]), 0.1);
    expect(plan.refused).toBeUndefined();
    expect(plan.deletes.get('homeroom_class')).toEqual(['7А']);
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

  it('a second miss counts only hours after the first: two reads minutes apart are one observation', () => {
    const gap = { secondMissAfterMs: 12 * 3_600_000 };
    const at = (hours: number) => new Date(Date.parse('2026-03-02T02:00:00Z') + hours * 3_600_000);
    const first = planSnapshotDeletes(null, snap('person', set(...pupils)), 0.1, { ...gap, now: at(0) }).next;
    const without = snap('person', set(...pupils.slice(1)));
    const once = planSnapshotDeletes(first, without, 0.1, { ...gap, now: at(0) });
    const minutesLater = planSnapshotDeletes(once.next, without, 0.1, { ...gap, now: at(0.25) });
    expect(minutesLater.deletes.size).toBe(0);
    expect(minutesLater.missingOnce).toBe(1);
    // The first miss's time is kept, so the gap is measured from it, not from the read minutes later.
    const nextNight = planSnapshotDeletes(minutesLater.next, without, 0.1, { ...gap, now: at(24) });
    expect(nextNight.deletes.get('person')).toEqual(['p0']);
    // A state stored before the gap existed (no time) counts its second miss as before.
    const { missedAt: _dropped, ...older } = once.next;
    expect(planSnapshotDeletes(older, without, 0.1, { ...gap, now: at(0.25) }).deletes.get('person')).toEqual(['p0']);
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
    expect(plan.next.present.homeroom_class?.sort()).toEqual([...pupils].sort()); // the old snapshot stays the reference
  });

  it('an empty answer is refused whole: pupils missing for the first time count toward the threshold too', () => {
    const current = new Map<EntityName, Set<string>>([['person', set(...pupils)], ['homeroom_class', set('c1', 'c2', 'c3', 'c4', 'c5')]]);
    const first = planSnapshotDeletes(null, current, 0.1).next;
    const empty = planSnapshotDeletes(first, new Map(), 0.1);
    expect(empty.deletes.size).toBe(0); // the five classes are not deleted at once
    expect(empty.refused).toMatch(/35 of 35 records of the scope are missing \(100% > 10%\)/);
  });

  it('a refused run clears the miss count of a pupil seen again: "missing twice" means twice in a row', () => {
    const first = planSnapshotDeletes(null, snap('person', set(...pupils)), 0.1).next;
    const once = planSnapshotDeletes(first, snap('person', set(...pupils.slice(1))), 0.1).next; // p0 missing once
    const refused = planSnapshotDeletes(once, snap('person', set(...pupils.slice(0, 20))), 0.1); // p0 back, 10 others missing
    expect(refused.refused).toBeDefined();
    expect(refused.next.misses['person|p0']).toBeUndefined();
    const missingAgain = planSnapshotDeletes(refused.next, snap('person', set(...pupils.slice(1))), 0.1);
    expect(missingAgain.deletes.size).toBe(0); // one miss after a presence, not a second in a row
    expect(missingAgain.missingOnce).toBe(1);
  });

  it('a partial read (a page or a record quarantined) deletes nothing and counts nothing as missing', () => {
    const current = new Map<EntityName, Set<string>>([['person', set(...pupils)], ['homeroom_class', set('c1', 'c2')]]);
    const first = planSnapshotDeletes(null, current, 0.1).next;
    const partial = planSnapshotDeletes(first, new Map([['person', set(...pupils.slice(5))]]), 0.1, { partial: '1 page(s) or record(s) quarantined' });
    expect(partial.deletes.size).toBe(0);
    expect(partial.missingOnce).toBe(0);
    expect(partial.refused).toMatch(/partial read/);
    expect(partial.next.misses).toEqual({});
    expect(partial.next.present.homeroom_class).toEqual(['c1', 'c2']);
  });

  describe('an operator accepting a large change (a school-year rollover)', () => {
    // 30 pupils; 12 of them leave at once (40% > 10%).
    const first = () => planSnapshotDeletes(null, snap('person', set(...pupils)), 0.1).next;
    const after = snap('person', set(...pupils.slice(12)));

    it('the refused run names the count to accept', () => {
      const plan = planSnapshotDeletes(first(), after, 0.1);
      expect(plan.refused).toMatch(/12 of 30/);
      expect(plan.toAccept).toBe(12);
    });

    it('accepting that exact count keeps the missing-twice rule, and the next run deletes them without asking again', () => {
      const accepted = planSnapshotDeletes(first(), after, 0.1, { acceptMissing: 12 });
      expect(accepted.refused).toBeUndefined();
      expect(accepted.deletes.size).toBe(0); // pupils: missing once only
      expect(accepted.missingOnce).toBe(12);
      const second = planSnapshotDeletes(accepted.next, after, 0.1); // the scheduled run, no acceptance
      expect(second.refused).toBeUndefined();
      expect(second.deletes.get('person')?.sort()).toEqual(pupils.slice(0, 12).sort());
      expect(second.next.accepted).toBeUndefined();
    });

    it('a count that does not match what is missing now is refused again, naming both', () => {
      const wrong = planSnapshotDeletes(first(), snap('person', set(...pupils.slice(20))), 0.1, { acceptMissing: 12 });
      expect(wrong.deletes.size).toBe(0);
      expect(wrong.missingOnce).toBe(0);
      expect(wrong.refused).toMatch(/20 of 30 .*--accept-deletes 12 does not match 20/);
    });

    it('what was accepted does not cover new losses: an empty answer the night after is refused', () => {
      const accepted = planSnapshotDeletes(first(), after, 0.1, { acceptMissing: 12 }).next;
      const empty = planSnapshotDeletes(accepted, new Map(), 0.1);
      expect(empty.deletes.size).toBe(0);
      expect(empty.refused).toMatch(/18 of 30/); // the 12 accepted are not counted again; the other 18 are
    });

    it('an acceptance does not lift the partial-read guard', () => {
      const plan = planSnapshotDeletes(first(), after, 0.1, { partial: '1 page(s) or record(s) quarantined', acceptMissing: 12 });
      expect(plan.missingOnce).toBe(0);
      expect(plan.refused).toMatch(/partial read/);
    });
  });
});
