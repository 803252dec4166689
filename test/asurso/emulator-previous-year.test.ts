// The АСУ РСО emulator's `previousYear` (the school a year later, for the rollover tests): the school and its people keep
// their NetSchool ids, new people and the new year's objects get ids the old year never used; without it nothing moves.
import { describe, expect, it } from 'vitest';
import { AsursoWorld } from '../../src/emulators/asurso/index.js';
import { buildRollover } from '../support/rollover.js';

const roll = buildRollover({ pupils: 30, weeks: 1 });
const old = new AsursoWorld(roll.old.records);
const next = new AsursoWorld(roll.next.records, { previousYear: old });
const disjoint = (a: Iterable<number>, b: Iterable<number>) => [...a].filter((x) => new Set(b).has(x));
const columns = (w: AsursoWorld) => [...w.meetings.values()].flatMap((m) => m.columns.map((c) => c.id));

describe('АСУ РСО emulator: a school year after `previousYear`', () => {
  it('keeps the school\'s id and the id of everyone the previous year had, and numbers newcomers above them', () => {
    expect(next.school.id).toBe(old.school.id);
    const kept = [...next.persons.values()].filter((p) => old.sourceOf.has(p.rec.id));
    expect(kept.length).toBeGreaterThan(roll.promoted.size);
    for (const p of kept) expect(p.id, p.rec.id).toBe(old.sourceOf.get(p.rec.id));
    for (const id of roll.promoted.keys()) expect(next.sourceOf.get(id), id).toBe(old.sourceOf.get(id));
    const highest = Math.max(...old.persons.keys());
    expect(roll.newcomers.length).toBeGreaterThan(0);
    for (const id of roll.newcomers) expect(next.sourceOf.get(id)!, id).toBeGreaterThan(highest);
  });

  it('gives the new year its own year, terms, subjects, classes, subject groups, lessons and columns', () => {
    expect(next.schoolYear.id).not.toBe(old.schoolYear.id);
    expect(disjoint(next.terms.map((t) => t.id), [old.schoolYear.id, ...old.terms.map((t) => t.id)])).toEqual([]);
    expect(disjoint(next.subjects.keys(), old.subjects.keys())).toEqual([]);
    expect(disjoint(next.classes.keys(), old.classes.keys())).toEqual([]);
    expect(disjoint(next.groups.keys(), old.groups.keys())).toEqual([]);
    expect(disjoint(next.meetings.keys(), old.meetings.keys())).toEqual([]);
    expect(disjoint(columns(next), columns(old))).toEqual([]);
  });

  it('without it, two starts of the same school number everything alike (the default every other test relies on)', () => {
    const again = new AsursoWorld(roll.old.records);
    expect([...again.sourceOf]).toEqual([...old.sourceOf]);
    expect(again.schoolYear.id).toBe(old.schoolYear.id);
  });
});
