// Marks into Дневник.ру (grade push, `marks.write`). A mark lives in a work (a journal column of one work type) of its
// lesson: `POST persons/{p}/works/{w}/mark` writes one pupil's mark there, one per pupil × work × `number` (a repeated
// POST replaces it, write-bodies.ts). No route moves or deletes a mark (platforms.md §3.4).
//
// The operations of one pupil's cell (pupil × lesson: a push never splits a lesson across calls) are planned together
// (mark-cells.ts): a mark the gateway wrote before is read back first (`GET marks/{id}`) and written in place, in its own
// column and number, or handed to the sibling slot the system of record renumbered it to; a new mark goes into a column
// of its work type, found among the lesson's works or created, under a number no mark the pupil keeps there has (the
// other slot's mark is read back too).
import type { MarkWriteOp, WriteResult } from '../contract.js';
import { GatewayHttpError } from '../http/index.js';
import { HOMEWORK_WORK_TYPE } from '../../mappers/dnevnik/codes.js';
import { markBody, workBody } from '../../mappers/dnevnik/write-bodies.js';
import { createdId, writeFailure } from '../write-results.js';
import { CANNOT_DELETE, heldIdsOf, needsHeldMarks, planCell, type CellOp, type HeldMark, type MarkPlan } from './mark-cells.js';

/** A work of a lesson as `works?lesson=` lists it. */
export type LessonWork = { id_str: string; type?: string; workType: number };
/** An operation's target in Дневник.ру's terms (connector.ts markTargets). */
type Targets = Record<string, string | undefined>;

export interface MarkWriterDeps {
  /** The operation's target ids translated into Дневник.ру's: person, lesson, eduGroup, subject, workType, … */
  targets(t: Readonly<Record<string, string>>): Promise<Targets>;
  readLessonWorks(lesson: string): Promise<LessonWork[]>;
  /** `GET marks/{id}`. */
  readMark(id: string): Promise<unknown>;
  /** `POST works`, never retried after a 5xx (a second column could appear). */
  createWork(body: ReturnType<typeof workBody>): Promise<LessonWork>;
  /** `POST persons/{p}/works/{w}/mark`; its answer is the mark. */
  postMark(person: string, work: string, body: ReturnType<typeof markBody>): Promise<unknown>;
}

export function markWriter(deps: MarkWriterDeps): (ops: readonly MarkWriteOp[]) => Promise<WriteResult[]> {
  return async (ops) => {
    const lessonWorks = lessonWorksCache(deps);
    const results = new Map<string, WriteResult>();
    const placed: { op: MarkWriteOp; t: Targets }[] = [];
    for (const op of ops) {
      try {
        const t = await deps.targets(op.targetIds);
        if (!t.person || !t.lesson || !t.workType) {
          results.set(op.operationId, { operationId: op.operationId, status: 'refused', reason: `dnevnik: cannot place the mark (missing ${['person', 'lesson', 'workType'].filter((k) => !t[k]).join(', ')} on the target)`, retryable: false });
        } else placed.push({ op, t });
      } catch (e) {
        results.set(op.operationId, writeFailure(op.operationId, e));
      }
    }
    for (const cell of cellsOf(placed)) {
      let plans: Map<string, MarkPlan>;
      try {
        plans = await planOf(cell, lessonWorks);
      } catch (e) {
        for (const { op } of cell) results.set(op.operationId, writeFailure(op.operationId, e));
        continue;
      }
      for (const { op, t } of cell) results.set(op.operationId, await carryOut(op, t, plans.get(op.operationId)!, lessonWorks));
    }
    return ops.map((op) => results.get(op.operationId)!);
  };

  /** The cell's plans: the marks the gateway holds there read back first, where an update could have been renumbered. */
  async function planOf(cell: readonly { op: MarkWriteOp; t: Targets }[], lessonWorks: LessonWorks): Promise<Map<string, MarkPlan>> {
    const ops: CellOp[] = cell.map(({ op, t }) => ({
      operationId: op.operationId, action: op.action, workType: Number(t.workType), slot: op.record.slot,
      ...(op.existingSourceId ? { existingSourceId: op.existingSourceId } : {}),
      ...(op.targetIds.otherSlotMark ? { siblingSourceId: op.targetIds.otherSlotMark } : {}),
    }));
    const held = new Map<string, HeldMark | null>();
    if (needsHeldMarks(ops)) for (const id of heldIdsOf(ops)) held.set(id, await heldMark(id, cell[0].t.lesson!, lessonWorks));
    return planCell(ops, held);
  }

  /** A mark the gateway wrote, as the platform holds it now; null when it is gone (removed there: written anew). */
  async function heldMark(id: string, lesson: string, lessonWorks: LessonWorks): Promise<HeldMark | null> {
    let m: { id_str?: string; work_str?: string; workType?: number; number?: number };
    try {
      m = (await deps.readMark(id)) as typeof m;
    } catch (e) {
      if (e instanceof GatewayHttpError && e.status === 404) return null;
      throw e;
    }
    if (!m || typeof m.work_str !== 'string') throw new Error(`dnevnik: marks/{id} answered mark ${id} without its work (\`work_str\`)`);
    // `Mark.workType` is documented; a server leaving it out still names the work, whose type the lesson's works give.
    const workType = m.workType ?? (await lessonWorks.of(lesson)).find((w) => w.id_str === m.work_str)?.workType;
    if (workType === undefined) throw new Error(`dnevnik: the work type of mark ${id} is not known (its work ${m.work_str} is not among the lesson's)`);
    return { id, work: m.work_str, workType, number: m.number ?? 1 };
  }

  async function carryOut(op: MarkWriteOp, t: Targets, plan: MarkPlan, lessonWorks: LessonWorks): Promise<WriteResult> {
    if (plan.kind === 'refuse') return { operationId: op.operationId, status: 'refused', reason: plan.reason, retryable: false };
    try {
      // In place: its column and its number, so the POST replaces that mark rather than adding one beside it.
      const [work, body] = plan.kind === 'into'
        ? [plan.mark.work, { ...markBody(op.record), number: plan.mark.number }]
        : [await columnOf(t, lessonWorks), { ...markBody(op.record), number: plan.number }];
      const answer = await deps.postMark(t.person!, work, body);
      const left = plan.leftBehind ? { leftOnTarget: `${CANNOT_DELETE}; mark ${plan.leftBehind.id} in a column of work type ${plan.leftBehind.workType}` } : {};
      return { operationId: op.operationId, status: 'applied', sourceId: createdId(answer, 'id_str', 'mark'), ...left };
    } catch (e) {
      return writeFailure(op.operationId, e);
    }
  }

  /** A column of the operation's work type on its lesson; the lesson's homework (a work too, codes.ts) is not one. */
  async function columnOf(t: Targets, lessonWorks: LessonWorks): Promise<string> {
    const workType = Number(t.workType);
    const works = await lessonWorks.of(t.lesson!);
    const found = works.find((w) => w.workType === workType && w.type !== HOMEWORK_WORK_TYPE);
    if (found) return found.id_str;
    // No retry after a 5xx: a second POST works could create a second column. For the same reason a POST whose answer
    // was lost drops the lesson's list of columns: the next mark of the lesson reads it again and finds the column if
    // the platform made it, instead of making a second one.
    try {
      const created = await deps.createWork(workBody({
        lesson: t.lesson!, eduGroup: t.eduGroup!, subjectId: t.subject!, workType, title: t.workTitle ?? '',
        periodNumber: t.periodNumber ? Number(t.periodNumber) : undefined, periodType: t.periodType, dueDate: t.dueDate,
      }));
      const id = createdId(created, 'id_str', 'work (journal column)');
      works.push(created);
      return id;
    } catch (e) {
      lessonWorks.forget(t.lesson!);
      throw e;
    }
  }
}

/** A lesson's works, read once per write call; a work the call creates is added, one whose answer was lost forgotten. */
interface LessonWorks { of(lesson: string): Promise<LessonWork[]>; forget(lesson: string): void }

function lessonWorksCache(deps: Pick<MarkWriterDeps, 'readLessonWorks'>): LessonWorks {
  const works = new Map<string, LessonWork[]>();
  return {
    async of(lesson) {
      if (!works.has(lesson)) works.set(lesson, await deps.readLessonWorks(lesson));
      return works.get(lesson)!;
    },
    forget: (lesson) => works.delete(lesson),
  };
}

/** Operations grouped by the pupil's cell (person × lesson), in their order. */
function cellsOf<T extends { t: Targets }>(placed: readonly T[]): T[][] {
  const cells = new Map<string, T[]>();
  for (const p of placed) {
    const k = `${p.t.person}|${p.t.lesson}`;
    (cells.get(k) ?? cells.set(k, []).get(k)!).push(p);
  }
  return [...cells.values()];
}
