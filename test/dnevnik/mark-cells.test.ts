// Planning one pupil's marks on a lesson for Дневник.ру, where no route moves or deletes a mark (mark-cells.ts).
import { describe, expect, it } from 'vitest';
import { CANNOT_DELETE, CANNOT_MOVE, needsHeldMarks, planCell, type CellOp, type HeldMark } from '../../src/connectors/dnevnik/mark-cells.js';

const ORAL = 100_009;
const HOMEWORK = 100_023;
const TEST = 100_010;
const mark = (id: string, workType: number, number = 1): HeldMark => ({ id, work: `w${workType}`, workType, number });
/** An upsert of the cell's slot 1 (`m1`, `s1`, …) or 2 (`m2`, `s2`, …): the id's last digit. */
const up = (operationId: string, workType: number, existingSourceId?: string, siblingSourceId?: string): CellOp => ({
  operationId, action: 'upsert', workType, slot: Number(operationId.slice(-1)), ...(existingSourceId ? { existingSourceId } : {}), ...(siblingSourceId ? { siblingSourceId } : {}),
});
const del = (operationId: string, existingSourceId: string): CellOp => ({ operationId, action: 'delete', workType: ORAL, slot: Number(operationId.slice(-1)), existingSourceId });
const held = (...marks: HeldMark[]) => new Map(marks.map((m) => [m.id, m]));

describe('planCell', () => {
  it('a correction in the same column is written in place (its own column and number)', () => {
    const d1 = mark('d1', ORAL, 2);
    expect(planCell([up('m1', ORAL, 'd1')], held(d1))).toEqual(new Map([['m1', { kind: 'into', mark: d1 }]]));
  });

  it('a mark added in an earlier column: the old mark goes to slot 2 in place, slot 1 is a new mark', () => {
    const d1 = mark('d1', ORAL);
    expect(planCell([up('m1', HOMEWORK, 'd1'), up('m2', ORAL)], held(d1))).toEqual(new Map([['m1', { kind: 'new', number: 1 }], ['m2', { kind: 'into', mark: d1 }]]));
  });

  it('the first of two deleted while another is added: the mark nobody holds now is named as left on the platform, not kept silently', () => {
    // A (oral) and B (homework); the teacher deletes A and adds C (test): slot 1 = B, slot 2 = C, and no delete is sent.
    const a = mark('a', ORAL);
    const b = mark('b', HOMEWORK, 2);
    const plans = planCell([up('s1', HOMEWORK, 'a'), up('s2', TEST, 'b')], held(a, b));
    expect(plans.get('s1')).toEqual({ kind: 'into', mark: b, leftBehind: a });
    expect(plans.get('s2')).toEqual({ kind: 'new', number: 2 });
  });

  it('the first of two deleted: the second keeps its mark as slot 1; the deletion is refused naming the mark left over', () => {
    const d1 = mark('d1', TEST);
    const d2 = mark('d2', ORAL, 2);
    const plans = planCell([up('m1', ORAL, 'd1'), del('m2', 'd2')], held(d1, d2));
    expect(plans.get('m1')).toEqual({ kind: 'into', mark: d2 });
    expect(plans.get('m2')).toEqual({ kind: 'refuse', reason: `${CANNOT_DELETE}; mark d1 in a column of work type ${TEST}` });
  });

  it('two marks swapped between slots: each takes the mark in its own column', () => {
    const d1 = mark('d1', TEST);
    const d2 = mark('d2', ORAL);
    expect(planCell([up('m1', ORAL, 'd1'), up('m2', TEST, 'd2')], held(d1, d2))).toEqual(new Map([['m1', { kind: 'into', mark: d2 }], ['m2', { kind: 'into', mark: d1 }]]));
  });

  it('a mark moved to another column with nothing to take its place there: refused, never written twice', () => {
    const plans = planCell([up('m1', HOMEWORK, 'd1')], held(mark('d1', ORAL)));
    expect(plans.get('m1')).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(new RegExp(`^${CANNOT_MOVE}; mark d1`)) });
  });

  it('a mark the platform no longer has is written anew; a cell of creations only needs nothing read', () => {
    expect(planCell([up('m1', ORAL, 'd1')], new Map([['d1', null]]))).toEqual(new Map([['m1', { kind: 'new', number: 1 }]]));
    expect(needsHeldMarks([up('m1', ORAL), up('m2', TEST)])).toBe(false);
    expect(needsHeldMarks([del('m1', 'd1')])).toBe(false);
    expect(planCell([del('m1', 'd1')], new Map()).get('m1')).toEqual({ kind: 'refuse', reason: `${CANNOT_DELETE}; mark d1` });
  });

  it('the first of two deleted and the second retaken in its column: the retake takes the number-2 mark, slot 1 is new as number 1, the first is named left behind', () => {
    // A (oral) and B (test, written as slot 2: number 2); A deleted, B retaken: slot 1 = B, slot 2 = its retake, both test.
    const a = mark('a', ORAL);
    const b = mark('b', TEST, 2);
    const plans = planCell([up('s1', TEST, 'a', 'b'), up('s2', TEST, 'b', 'a')], held(a, b));
    expect(plans.get('s1')).toEqual({ kind: 'new', number: 1, leftBehind: a });
    expect(plans.get('s2')).toEqual({ kind: 'into', mark: b });
  });

  it('a retake beside a number-1 mark in its column: the mark stays slot 1 in place, the retake is new as number 2', () => {
    const a = mark('a', ORAL);
    const b = mark('b', TEST, 1);
    const plans = planCell([up('s1', TEST, 'a', 'b'), up('s2', TEST, 'b', 'a')], held(a, b));
    expect(plans.get('s1')).toEqual({ kind: 'into', mark: b, leftBehind: a });
    expect(plans.get('s2')).toEqual({ kind: 'new', number: 2 });
  });

  it('a new mark never takes the number of the other slot\'s mark in its column (not in this call): a POST would replace it', () => {
    // Slot 1 holds b, number 2 (renumbered the night before); its retake comes alone.
    const b = mark('b', TEST, 2);
    expect(needsHeldMarks([up('m2', TEST, undefined, 'b')])).toBe(true);
    expect(planCell([up('m2', TEST, undefined, 'b')], held(b)).get('m2')).toEqual({ kind: 'new', number: 1 });
    // In another column the slot's own number is free.
    expect(planCell([up('m2', ORAL, undefined, 'b')], held(b)).get('m2')).toEqual({ kind: 'new', number: 2 });
  });
});
