// The ЭПОС emulator's `previousYear` (the school a year later, for the rollover tests): people keep their profile ids as
// on the real platform, new people and the new year's objects get ids the old year never used; without it nothing moves.
import { describe, expect, it } from 'vitest';
import { EposWorld } from '../../src/emulators/epos/index.js';
import { buildRollover } from '../support/rollover.js';

const roll = buildRollover({ pupils: 30, weeks: 1 });
const old = new EposWorld(roll.old.records);
const next = new EposWorld(roll.next.records, { previousYear: old });
const periodIds = (w: EposWorld) => w.periodSchedules.flatMap((s) => s.periods.map((p) => p.id));
const disjoint = (a: Iterable<number>, b: Iterable<number>) => [...a].filter((x) => new Set(b).has(x));

describe('ЭПОС emulator: a school year after `previousYear`', () => {
  it('keeps the profile id of everyone the previous year had, and numbers newcomers above them', () => {
    const kept = [...next.profileOf].filter(([id]) => old.profileOf.has(id));
    expect(kept.length).toBeGreaterThan(roll.promoted.size); // pupils, and their parents, teachers and staff
    for (const [id, profile] of kept) expect(profile, id).toBe(old.profileOf.get(id));
    for (const id of roll.promoted.keys()) expect(next.profileOf.get(id), id).toBe(old.profileOf.get(id));
    const highest = Math.max(...old.profiles.keys());
    expect(roll.newcomers.length).toBeGreaterThan(0);
    for (const id of roll.newcomers) expect(next.profileOf.get(id)!, id).toBeGreaterThan(highest);
  });

  it('gives the new year its own academic year, periods, subjects, class units, groups and lessons', () => {
    expect(next.academicYear.id).not.toBe(old.academicYear.id);
    expect(disjoint(periodIds(next), periodIds(old))).toEqual([]);
    expect(disjoint(next.subjects.keys(), old.subjects.keys())).toEqual([]);
    expect(disjoint(next.classUnits.keys(), old.classUnits.keys())).toEqual([]);
    expect(disjoint(next.groups.keys(), old.groups.keys())).toEqual([]);
    expect(disjoint(next.schedule.keys(), old.schedule.keys())).toEqual([]);
    expect(disjoint(next.marks.keys(), old.marks.keys())).toEqual([]);
    // Container groups still list their own subgroups.
    for (const g of next.groups.values()) for (const sub of g.subgroupIds) expect(next.groups.get(sub)?.classUnitId).toBe(g.classUnitId);
  });

  it('without it, two starts of the same school number everything alike (the default every other test relies on)', () => {
    const again = new EposWorld(roll.old.records);
    expect([...again.profileOf]).toEqual([...old.profileOf]);
    expect([...again.groups.keys()]).toEqual([...old.groups.keys()]);
    expect(again.academicYear.id).toBe(13);
  });
});
