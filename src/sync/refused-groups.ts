// A target whose account may not write into a group (a read-only login in the config, a teacher not assigned to the
// class) answers every write there with 403. Sent one by one, a school-year's push was one refused request per mark,
// every night, and a read-only account's whole push nothing but 403s — load on a regional platform that can get the
// account blocked. A 403 alone cannot tell such an account from a refusal of one pupil, and stopping a whole push at
// the first 403 stopped the groups the account may write too, so the push asks group by group. Each group's first
// lesson goes first. One write through (or a failure of another kind), and the group is written in full. All of its
// writes refused for the account, for two pupils or more: the group gets nothing more this push (failed, and asked
// again by the next push). Refused for one pupil only: the first lesson holding another pupil is asked next, and that
// decides; no other pupil has anything to write there in this call, and the rest (that pupil's) is held, while a later
// call of the push (its next slice) asks the group again with another pupil. A group is never held back on one pupil's
// refusal alone. (docs/sync.md "An account that cannot write".)
import type { WriteOp, WriteResult } from '../connectors/contract.js';

/** Lessons of a group asked before it is judged: its first, then one with a pupil not asked yet. */
const PROBE_LESSONS = 2;

/** What one push learned about a target's groups, kept across its slices. */
export interface GroupAnswers {
  /** Groups a write of this push went through in (or failed for another reason): sent without asking. */
  readonly open: Set<string>;
  /** Groups whose first writes were all refused for the account: group → the first refusal's reason. */
  readonly refused: Map<string, string>;
  /**
   * Refused groups judged on fewer than two pupils (no other pupil had anything to write there in that call): the
   * pupils asked and their answers. A later call (the push's next slice) goes on asking there with another pupil,
   * rather than holding the whole group back on one pupil's refusal.
   */
  readonly asked: Map<string, { whom: Set<string>; results: WriteResult[] }>;
}

export const groupAnswers = (): GroupAnswers => ({ open: new Set(), refused: new Map(), asked: new Map() });

interface Probed<R> {
  /** The group's lessons not sent yet, in order, each with its operations in order. */
  lessons: Map<string, WriteOp<R>[]>;
  /** Results of the group's writes sent so far. */
  results: WriteResult[];
  /** Pupils (or records, for a lesson's own write) those writes were for. */
  whom: Set<string>;
}

type Keyed = { id: string; lessonId?: string; studentId?: string };

/**
 * Sends `ops` through `send` (which records what it sends), asking each group not yet judged with its first lesson
 * before the rest; returns what was not sent (groups the account may not write into) with a failed result each, for
 * the caller to record. `groupOf` is the group (section) of an operation; one without is sent without asking.
 */
export async function sendAskingGroups<R extends Keyed>(
  ops: readonly WriteOp<R>[], groupOf: (op: WriteOp<R>) => string | undefined,
  send: (ops: WriteOp<R>[]) => Promise<WriteResult[]>, answers: GroupAnswers,
): Promise<{ notSent: WriteOp<R>[]; results: WriteResult[] }> {
  const direct: WriteOp<R>[] = [];
  const notSent: WriteOp<R>[] = [];
  const asking = new Map<string, Probed<R>>();
  for (const op of ops) {
    const group = groupOf(op);
    if (group === undefined || answers.open.has(group)) direct.push(op);
    else if (answers.refused.has(group) && !answers.asked.has(group)) notSent.push(op);
    else {
      const before = answers.asked.get(group);
      const probed = asking.get(group) ?? { lessons: new Map(), results: [...(before?.results ?? [])], whom: new Set<string>(before?.whom) };
      asking.set(group, probed);
      // Whole lessons, each in its given order: a cell's second mark comes later in `ops` (every first mark goes
      // first) and must still travel with its lesson.
      const lesson = op.record.lessonId ?? op.record.id;
      const same = probed.lessons.get(lesson);
      if (same) same.push(op);
      else probed.lessons.set(lesson, [op]);
    }
  }
  /** The group's first lesson not sent yet; after a refusal, the first with a pupil not asked yet (none: nothing). */
  const nextLesson = (p: Probed<R>): WriteOp<R>[] => {
    for (const [lesson, ops] of p.lessons) {
      if (p.whom.size > 0 && ops.every((op) => p.whom.has(op.record.studentId ?? op.record.id))) continue;
      p.lessons.delete(lesson);
      return ops;
    }
    return [];
  };
  const rest = (p: Probed<R>): WriteOp<R>[] => [...p.lessons.values()].flat();
  /** Why each operation was not sent (its group's first refusal), kept as the group is judged. */
  const reasons = new Map<WriteOp<R>, string>();
  const refuse = (group: string, p: Probed<R>) => {
    const reason = p.results[0]?.reason ?? 'refused';
    answers.refused.set(group, reason);
    // Judged on one pupil only: what is held back is theirs; a later call asks another pupil there.
    if (p.whom.size < 2) answers.asked.set(group, { whom: p.whom, results: p.results });
    else answers.asked.delete(group);
    for (const op of rest(p)) {
      notSent.push(op);
      reasons.set(op, reason);
    }
    asking.delete(group);
  };
  for (let round = 0; round < PROBE_LESSONS && asking.size > 0; round++) {
    const askedOf = new Map<string, WriteOp<R>[]>();
    for (const [group, probed] of asking) {
      const lesson = nextLesson(probed);
      if (lesson.length > 0) askedOf.set(group, lesson);
      else refuse(group, probed); // What is left is for the pupils refused already (none left: nothing to hold).
    }
    const results = new Map((askedOf.size > 0 ? await send([...askedOf.values()].flat()) : []).map((r) => [r.operationId, r]));
    for (const [group, lesson] of askedOf) {
      const probed = asking.get(group)!;
      for (const op of lesson) {
        const r = results.get(op.operationId);
        if (!r) continue;
        probed.results.push(r);
        probed.whom.add(op.record.studentId ?? op.record.id);
      }
      const refusedAll = probed.results.length > 0 && probed.results.every((r) => r.status === 'failed' && r.accountRefused);
      if (!refusedAll) {
        // A write went through (or failed for another reason): the account may write here.
        answers.open.add(group);
        answers.refused.delete(group);
        answers.asked.delete(group);
        direct.push(...rest(probed));
        asking.delete(group);
      } else if (probed.whom.size >= 2 || probed.lessons.size === 0) refuse(group, probed);
    }
  }
  // Not judged after every round (one pupil refused, no lesson of another asked): sent as they are.
  for (const probed of asking.values()) direct.push(...rest(probed));
  if (direct.length > 0) await send(direct);
  return {
    notSent,
    results: notSent.map((op) => ({
      operationId: op.operationId, status: 'failed', retryable: true, accountRefused: true,
      reason: `not sent: the target refused the account its first writes into this group (${reasons.get(op) ?? answers.refused.get(groupOf(op)!)}); the next push asks again`,
    })),
  };
}
