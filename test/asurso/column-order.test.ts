import { expect, it } from 'vitest';
import { columnRank } from '../../src/connectors/asurso/column-order.js';

const order = (rank: Map<number, number>) => [...rank].sort((a, b) => a[1] - b[1]).map(([t]) => t);

it('a type of a first mark goes before the type of the same pupil\'s second mark, whatever order they were seen in', () => {
  expect(order(columnRank([20, 10, 20], [[10, 20]]))).toEqual([10, 20]);
});

it('types no pupil ties keep the order they were seen in', () => {
  expect(order(columnRank([30, 10, 20], []))).toEqual([30, 10, 20]);
  expect(order(columnRank([30, 10, 20], [[20, 30]]))).toEqual([10, 20, 30]);
});

it('contradictory pupils do not stop the order: every type gets a rank, the earliest seen first', () => {
  expect(order(columnRank([10, 20], [[10, 20], [20, 10]]))).toEqual([10, 20]);
  expect(columnRank([10, 20, 30], [[10, 20], [20, 10], [30, 10]]).size).toBe(3);
});
