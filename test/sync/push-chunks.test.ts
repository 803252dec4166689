// Grade push cuts its operations into write calls of whole lessons, so calls that run side by side never
// share a lesson and a cell's first mark is sent before its second in the same call.
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/connectors/contract.js';
import { lessonChunks } from '../../src/sync/push-chunks.js';

const op = (id: string, lessonId: string): WriteOp<{ id: string; lessonId: string }> => ({ operationId: id, action: 'upsert', record: { id, lessonId }, targetIds: {} });

describe('write calls of whole lessons', () => {
  it('keeps a lesson in one call, in the given order, and packs lessons up to the size', () => {
    const ops = [op('a1', 'A'), op('b1', 'B'), op('c1', 'C'), op('a2', 'A'), op('b2', 'B'), op('d1', 'D')];
    const calls = lessonChunks(ops, 4).map((c) => c.map((o) => o.operationId));
    expect(calls).toEqual([['a1', 'a2', 'b1', 'b2'], ['c1', 'd1']]);
  });

  it('a lesson bigger than the size is one call of its own, never split', () => {
    const ops = [op('x', 'X'), ...Array.from({ length: 5 }, (_, i) => op(`l${i}`, 'L')), op('y', 'Y')];
    const calls = lessonChunks(ops, 3).map((c) => c.map((o) => o.operationId));
    expect(calls).toEqual([['x'], ['l0', 'l1', 'l2', 'l3', 'l4'], ['y']]);
    expect(calls.flat()).toHaveLength(ops.length);
  });
});
