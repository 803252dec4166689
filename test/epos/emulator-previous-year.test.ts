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

  it('`keepGroupIds`: a group keeps its id a grade higher (same letter, subject and subgroup), the others are new', () => {
    const kept = new EposWorld(roll.next.records, { previousYear: old, keepIds: true, keepGroupIds: true });
    const place = (w: EposWorld, id: number) => {
      const g = w.groups.get(id)!;
      const u = w.classUnits.get(g.classUnitId)!;
      const sub = [...w.groups.values()].some((c) => c.subgroupIds.includes(id)) ? g.name : '';
      return { letter: u.name.replace(/^\d+/, ''), grade: u.grade, subject: g.subjectName, sub, container: g.subgroupIds.length > 0 };
    };
    const same = [...kept.groups.keys()].filter((id) => old.groups.has(id));
    expect(same.length).toBeGreaterThan(0);
    // Subgroups and their containers among them, each still listing its own subgroups.
    expect(same.some((id) => kept.groups.get(id)!.subgroupIds.length > 0)).toBe(true);
    for (const id of same) {
      const was = place(old, id);
      expect(place(kept, id), String(id)).toEqual({ ...was, grade: was.grade + 1 });
    }
    for (const g of kept.groups.values()) for (const sub of g.subgroupIds) expect(kept.groups.get(sub)?.classUnitId).toBe(g.classUnitId);
    // The first grade's groups were nobody's a year earlier: numbered above the old year's.
    const highest = Math.max(...old.groups.keys());
    for (const g of kept.groups.values()) if (kept.classUnits.get(g.classUnitId)!.grade === 1) expect(g.id).toBeGreaterThan(highest);
  });

  it('without it, two starts of the same school number everything alike (the default every other test relies on)', () => {
    const again = new EposWorld(roll.old.records);
    expect([...again.profileOf]).toEqual([...old.profileOf]);
    expect([...again.groups.keys()]).toEqual([...old.groups.keys()]);
    expect(again.academicYear.id).toBe(13);
  });
});
