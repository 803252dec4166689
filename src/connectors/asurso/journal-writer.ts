// Writes of marks and attendance into АСУ РСО through `grade/journal/quickedit` (platforms.md §1.6 [U]): a lesson's
// marks in one body, columns found (or created) per assignment type so a repeated push writes into the same cells.
// The body shapes live in src/mappers/asurso/write-bodies.ts.
import { isRefusal, writeFailure } from '../write-results.js';
import type { AttendanceWriteOp, MarkWriteOp, WriteResult } from '../contract.js';
import type { HttpClient } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import { attendanceItem, resultItem, unwritableMark } from '../../mappers/asurso/write-bodies.js';
import { JournalEdit, QuickEditAnswer, type QuickEditBody } from './teacher-api.js';
import { columnRank } from './column-order.js';

const where = (route: string) => ({ platform: 'asurso', route });

export interface JournalWriterDeps {
  http: HttpClient;
  /** A GET of a `/webapi/` route, decoded. */
  get(route: string, query?: Record<string, string | number | boolean>): Promise<unknown>;
  /** The server's assignment types by canonical work-type code. */
  assignTypes(): Promise<Map<string, number>>;
}

export function journalWriter({ http, get, assignTypes }: JournalWriterDeps): {
  writeMarks(ops: readonly MarkWriteOp[]): Promise<WriteResult[]>;
  writeAttendance(ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]>;
} {
  /**
   * Grade push names targets generically (contract.ts WriteOp.targetIds): a section is a subject group
   * (`sgId`), a lesson a class meeting (`cmId`), a pupil a `studentId`.
   */
  const inNetSchoolTerms = <O extends { targetIds: Readonly<Record<string, string>> }>(op: O): O => {
    const t = op.targetIds;
    if (t.sgId && t.cmId && t.studentId) return op;
    return { ...op, targetIds: { ...t, sgId: t.sgId ?? t.section, cmId: t.cmId ?? t.lesson, studentId: t.studentId ?? t.student } };
  };

  /**
   * A section the push has no АСУ РСО id of yet (the group was made after the last roster sync): quickedit takes the
   * group in its body, and without it the platform refuses the write, which the push took for good. It waits instead.
   */
  const groupNotLinked = (op: { operationId: string; targetIds: Readonly<Record<string, string>> }): WriteResult | undefined => op.targetIds.sgId ? undefined
    : { operationId: op.operationId, status: 'failed', reason: 'asurso: the subject group is not linked yet (its roster sync has not run since it was made); written at the next push', retryable: true };

  let typeCodes: Map<string, number> | undefined;
  async function assignTypeOf(op: MarkWriteOp): Promise<number | undefined> {
    if (op.targetIds.assignTypeId) return Number(op.targetIds.assignTypeId);
    typeCodes ??= await assignTypes();
    return typeCodes.get(op.targetIds.workTypeCode ?? '');
  }

  async function postQuickEdit(body: QuickEditBody) {
    // A lost answer to a body that creates a column (assignId null) must not be resent: it could add a second column.
    const safe = body.results.every((r) => r.assignId !== null);
    return parsePayload(QuickEditAnswer, (await http.post('/webapi/grade/journal/quickedit', { json: body, retrySafe: safe })).data, where('grade/journal/quickedit'));
  }

  type Column = { id: number; typeId: number; results?: { studentId: number }[] };
  /** The lesson's columns as the journal's edit screen lists them. */
  const lessonColumns = async (sgId: number, cmId: number) =>
    parsePayload(JournalEdit, await get('grade/journal/edit', { cmid: cmId, sgId }), where('grade/journal/edit')).assignments as Column[];

  /**
   * Columns a quickedit made that its answer does not name (the answer's shape is the gateway's assumption, U-gw):
   * `type:pupil` → the column of that type, not known before the call, that holds the pupil's cell now.
   */
  async function madeColumns(sgId: number, cmId: number, known: ReadonlyMap<number, readonly number[]>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const a of await lessonColumns(sgId, cmId)) {
      if (known.get(a.typeId)?.includes(a.id)) continue;
      for (const r of a.results ?? []) if (!out.has(`${a.typeId}:${r.studentId}`)) out.set(`${a.typeId}:${r.studentId}`, a.id);
    }
    return out;
  }

  /**
   * The column a pupil's k-th mark of a type on a lesson goes to. The cell the gateway wrote it to before (the
   * ledger's target id), while the pupil still holds it; else the pupil's k-th cell of the type (a repeated push
   * rewrites it); else a column of the type where the pupil has no cell yet, the (k − cells held)-th; else null, a new
   * column. A retake pushed the night after the first mark so gets a column of its own instead of overwriting it.
   * A `taken` cell is never this one's: one another mark of this call was written into (a first mark moved into its
   * retake's type takes the retake's old cell, and the retake went back to that cell too — both reported written, the
   * platform keeping one), or the cell's other mark's, not in this call.
   */
  function columnFor(op: MarkWriteOp, n: number, held: readonly number[], cols: readonly number[], taken: (col: number) => boolean): number | null {
    const before = op.existingSourceId ? Number(op.existingSourceId.split(':')[0]) : NaN;
    if (held.includes(before) && !taken(before)) return before;
    if (held.length >= n && !taken(held[n - 1])) return held[n - 1];
    return cols.filter((c) => !held.includes(c) && !taken(c))[Math.max(0, n - 1 - held.length)] ?? null;
  }

  async function writeMarks(given: readonly MarkWriteOp[]): Promise<WriteResult[]> {
    const ops = given.map(inNetSchoolTerms);
    const out = new Map<string, WriteResult>();
    const byLesson = new Map<string, MarkWriteOp[]>();
    for (const op of ops) {
      const held = groupNotLinked(op);
      if (held) { out.set(op.operationId, held); continue; }
      const k = `${op.targetIds.sgId}:${op.targetIds.cmId}`;
      (byLesson.get(k) ?? byLesson.set(k, []).get(k)!).push(op);
    }
    for (const [k, list] of byLesson) {
      const [sgId, cmId] = k.split(':').map(Number);
      try {
        // The lesson's columns: a repeated push finds them and writes into the same cells (no duplicates).
        const columns = new Map<number, number[]>();
        const holders = new Map<string, number[]>(); // `${typeId}:${studentId}` → columns of that type holding the pupil's cell
        for (const a of await lessonColumns(sgId, cmId)) {
          (columns.get(a.typeId) ?? columns.set(a.typeId, []).get(a.typeId)!).push(a.id);
          for (const r of a.results ?? []) (holders.get(`${a.typeId}:${r.studentId}`) ?? holders.set(`${a.typeId}:${r.studentId}`, []).get(`${a.typeId}:${r.studentId}`)!).push(a.id);
        }
        const typeOf = new Map<MarkWriteOp, number | undefined>();
        for (const op of list) typeOf.set(op, await assignTypeOf(op));
        // New columns are made in the order the body names their types: a pupil's first mark's type first.
        const pairs = new Map<string, [number?, number?]>();
        for (const op of list) {
          const t = typeOf.get(op);
          if (t === undefined || op.action === 'delete') continue;
          const pair = pairs.get(op.targetIds.studentId) ?? pairs.set(op.targetIds.studentId, []).get(op.targetIds.studentId)!;
          pair[op.record.slot === 2 ? 1 : 0] = t;
        }
        const rank = columnRank(
          list.map((op) => typeOf.get(op)).filter((t): t is number => t !== undefined),
          [...pairs.values()].filter((p): p is [number, number] => p[0] !== undefined && p[1] !== undefined),
        );
        const order = (op: MarkWriteOp) => rank.get(typeOf.get(op) ?? -1) ?? Infinity;
        let pending = [...list].sort((a, b) => order(a) - order(b));
        const inCall = new Set(list.map((op) => `${op.targetIds.studentId}:${op.record.slot}`)); // pupil:slot
        const firstTypeOf = new Map<string, number>(); // pupil → assignment type of their first mark in this batch
        // Cells (`column:pupil`) this call writes a mark into: a delete of another mark that was there is done already.
        const written = new Set<string>();
        const typeOfColumn = (col: number) => [...columns].find(([, ids]) => ids.includes(col))?.[0];
        for (let pass = 0; pass < 2 && pending.length; pass++) {
          const body: QuickEditBody = { sgId, results: [], attendance: [] };
          const sent: (MarkWriteOp | null)[] = []; // null: a cell cleared for a mark that moved to another column
          const deferred: MarkWriteOp[] = [];
          for (const op of pending) {
            const unwritable = op.action === 'delete' ? undefined : unwritableMark(op.record);
            if (unwritable) { out.set(op.operationId, { operationId: op.operationId, status: 'refused', reason: `asurso: ${unwritable}`, retryable: false }); continue; }
            const type = typeOf.get(op);
            if (type === undefined) { out.set(op.operationId, { operationId: op.operationId, status: 'refused', reason: 'asurso: work type has no assignment type on this server', retryable: false }); continue; }
            // A pupil's n-th mark on a lesson goes to the n-th column of its type; first marks are written
            // before second ones, so every first-mark column precedes the second-mark columns.
            const slot = op.record.slot;
            if (slot === 2 && pass === 0) { deferred.push(op); continue; }
            const held = holders.get(`${type}:${op.targetIds.studentId}`) ?? [];
            if (slot === 1) firstTypeOf.set(op.targetIds.studentId, type);
            // The mark's rank among the pupil's marks of its type on this lesson (the slot counts every type). A
            // second mark is of the first one's type when the batch shows it, when it retakes the first, or — pushed
            // alone, on a later night — when the pupil already holds a cell of its type (the first mark's).
            const first = firstTypeOf.get(op.targetIds.studentId);
            const k = slot === 1 ? 1 : first !== undefined ? (first === type ? 2 : 1) : op.record.retakeOfMarkId || held.length ? 2 : 1;
            const student = Number(op.targetIds.studentId);
            // The cell the push names as the other slot's mark, when that mark is not in this call, is never this one's
            // (a first mark written again alone, after a teacher deleted it here, went over the second).
            const sibling = op.targetIds.otherSlotMark && !inCall.has(`${op.targetIds.studentId}:${3 - slot}`) ? Number(op.targetIds.otherSlotMark.split(':')[0]) : NaN;
            const assignId = columnFor(op, k, held, columns.get(type) ?? [], (col) => col === sibling || (op.action !== 'delete' && written.has(`${col}:${student}`)));
            // A delete of a mark whose cell another mark of this call now fills (the pupil's first mark deleted at the
            // source: the second is read back as the first, into its own cell) clears nothing.
            if (op.action === 'delete' && (assignId === null || !held.includes(assignId) || written.has(`${assignId}:${student}`))) { out.set(op.operationId, { operationId: op.operationId, status: 'unchanged' }); continue; }
            body.results.push(resultItem(op.action === 'delete' ? null : op.record, { cmId, assignId, assignTypeId: type, studentId: student }));
            sent.push(op);
            if (op.action === 'delete') continue;
            if (assignId !== null) written.add(`${assignId}:${student}`);
            // Moved to another work (a column of another type): the cell it was written to before is cleared, unless
            // another mark of this call fills it — or that mark, deleted at the source, would stay on the platform.
            const before = op.existingSourceId ? Number(op.existingSourceId.split(':')[0]) : NaN;
            const beforeType = Number.isFinite(before) ? typeOfColumn(before) : undefined;
            if (beforeType !== undefined && beforeType !== type && before !== assignId && !written.has(`${before}:${student}`)) {
              body.results.push(resultItem(null, { cmId, assignId: before, assignTypeId: beforeType, studentId: student }));
              sent.push(null);
            }
          }
          if (sent.length) {
            const ans = await postQuickEdit(body);
            // A column it made that the answer does not name is looked for in the journal: never linked as "null".
            const made = body.results.some((r, i) => r.assignId === null && ans.results[i]?.assignId === undefined) ? await madeColumns(sgId, cmId, columns) : undefined;
            body.results.forEach((r, i) => {
              const got = ans.results[i]?.assignId ?? r.assignId ?? made?.get(`${r.assignTypeId}:${r.studentId}`) ?? null;
              const op = sent[i];
              if (got === null) {
                if (op) out.set(op.operationId, { operationId: op.operationId, status: 'failed', reason: 'asurso: quickedit answered without the column it made, and the lesson\'s journal shows none holding the mark: not counted as written', retryable: true });
                return;
              }
              if (r.assignId === null) {
                const cols = columns.get(r.assignTypeId) ?? columns.set(r.assignTypeId, []).get(r.assignTypeId)!;
                if (!cols.includes(got)) cols.push(got);
                written.add(`${got}:${r.studentId}`);
              }
              if (op) out.set(op.operationId, { operationId: op.operationId, status: 'applied', sourceId: `${got}:${r.studentId}` });
            });
          }
          pending = deferred;
        }
      } catch (e) {
        const unsent = list.filter((op) => !out.has(op.operationId));
        // quickedit takes a lesson's marks in one body and refuses it whole for one bad item (a pupil no longer in
        // the group): each is sent again alone, so only that one is refused and the others are written.
        if (isRefusal(e) && unsent.length > 1) for (const op of unsent) out.set(op.operationId, (await writeMarks([op]))[0]);
        else for (const op of unsent) out.set(op.operationId, writeFailure(op.operationId, e));
      }
    }
    return ops.map((op) => out.get(op.operationId) ?? { operationId: op.operationId, status: 'failed', reason: 'not sent', retryable: true });
  }

  async function writeAttendance(given: readonly AttendanceWriteOp[]): Promise<WriteResult[]> {
    const ops = given.map(inNetSchoolTerms);
    const out: WriteResult[] = [];
    const bySg = new Map<string, AttendanceWriteOp[]>();
    for (const op of ops) {
      const held = groupNotLinked(op);
      if (held) out.push(held);
      else (bySg.get(op.targetIds.sgId) ?? bySg.set(op.targetIds.sgId, []).get(op.targetIds.sgId)!).push(op);
    }
    for (const [sgId, list] of bySg) {
      for (let i = 0; i < list.length; i += 200) {
        const chunk = list.slice(i, i + 200);
        try {
          await postQuickEdit({
            sgId: Number(sgId), results: [],
            attendance: chunk.map((op) => attendanceItem(op.action === 'delete' ? null : op.record, { cmId: Number(op.targetIds.cmId), studentId: Number(op.targetIds.studentId) })),
          });
          for (const op of chunk) out.push({ operationId: op.operationId, status: 'applied', sourceId: `${op.targetIds.cmId}:${op.targetIds.studentId}` });
        } catch (e) {
          // As for marks: one refused item refuses the body, so each is sent alone.
          if (isRefusal(e) && chunk.length > 1) for (const op of chunk) out.push(...await writeAttendance([op]));
          else for (const op of chunk) out.push(writeFailure(op.operationId, e));
        }
      }
    }
    return out;
  }

  return { writeMarks, writeAttendance };
}
