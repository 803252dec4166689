// ЭПОС writes (platforms.md §2.5 [A], МЭШ-classic teacher routes): marks by `POST core/api/marks` (a mark
// that already exists — by `existingSourceId` or found in the lesson's marks — is updated with `PUT`, so a
// second push creates no duplicate), deletions by `DELETE core/api/marks/{id}`, absences by
// `POST core/api/attendances`, where a duplicate answer means the absence is already there.
import { createdId, writeFailure } from '../write-results.js';
import { GatewayHttpError, type HttpClient } from '../http/index.js';
import { declaredRefusal, type AttendanceWriteOp, type MarkWriteOp, type WriteResult } from '../contract.js';
import { eposDeclaration } from './declaration.js';
import { attendanceBody, markBody } from '../../mappers/epos/write-bodies.js';
import { absenceReasonIdOf } from '../../mappers/epos/codes.js';
import { ruFromIso } from '../../mappers/epos/dates.js';

interface PlatformMark { id: number; student_profile_id: number }

/**
 * Grade push names a mark's work type by its canonical code (contract.ts WriteOp.targetIds); ЭПОС writes it
 * as a control form id. `controlForms` resolves a code to the school's control form of that work type.
 */
export function createEposWriter(http: HttpClient, controlForms: () => Promise<Map<string, number>>) {
  const marksOf = new Map<string, PlatformMark[]>();
  const controlFormOf = async (t: Readonly<Record<string, string>>): Promise<number | undefined> =>
    t.controlForm ? Number(t.controlForm) : t.workTypeCode ? (await controlForms()).get(t.workTypeCode) : undefined;
  /** The lesson's marks as the platform has them (one GET per lesson, then kept up to date here). */
  async function lessonMarks(lesson: string): Promise<PlatformMark[]> {
    let list = marksOf.get(lesson);
    if (!list) {
      const res = await http.get<PlatformMark[]>('/core/api/marks', { query: { schedule_lesson_id: lesson, per_page: 1000 } });
      marksOf.set(lesson, (list = res.data.map((m) => ({ id: m.id, student_profile_id: m.student_profile_id })).sort((a, b) => a.id - b.id)));
    }
    return list;
  }
  /**
   * The platform id of a pupil's slot-th mark in a lesson (ЭПОС orders a cell's marks by id). A mark the gateway
   * already holds as the cell's other slot (`otherSlotMark`) is never this one: after a failed first write, the
   * pupil's only mark was the second, and a retry of the first overwrote it with PUT.
   */
  async function existing(op: MarkWriteOp): Promise<string | undefined> {
    if (op.existingSourceId) return op.existingSourceId;
    const other = op.targetIds.otherSlotMark;
    const mine = (await lessonMarks(op.targetIds.lesson)).filter((m) => String(m.student_profile_id) === op.targetIds.student);
    const m = other === undefined ? mine[op.record.slot - 1] : mine.filter((x) => String(x.id) !== other)[0];
    return m ? String(m.id) : undefined;
  }
  /** «Оценка не найдена»: the mark is gone from the platform (deleted there, or by a write whose answer was lost). */
  const gone = (e: unknown) => e instanceof GatewayHttpError && e.status === 404;
  /** Drops a mark from the lesson's list if that list was read (an unread one is read whole when first needed). */
  const forget = (lesson: string, id: string) => {
    const list = marksOf.get(lesson);
    if (list) marksOf.set(lesson, list.filter((m) => String(m.id) !== id));
  };

  async function writeMarks(ops: readonly MarkWriteOp[]): Promise<WriteResult[]> {
    // Slot 1 before slot 2: the platform's ids then keep a cell's order, which is how slots are read back.
    const order = ops.map((op, i) => ({ op, i })).sort((a, b) => a.op.record.slot - b.op.record.slot || a.i - b.i);
    const out: WriteResult[] = new Array(ops.length);
    // Cells whose first mark could not be written this time: a second mark written alone would read back as the first.
    // (Whether the account was refused there: then the second mark waits for the same reason.)
    const firstFailed = new Map<string, boolean>();
    for (const { op, i } of order) {
      const t = op.targetIds;
      const cell = `${t.student}:${t.lesson}`;
      if (op.action !== 'delete' && op.record.slot === 2 && firstFailed.has(cell)) {
        out[i] = { operationId: op.operationId, status: 'failed', reason: 'epos: waits for the first mark of its cell (ЭПОС orders a cell\'s marks by creation)', retryable: true, ...(firstFailed.get(cell) ? { accountRefused: true } : {}) };
        continue;
      }
      try {
        const id = await existing(op);
        if (op.action === 'delete') {
          if (!id) { out[i] = { operationId: op.operationId, status: 'unchanged' }; continue; }
          try {
            await http.delete('/core/api/marks/{id}', { pathParams: { id } });
          } catch (e) {
            // Gone already (a retried DELETE whose first answer was lost, a teacher's own delete): what was asked is so.
            if (!gone(e)) throw e;
          }
          forget(t.lesson, id);
          out[i] = { operationId: op.operationId, status: 'applied', sourceId: id };
          continue;
        }
        const controlForm = await controlFormOf(t);
        if (controlForm === undefined) {
          out[i] = { operationId: op.operationId, status: 'refused', reason: `epos: no control form for work type "${t.workTypeCode ?? '?'}" in this school`, retryable: false };
          continue;
        }
        const body = markBody(op.record, { student: Number(t.student), lesson: Number(t.lesson), controlForm }, t.pointDueDate ?? t.dueDate);
        let updated = false;
        if (id) {
          try {
            await http.put('/core/api/marks/{id}', { pathParams: { id }, json: { ...body, id: Number(id), name: op.record.raw } });
            updated = true;
            out[i] = { operationId: op.operationId, status: 'applied', sourceId: id };
          } catch (e) {
            // The mark was removed on the platform since: it is written again below, not refused for good.
            if (!gone(e)) throw e;
            forget(t.lesson, id);
          }
        }
        if (!updated) {
          // Not retried after a 5xx: a second POST could add a second mark; the next push finds it by lookup.
          const res = await http.post<PlatformMark>('/core/api/marks', { json: body });
          // Only what `existing` looks at: the whole answer, kept for every mark of a school-year, was hundreds of MB.
          const created = createdId(res.data, 'id', 'mark');
          (await lessonMarks(t.lesson)).push({ id: Number(created), student_profile_id: res.data.student_profile_id });
          out[i] = { operationId: op.operationId, status: 'applied', sourceId: created };
        }
      } catch (e) {
        out[i] = writeFailure(op.operationId, e);
        if (op.action !== 'delete' && op.record.slot === 1 && out[i].status === 'failed') firstFailed.set(cell, out[i].accountRefused === true);
      }
    }
    return out;
  }

  async function writeAttendance(ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]> {
    const out: WriteResult[] = [];
    for (const op of ops) {
      const t = op.targetIds;
      // Declared, so a dry run predicts it with the same reason (contract.ts `refusesWrites`).
      const refusal = declaredRefusal(eposDeclaration, 'attendance_record', op.action);
      if (refusal) {
        out.push({ operationId: op.operationId, status: 'refused', reason: refusal, retryable: false });
        continue;
      }
      try {
        // Safe to retry: the platform refuses a second absence for the same pupil and lesson.
        const res = await http.post<{ id: number }>('/core/api/attendances', { json: attendanceBody(op.record, { student: Number(t.student), lesson: Number(t.lesson) }), retrySafe: true });
        out.push({ operationId: op.operationId, status: 'applied', sourceId: createdId(res.data, 'id', 'absence') });
      } catch (e) {
        // The absence is there. A first write finds it done; a change of one the gateway wrote before (its reason went
        // «Б» → «УП») cannot be made — no public route edits or deletes an absence — and is said so, not hidden.
        if (e instanceof GatewayHttpError && e.code === 'attendance_exists') out.push(await alreadyThere(op).catch((x: unknown) => writeFailure(op.operationId, x)));
        else out.push(writeFailure(op.operationId, e));
      }
    }
    return out;
  }

  /**
   * The answer to "that absence is there already". One the gateway wrote before cannot be changed. One it holds no
   * platform id of (a teacher typed it; the first answer was lost) is read back by its group and day: the same reason
   * is done, and linked; another reason is refused, not reported done while the platform keeps its own.
   */
  async function alreadyThere(op: AttendanceWriteOp): Promise<WriteResult> {
    const refused = (why: string): WriteResult => ({ operationId: op.operationId, status: 'refused', reason: `epos: ${why}; no public route changes an absence (§2.5)`, retryable: false });
    if (op.existingSourceId) return refused('the absence is there as first written');
    const t = op.targetIds;
    // Unread, "done" would be a guess: the platform may hold another reason. The group and day come once they are linked.
    if (!t.section || !t.lessonDate) {
      return { operationId: op.operationId, status: 'failed', reason: 'epos: the absence is there, and its group or day is not linked yet, so its reason cannot be read back; tried again at the next push', retryable: true };
    }
    const day = ruFromIso(t.lessonDate);
    const list = (await http.get<{ id: number; schedule_lesson_id: number; student_profile_id: number; absence_reason_id: number }[]>('/core/api/attendances', {
      query: { group_ids: t.section, begin_date: day, end_date: day, per_page: 1000 },
    })).data;
    const there = list.find((a) => String(a.schedule_lesson_id) === t.lesson && String(a.student_profile_id) === t.student);
    // Said to be there, yet not in its group's list of its day (the lesson moved to another day on the platform?): a
    // person must look; calling it done would hide whatever the platform holds.
    if (!there) return { operationId: op.operationId, status: 'refused', reason: 'epos: the platform says the absence is there, but its group\'s absences of that day do not list it; check the lesson on the platform', retryable: false };
    if (there.absence_reason_id !== absenceReasonIdOf(op.record)) return refused('the absence is there with another reason (entered on the platform, or written before)');
    return { operationId: op.operationId, status: 'unchanged', sourceId: String(there.id) };
  }

  return { writeMarks, writeAttendance };
}
