// Grade push sends a lesson's operations in one call: АСУ РСО places a pupil's second mark (R-09 retake)
// by the first one, and a chunk boundary between them made the second overwrite the first.
import { describe, expect, it } from 'vitest';
import { chunksByLesson } from '../../src/sync/grade-push.js';

const op = (lessonId: string, n: number) => ({ operationId: `${lessonId}-${n}`, record: { lessonId } });

describe('grade push chunks', () => {
  it('never split one lesson\'s marks across two calls, and keep every operation once', () => {
    const ops = [op('a', 1), op('a', 2), op('b', 1), op('c', 1), op('b', 2), op('c', 2), op('c', 3)];
    const parts = chunksByLesson(ops, 3);
    expect(parts.flat().map((o) => o.operationId).sort()).toEqual(ops.map((o) => o.operationId).sort());
    for (const lesson of ['a', 'b', 'c']) expect(parts.filter((p) => p.some((o) => o.record.lessonId === lesson))).toHaveLength(1);
    expect(parts.map((p) => p.length)).toEqual([2, 2, 3]);
  });
});
