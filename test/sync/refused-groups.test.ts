// A push asks each group with its first lesson before the rest: a group whose first writes the target refused for the
// account (403) gets nothing more; one write through, or one pupil refused alone, and the group is written in full.
import { describe, expect, it } from 'vitest';
import type { WriteOp, WriteResult } from '../../src/connectors/contract.js';
import { groupAnswers, sendAskingGroups } from '../../src/sync/refused-groups.js';

type Rec = { id: string; lessonId: string; studentId: string };
const op = (id: string, lessonId: string, studentId: string): WriteOp<Rec> => ({ operationId: id, action: 'upsert', record: { id, lessonId, studentId }, targetIds: {} });
/** Group of a lesson: its name's first letter (lessons A1, A2 are group A's). */
const groupOf = (o: WriteOp<Rec>) => o.record.lessonId[0];

/** A target refusing the account for `refuses(op)`; records every call's operation ids. */
function target(refuses: (o: WriteOp<Rec>) => boolean) {
  const calls: string[][] = [];
  const send = async (ops: WriteOp<Rec>[]): Promise<WriteResult[]> => {
    calls.push(ops.map((o) => o.operationId));
    return ops.map((o) => (refuses(o)
      ? { operationId: o.operationId, status: 'failed', reason: 'forbidden', retryable: true, accountRefused: true }
      : { operationId: o.operationId, status: 'applied', sourceId: `t-${o.operationId}` }));
  };
  return { calls, send, sent: () => calls.flat() };
}

// Group A: lessons A1 (pupils p, q), A2 (p), A3 (q); group B: B1 (p, q), B2 (p). A cell's second mark (a1b) comes
// after every first mark, as the push orders them.
const ops = [op('a1', 'A1', 'p'), op('a1q', 'A1', 'q'), op('b1', 'B1', 'p'), op('b1q', 'B1', 'q'), op('a2', 'A2', 'p'), op('a3', 'A3', 'q'), op('b2', 'B2', 'p'), op('a1b', 'A1', 'p')];

describe('asking each group with its first lesson', () => {
  it('a group refused for the account gets no more than its first lesson; the other group is written in full', async () => {
    const t = target((o) => groupOf(o) === 'A');
    const answers = groupAnswers();
    const { notSent, results } = await sendAskingGroups(ops, groupOf, t.send, answers);
    // The first lesson of each group, whole (its second mark too), then the rest of the groups the account may write.
    expect(t.calls).toEqual([['a1', 'a1q', 'a1b', 'b1', 'b1q'], ['b2']]);
    expect(notSent.map((o) => o.operationId)).toEqual(['a2', 'a3']);
    expect(results.every((r) => r.status === 'failed' && r.retryable && r.accountRefused)).toBe(true);
    expect(results[0].reason).toMatch(/^not sent: the target refused the account its first writes into this group \(forbidden\)/);
    expect([...answers.refused.keys()]).toEqual(['A']);
    expect([...answers.open]).toEqual(['B']);
  });

  it('what the push learnt holds for its next slice: a refused group is not asked again, an open one not held back', async () => {
    const t = target((o) => groupOf(o) === 'A');
    const answers = groupAnswers();
    await sendAskingGroups(ops, groupOf, t.send, answers);
    const later = [op('a9', 'A9', 'p'), op('b9', 'B9', 'q'), op('b9r', 'B9', 'r')];
    const { notSent } = await sendAskingGroups(later, groupOf, t.send, answers);
    expect(t.calls.at(-1)).toEqual(['b9', 'b9r']);
    expect(notSent.map((o) => o.operationId)).toEqual(['a9']);
  });

  it('one pupil refused alone does not stop the group: the next lesson with another pupil is asked, then the rest is sent', async () => {
    const t = target((o) => o.record.studentId === 'p');
    const answers = groupAnswers();
    const { notSent } = await sendAskingGroups([op('x1', 'X1', 'p'), op('x2', 'X2', 'p'), op('x3', 'X3', 'q'), op('x4', 'X4', 'p')], groupOf, t.send, answers);
    expect(notSent).toEqual([]);
    expect(t.calls).toEqual([['x1'], ['x3'], ['x2', 'x4']]);
    expect([...answers.open]).toEqual(['X']);
  });

  it('a group with one pupil to write for, refused: nothing more is sent there (no other pupil waits)', async () => {
    const t = target(() => true);
    const { notSent } = await sendAskingGroups([op('y1', 'Y1', 'p'), op('y2', 'Y2', 'p'), op('y3', 'Y3', 'p')], groupOf, t.send, groupAnswers());
    expect(t.calls).toEqual([['y1']]);
    expect(notSent.map((o) => o.operationId)).toEqual(['y2', 'y3']);
  });

  it('a group refused on one pupil in one slice is asked again with another pupil in the next slice (review)', async () => {
    // The push calls sendAskingGroups once per slice with the same answers: the first slice held only p's lesson of
    // group Z, the target refuses p alone; q's lessons come in the next slice and are writable.
    const t = target((o) => o.record.studentId === 'p');
    const answers = groupAnswers();
    await sendAskingGroups([op('z1', 'Z1', 'p')], groupOf, t.send, answers);
    const { notSent } = await sendAskingGroups([op('z2', 'Z2', 'q'), op('z3', 'Z3', 'q'), op('z4', 'Z4', 'p')], groupOf, t.send, answers);
    // Opened by q's write, the group is written in full (p's later write too, as within one slice).
    expect(notSent).toEqual([]);
    expect(t.calls).toEqual([['z1'], ['z2'], ['z3', 'z4']]);
    expect([...answers.open]).toEqual(['Z']);
    expect([...answers.refused.keys()]).toEqual([]);
  });

  it('a group refused on two pupils stays held for the next slice (review)', async () => {
    const t = target(() => true);
    const answers = groupAnswers();
    await sendAskingGroups([op('w1', 'W1', 'p'), op('w2', 'W2', 'q')], groupOf, t.send, answers);
    const { notSent } = await sendAskingGroups([op('w3', 'W3', 'r')], groupOf, t.send, answers);
    expect(notSent.map((o) => o.operationId)).toEqual(['w3']);
    expect(t.calls).toEqual([['w1'], ['w2']]);
  });

  it('a write that went through opens its group, whatever else its lesson met', async () => {
    const t = target((o) => o.operationId === 'a1');
    const answers = groupAnswers();
    const { notSent } = await sendAskingGroups(ops.filter((o) => groupOf(o) === 'A'), groupOf, t.send, answers);
    expect(notSent).toEqual([]);
    expect(t.sent().sort()).toEqual(['a1', 'a1b', 'a1q', 'a2', 'a3']);
    expect([...answers.open]).toEqual(['A']);
  });

  it('failures of another kind (the target down) do not count as the account refused: the group is written', async () => {
    const calls: string[] = [];
    const down = async (list: WriteOp<Rec>[]): Promise<WriteResult[]> => {
      calls.push(...list.map((o) => o.operationId));
      return list.map((o) => ({ operationId: o.operationId, status: 'failed', reason: 'server error 503', retryable: true }));
    };
    const { notSent } = await sendAskingGroups(ops, groupOf, down, groupAnswers());
    expect(notSent).toEqual([]);
    expect(calls.sort()).toEqual(ops.map((o) => o.operationId).sort());
  });

  it('an operation with no group is sent without asking', async () => {
    const t = target(() => true);
    const { notSent } = await sendAskingGroups([op('n1', 'N1', 'p'), op('n2', 'N2', 'q')], () => undefined, t.send, groupAnswers());
    expect(notSent).toEqual([]);
    expect(t.calls).toEqual([['n1', 'n2']]);
  });
});
