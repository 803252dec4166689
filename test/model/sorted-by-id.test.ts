// The school's records are put in id order before a package or an export is written from them (the same store gives
// the same files). A school-year is ~1,000,000 records: the order must be the plain string order of the ids, however
// they are grouped to sort faster.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sortedById } from '../../src/model/sorted-by-id.js';

const byComparison = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('sortedById', () => {
  it('orders UUIDs as comparing the strings does', () => {
    const list = Array.from({ length: 20_000 }, (_, i) => ({ id: randomUUID(), i }));
    expect(sortedById(list)).toEqual(byComparison(list));
  });

  it('orders ids shorter than the groups, sharing prefixes, upper case and equal ids as comparing the strings does', () => {
    const ids = ['', 'a', 'ab', 'abc', 'abd', 'ab0', 'B', 'b', 'ba', 'abc', 'я', 'zz', 'a\u0000', '0', '00', '000', '0000'];
    const list = ids.map((id, i) => ({ id, i }));
    const sorted = sortedById(list);
    expect(sorted.map((r) => r.id)).toEqual(byComparison(list).map((r) => r.id));
    // Every record is there once, equal ids included.
    expect(sorted.map((r) => r.i).sort((a, b) => a - b)).toEqual(list.map((r) => r.i));
  });

  it('leaves the list it is given as it was', () => {
    const list = [{ id: 'b' }, { id: 'a' }];
    sortedById(list);
    expect(list.map((r) => r.id)).toEqual(['b', 'a']);
  });
});
