// Teacher journal payloads (`grade/journal`, `grade/journal/edit`; platforms.md §1.6 [U]) → lessons, works,
// marks and attendance. Event ids are natural (lessonId(section, date, number) …), as the dataset builds them.
import * as z from 'zod';
import { attendanceId, lessonId, markId, workId } from '../../model/ids.js';
import { RU5_SCALE_ID } from '../../model/ru5.js';
import type { CanonicalRecord } from '../../model/records.js';
import { holding, parseItems, parsePayload, type CellHold, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as T from '../../connectors/asurso/teacher-api.js';
import { ATTENDANCE_LETTERS, DUTY_RAW } from './codes.js';
import { columnTitle, holdsMark, homeworkColumnText, lessonHomework } from './homework.js';
import { dayOf, idFor, instantOf, make, refOf } from './context.js';
import { rawCellHold } from '../kit/cell-hold.js';

const where = (route: string) => ({ platform: 'asurso', route });

/** `grade/journal`: every class meeting of the subject group in the term (limited to ids.from…ids.to when given). */
export function mapJournal(route: string, payload: unknown, ctx: MapContext): MapResult {
  const j = parsePayload(T.Journal, payload, where(route));
  const out: MapResult = { records: [], quarantine: [] };
  const maxMark = j.markSettings.maxMark;
  for (const page of j.journals) {
    const section = idFor(ctx, 'section', String(page.subjectGroupId));
    const { ok, quarantine } = parseItems(T.ClassMeeting, page.classMeeting, { route, pathPrefix: 'classMeeting', idOf: (r) => idOf(r), holdsOf: (r, failed) => meetingHold(ctx, section, r, failed) });
    out.quarantine.push(...quarantine);
    for (const cm of ok) {
      const d = dayOf(cm.date);
      if ((ctx.ids.from && d < ctx.ids.from) || (ctx.ids.to && d > ctx.ids.to)) continue;
      mapMeeting(route, ctx, String(page.subjectGroupId), cm, cm.assignments, cm.attendance, maxMark, out);
    }
  }
  return out;
}

/** `grade/journal/edit`: one lesson with its assignments and attendance (ids.sgId names the subject group). */
export function mapJournalEdit(route: string, payload: unknown, ctx: MapContext): MapResult {
  const e = parsePayload(T.JournalEdit, payload, where(route));
  const out: MapResult = { records: [], quarantine: [] };
  if (!ctx.ids.sgId) return { records: [], quarantine: [{ route, field: 'ids.sgId', reason: 'grade/journal/edit needs the subject group id in the context' }] };
  mapMeeting(route, ctx, ctx.ids.sgId, e.lesson, e.assignments, e.attendance, refOf(ctx).maxMark, out);
  return out;
}

interface Meeting {
  id: number; date: string; scheduleTimeNumber: number; startTime?: string; endTime?: string; lessonTheme?: string | null;
  teacherId: number; substituteTeacherId?: number | null; canceled?: boolean;
}

/**
 * The lesson of a class meeting that failed its schema, when its day and lesson number still read, and the lesson its
 * id is linked to (a moved meeting's marks are stored there): not mapped, the meeting is not in the read and none of
 * its marks is judged, so its line holds those lessons only (sync/partial-read.ts). A field it failed on is not read.
 */
function meetingHold(ctx: MapContext, section: string, raw: unknown, failed: ReadonlySet<string>): CellHold[] | undefined {
  const { id, date, scheduleTimeNumber: n } = (raw ?? {}) as { id?: unknown; date?: unknown; scheduleTimeNumber?: unknown };
  if (failed.has('date') || failed.has('scheduleTimeNumber') || typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date) || typeof n !== 'number' || !Number.isInteger(n) || n < 0) return undefined;
  const lid = lessonId(section, dayOf(date), n);
  const linked = !failed.has('id') && (typeof id === 'number' || typeof id === 'string') ? ctx.resolve?.('lesson', String(id)) : undefined;
  return [{ lessonId: lid }, ...(linked && linked !== lid ? [{ lessonId: linked }] : [])];
}

const idOf = (r: unknown) => {
  const id = (r as { id?: unknown } | null)?.id;
  return id === undefined ? undefined : String(id);
};

function mapMeeting(
  route: string, ctx: MapContext, sgId: string, cm: Meeting,
  rawAssignments: readonly unknown[], rawAttendance: readonly unknown[], maxMark: number, out: MapResult,
): void {
  const q = (x: Omit<QuarantineItem, 'route'>) => void out.quarantine.push({ route, ...x });
  const ref = refOf(ctx);
  const section = idFor(ctx, 'section', sgId);
  const date = dayOf(cm.date);
  const lid = lessonId(section, date, cm.scheduleTimeNumber);
  const teacher = idFor(ctx, 'person', cm.teacherId);
  // NetSchool sends wall time without offset: the school's zone makes it an instant (§1.8).
  const recordedAt = instantOf(`${date}T${cm.endTime ?? '00:00'}`, ctx.timeZone);
  // What a line of this meeting may hide (sync/partial-read.ts): the lesson, or a pupil's cell in it — in both lessons
  // when the platform moved the meeting (another day or number: its stored marks are under the id it is linked to).
  // Asked only for a meeting with a line: asking for every meeting would look every one up and map its page again.
  let linked: string | undefined | null = null;
  const lessonIds = () => {
    if (linked === null) linked = ctx.resolve?.('lesson', String(cm.id));
    return linked && linked !== lid ? [lid, linked] : [lid];
  };
  const lesson = () => lessonIds().map((lessonId) => ({ lessonId }));
  const cellsOf = (studentId: string | undefined) => lessonIds().map((lessonId) => ({ ...(studentId ? { studentId } : {}), lessonId }));
  const pupilIn = (studentId: number) => cellsOf(idFor(ctx, 'person', studentId));
  const rawPupilIn = (raw: unknown, failed: ReadonlySet<string>) => cellsOf(rawCellHold(ctx, raw, { pupil: 'studentId' }, failed)?.studentId);
  // A column or cell that could not be read hides marks and absences of this lesson only; a mark's own line names its pupil too.
  const asg = parseItems(T.Assignment, rawAssignments, { route, pathPrefix: `${cm.id}.assignments`, idOf });
  if (asg.quarantine.length) out.quarantine.push(...holding(asg.quarantine, lesson()));
  out.records.push(make(ctx, 'lesson', lid, 'class_meeting', cm.id, {
    sectionId: section, date, lessonNumber: cm.scheduleTimeNumber, startTime: cm.startTime, endTime: cm.endTime,
    topic: cm.lessonTheme ?? undefined, homework: lessonHomework(asg.ok, ref.types), scheduledTeacherId: teacher,
    substituteTeacherId: cm.substituteTeacherId ? idFor(ctx, 'person', cm.substituteTeacherId) : undefined,
    subgroup: ctx.ids.subgroup || undefined, lessonStatus: cm.canceled ? 'cancelled' : 'held',
    recordedAt, recordedBy: teacher,
  }));

  const att = parseItems(T.AttendanceCell, rawAttendance, { route, pathPrefix: `${cm.id}.attendance`, holdsOf: rawPupilIn });
  out.quarantine.push(...att.quarantine);
  for (const a of att.ok) {
    const code = ATTENDANCE_LETTERS[a.reason];
    if (!code) { q({ sourceId: `${cm.id}:${a.studentId}`, field: 'reason', rawValue: a.reason, reason: `unknown attendance letter (not in grade/attendance/reasons table)`, holds: pupilIn(a.studentId) }); continue; }
    const studentId = idFor(ctx, 'person', a.studentId);
    out.records.push(make(ctx, 'attendance_record', attendanceId(studentId, lid), 'attendance', `${cm.id}:${a.studentId}`, {
      studentId, lessonId: lid, ...code, rawCode: a.reason, recordedAt, recordedBy: teacher,
    }));
  }

  // The n-th mark of a pupil on a lesson is slot n: columns are read in journal order.
  const slotOf = new Map<number, { n: number; firstWork?: string }>();
  for (const a of asg.ok) {
    const code = ref.types[String(a.typeId)];
    if (!code) { q({ sourceId: String(a.id), field: 'typeId', rawValue: a.typeId, reason: 'assignment type not in ids.ref (grade/assignment/types)', holds: lesson() }); continue; }
    const gradingPeriod = ctx.ids.termId;
    if (!gradingPeriod) { q({ sourceId: String(a.id), field: 'ids.termId', reason: 'the term of the journal page is not in the context', holds: lesson() }); continue; }
    const res = parseItems(T.Result, a.results, { route, pathPrefix: `${a.id}.results`, holdsOf: rawPupilIn });
    out.quarantine.push(...res.quarantine);
    // A homework column nobody has a mark in is the lesson's homework (above), not a gradebook column; once marked it
    // is both, and its marks are the work's like any column's.
    if (!res.ok.some(holdsMark) && homeworkColumnText(a, ref.types) !== undefined) continue;
    const wid = workId(lid, code);
    out.records.push(make(ctx, 'work', wid, 'assignment', a.id, {
      sectionId: section, lessonId: lid, workTypeCode: code, title: columnTitle(a.assignmentName, code), assignedDate: date,
      dueDate: a.dueDate ? dayOf(a.dueDate) : undefined, gradingPeriodId: idFor(ctx, 'academic_session', gradingPeriod), scaleId: RU5_SCALE_ID,
    }));
    const comments = new Map(a.comments.map((c) => [c.studentId, c.text]));
    for (const r of res.ok) {
      if (!holdsMark(r)) continue; // a cleared cell
      // A mark's slot is its place among the pupil's marks on the lesson, counted before any check: a mark set aside
      // below keeps its slot, so the next one does not take its id (and swap ids once the first is fixed).
      const cell = slotOf.get(r.studentId) ?? { n: 0 };
      cell.n++;
      slotOf.set(r.studentId, cell);
      let raw: string; let base: number | null; let state: 'graded' | 'owed';
      if (r.mark === null) {
        raw = DUTY_RAW; base = null; state = 'owed';
      } else if (r.mark >= 1 && r.mark <= Math.min(maxMark, 5)) {
        raw = String(r.mark); base = r.mark; state = 'graded';
      } else {
        q({ sourceId: `${a.id}:${r.studentId}`, field: 'mark', rawValue: r.mark, reason: `mark outside 1…${maxMark} of the five-point scale`, ruleId: 'R-08', holds: pupilIn(r.studentId) });
        continue;
      }
      if (!Number.isInteger(a.weight) || a.weight < 0 || a.weight > 100) {
        q({ sourceId: String(a.id), field: 'weight', rawValue: a.weight, reason: 'assignment weight outside 0…100', ruleId: 'R-12', holds: lesson() });
        continue;
      }
      if (cell.n > 2) { q({ sourceId: `${a.id}:${r.studentId}`, field: 'results', reason: 'a third mark of one pupil on one lesson', ruleId: 'R-09', holds: pupilIn(r.studentId) }); continue; }
      const slot = cell.n as 1 | 2;
      if (slot === 1) cell.firstWork = wid;
      const studentId = idFor(ctx, 'person', r.studentId);
      const comment = comments.get(r.studentId);
      out.records.push(make(ctx, 'mark', markId(studentId, lid, slot), 'result', `${a.id}:${r.studentId}`, {
        studentId, workId: wid, lessonId: lid, slot, raw, base, modifier: 'none', numeric: base, state,
        retakeOfMarkId: slot === 2 && cell.firstWork === wid ? markId(studentId, lid, 1) : undefined,
        // A mark sits in its lesson's column: its date is the meeting's. The result's own `date` is the day it was
        // set ([U-gw]); a mark entered days later, or a lesson moved to another day, keeps the old day there, and taking
        // it for the column refused the mark and so lost it.
        weightApplied: a.weight, comment, markDate: date,
        recordedAt: r.date ? instantOf(r.date, ctx.timeZone) : recordedAt, recordedBy: teacher,
      }));
    }
  }
}

export const JournalArray = z.array(z.unknown());
