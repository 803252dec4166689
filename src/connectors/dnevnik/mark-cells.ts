// Where each of a pupil's marks on one lesson goes on Дневник.ру, when the system of record renumbered them.
//
// Canonical marks are keyed by (pupil, lesson, slot). A teacher who adds a mark in an earlier column of the lesson, or
// deletes the first of two, renumbers the pupil's marks there: slot 1 now names a mark of another work. The push then
// sends slot 1 as an update of the mark the gateway wrote for the old slot 1 — a mark that sits in the old work's
// column. Дневник.ру's partner API has no route that moves or deletes a mark (platforms.md §3.4), so writing slot 1
// "into its new work" meant a new mark there, while the old one stayed, and the cell's other slot was written again
// beside it: 3 marks where the system of record held 2 (or 1), the old one orphaned in the crosswalk for good.
//
// Instead, the marks the gateway already holds in the cell (the operations' own platform ids, read back with
// `GET marks/{id}`) are matched to the operations by column (work type), as the pupil's marks now are:
// 1. an operation whose own mark is in its work's column keeps it (an ordinary correction, written in place);
// 2. one whose own mark is elsewhere takes a held mark of the cell in its column that no operation kept — the mark its
//    sibling slot held, renumbered: it is the same mark, so it is written in place and re-linked to this record;
// 3. what is left: a new mark where the operation has no held mark (none, gone from the platform, or handed to its
//    sibling), and a refusal where its own mark sits in another column that nobody took — the platform cannot move it,
//    and writing it anew would leave the pupil one mark more than the system of record holds.
// A delete is refused as ever (no route), naming the mark a teacher must remove by hand: its own, or — when its own
// was handed over — the one the renumbering left without a record.
//
// A retake shares its column with the mark it retakes: Дневник.ру keeps two marks of a pupil on one work, told apart by
// `number` (1, then the retake's 2). Where both operations of a cell are in one column, the held marks there go to them
// by number before anything else (the lower number to the lower slot): a first mark renumbered into the column of a
// held retake pair's second mark (its first of two deleted, then the second retaken) is written anew as number 1
// beside it, and the mark it held elsewhere is named as left behind — before, the retake took that number-2 mark in
// place, so the mark it retakes was written over, and the first was refused as "in another column". A new mark never
// takes the number of a mark the pupil keeps in its column (the cell's other slot, `siblingSourceId`, read back too):
// a repeated POST with it would replace that mark, and link two records to one mark.
//
// Pure: the connector reads the held marks and carries the plans out (connector.ts writeMarks).

/** A mark on Дневник.ру as `GET marks/{id}` gives it: its column (work) and that column's work type. */
export interface HeldMark {
  id: string;
  work: string;
  workType: number;
  /** The mark's number within its column (a repeated POST with it replaces the mark). */
  number: number;
}

/** One write operation of the cell, in the platform's terms. */
export interface CellOp {
  operationId: string;
  action: 'upsert' | 'delete';
  /** Дневник.ру's id of the work type the system of record now has the mark in. */
  workType: number;
  /** The record's slot in the cell (1, or 2: the second mark — a retake when in the first's column). */
  slot: number;
  /** The mark the gateway wrote for this record before (the crosswalk's). */
  existingSourceId?: string;
  /** The mark the crosswalk links to the cell's other slot (grade push's `otherSlotMark`), in this call or not. */
  siblingSourceId?: string;
}

export type MarkPlan =
  /**
   * Write into this mark (its column and number): the same mark, corrected or re-linked. `leftBehind`: the operation's
   * own mark, which no other operation took and no delete names — the system of record no longer has it (its first
   * mark deleted while another was added), and no route removes it: the push says so, a teacher removes it by hand.
   */
  | { kind: 'into'; mark: HeldMark; leftBehind?: HeldMark }
  /**
   * A new mark in a column of the operation's work type (found or created), numbered `number` there: its slot, unless
   * the pupil keeps a mark of that number in the column. `leftBehind` as for `into`.
   */
  | { kind: 'new'; number: number; leftBehind?: HeldMark }
  | { kind: 'refuse'; reason: string };

/** The first clauses are what the push summary counts (grade-push.ts refusedReasons): they say what a teacher does. */
export const CANNOT_MOVE = 'dnevnik: the mark is in another column now, and no route moves a mark: a teacher moves it on Дневник.ру by hand';
export const COLUMN_FULL = 'dnevnik: the pupil already has two marks in the column, and a third would replace one of them: a teacher checks the column on Дневник.ру';
export const CANNOT_DELETE = 'dnevnik: the partner API documents no mark deletion: a teacher deletes the mark on Дневник.ру by hand';

/**
 * Only a cell with an update can have been renumbered, and only a write beside a mark the pupil already has on the
 * lesson can take that mark's number: creations with no sibling mark, and deletions alone, need nothing read.
 */
export function needsHeldMarks(cell: readonly CellOp[]): boolean {
  return cell.some((op) => op.action === 'upsert' && (op.existingSourceId !== undefined || op.siblingSourceId !== undefined));
}

/** The platform ids to read for a cell: each operation's own mark, and its sibling's (kept when not in this call). */
export function heldIdsOf(cell: readonly CellOp[]): string[] {
  return [...new Set(cell.flatMap((op) => [op.existingSourceId, op.siblingSourceId].filter((id): id is string => id !== undefined)))];
}

/**
 * A plan per operation of one pupil's cell (`held`: each own and sibling mark read back, `null` when the platform no
 * longer has it). Operations are taken slot 1 first.
 */
export function planCell(cell: readonly CellOp[], held: ReadonlyMap<string, HeldMark | null>): Map<string, MarkPlan> {
  const own = (op: CellOp) => (op.existingSourceId ? held.get(op.existingSourceId) ?? undefined : undefined);
  const claimedBy = new Map<string, string>(); // mark id → operation id
  const named = new Set<string>(); // marks a delete's refusal names as left for a teacher to remove
  const plans = new Map<string, MarkPlan>();
  const upserts = cell.filter((op) => op.action === 'upsert').sort((a, b) => a.slot - b.slot);
  const claim = (op: CellOp, mark: HeldMark) => {
    claimedBy.set(mark.id, op.operationId);
    plans.set(op.operationId, { kind: 'into', mark });
  };
  const ownMarks = () => cell.map(own).filter((m): m is HeldMark => m !== undefined);
  // 0. Both slots in one column (a retake and the mark it retakes): the held marks there by number, the lower to slot 1.
  for (const workType of new Set(upserts.map((op) => op.workType))) {
    const pair = upserts.filter((op) => op.workType === workType);
    if (pair.length !== 2) continue;
    const there = [...new Map(ownMarks().filter((m) => m.workType === workType).map((m) => [m.id, m])).values()].sort((a, b) => a.number - b.number);
    if (there.length === 2) pair.forEach((op, i) => claim(op, there[i]));
    else if (there.length === 1) claim(pair[there[0].number <= 1 ? 0 : 1], there[0]);
  }
  // 1. Its own mark, in its own column.
  for (const op of upserts) {
    const mine = own(op);
    if (!plans.has(op.operationId) && mine && mine.workType === op.workType && !claimedBy.has(mine.id)) claim(op, mine);
  }
  // 2. A held mark of the cell in its column that no operation kept: the sibling slot's, renumbered.
  for (const op of upserts) {
    if (plans.has(op.operationId)) continue;
    const free = ownMarks().find((m) => m.workType === op.workType && !claimedBy.has(m.id));
    if (free) claim(op, free);
  }
  // 3. A new mark, unless that would leave its own mark behind in another column — but a mark written beside the other
  //    slot's in their column (step 0) is new there whatever it held: what it held is left behind, named below.
  const paired = (op: CellOp) => upserts.some((o) => o !== op && o.workType === op.workType);
  const inCall = new Set(upserts.map((op) => op.slot));
  // Numbers the pupil keeps in a column: marks an operation writes into, the other slot's when not in this call, and
  // the new marks numbered so far.
  const taken = (workType: number) => [
    ...[...plans.values()].flatMap((p) => (p.kind === 'into' && p.mark.workType === workType ? [p.mark.number] : [])),
    ...cell.flatMap((op) => {
      const sibling = op.siblingSourceId && !inCall.has(3 - op.slot) ? held.get(op.siblingSourceId) : undefined;
      return sibling && sibling.workType === workType ? [sibling.number] : [];
    }),
  ];
  const numbered = new Map<number, number[]>(); // work type → numbers of this call's new marks there
  for (const op of upserts) {
    if (plans.has(op.operationId)) continue;
    const mine = own(op);
    if (mine && !claimedBy.has(mine.id) && !paired(op)) {
      plans.set(op.operationId, { kind: 'refuse', reason: `${CANNOT_MOVE}; mark ${mine.id} is in a column of work type ${mine.workType}, the system of record has it in work type ${op.workType}` });
      continue;
    }
    const used = [...taken(op.workType), ...(numbered.get(op.workType) ?? [])];
    const number = [op.slot, 3 - op.slot].find((n) => !used.includes(n));
    if (number === undefined) {
      plans.set(op.operationId, { kind: 'refuse', reason: `${COLUMN_FULL}; numbers ${used.join(', ')} in the column of work type ${op.workType}` });
      continue;
    }
    (numbered.get(op.workType) ?? numbered.set(op.workType, []).get(op.workType)!).push(number);
    plans.set(op.operationId, { kind: 'new', number });
  }
  for (const op of cell.filter((x) => x.action === 'delete')) {
    const mine = own(op);
    // Its own mark now stands for another record: what the system of record deleted is the mark nobody took.
    const left = mine && claimedBy.has(mine.id) ? ownMarks().find((m) => !claimedBy.has(m.id)) : mine;
    const detail = left ? `; mark ${left.id} in a column of work type ${left.workType}` : op.existingSourceId && mine === undefined ? `; mark ${op.existingSourceId}` : '';
    plans.set(op.operationId, { kind: 'refuse', reason: `${CANNOT_DELETE}${detail}` });
    if (left) named.add(left.id);
  }
  // An own mark handed over by nobody and named by no refusal would stay on the platform without a word.
  for (const op of upserts) {
    const plan = plans.get(op.operationId);
    const mine = own(op);
    if ((plan?.kind === 'into' || plan?.kind === 'new') && mine && !(plan.kind === 'into' && plan.mark.id === mine.id) && !claimedBy.has(mine.id) && !named.has(mine.id)) {
      plans.set(op.operationId, { ...plan, leftBehind: mine });
      named.add(mine.id);
    }
  }
  return plans;
}
