// Journal payloads → lessons, marks, attendance (platforms.md §2.4, §2.6). Event ids are natural
// (lessonId(section, date, number) …), exactly as the dataset builds them; marks and absences find their
// lesson (`schedule_lesson_id`) through the crosswalk, so schedule items are mapped first.
import * as z from 'zod';
import { attendanceId, lessonId, markId } from '../../model/ids.js';
import { numericOf, type ParsedMark } from '../../model/scale.js';
import { workTypeByName } from '../../model/work-types.js';
import { RU5_SCALE_ID } from '../../model/ru5.js';
import type { CanonicalRecord } from '../../model/records.js';
import { parseItems, parsePayload, type MapContext, type MapResult } from '../../connectors/mapping.js';
import * as S from '../../connectors/epos/schemas.js';
import { makeRecord as make } from '../kit/make-record.js';
import { instantOf, isoInstant } from '../kit/wall-time.js';
import { ABSENCE_REASONS, fivePointOf } from './codes.js';
import { addMinutes, isoFromRu, readIsoDateTime } from './dates.js';
import { idFor, refOf } from './context.js';
import { workIdOf } from '../kit/work-ids.js';
import { cellHoldOf, rawCellHold } from '../kit/cell-hold.js';

const where = (route: string) => ({ platform: 'epos', route });

const arr = z.array(z.unknown());
const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
const idOf = (r: unknown) => { const v = (r as { id?: unknown })?.id; return v === undefined ? undefined : String(v); };
// The fields naming a raw mark's or absence's cell, and a raw schedule item's lesson (kit/cell-hold.ts).
const CELL = { pupil: 'student_profile_id', lesson: 'schedule_lesson_id' };
const LESSON_ONLY = { lesson: 'id' };

/** `jersey/api/schedule_items`: a lesson per item; `iso_date_time` gives the start with or without `Z`. */
export function mapScheduleItems(route: string, payload: unknown, ctx: MapContext): MapResult {
  // A lesson that could not be mapped is not in the read, so none of its marks is judged: its line holds the lesson only.
  const { ok, quarantine } = parseItems(S.ScheduleItem, parsePayload(arr, payload, where(route)), { route, idOf, holdsOf: (r, failed) => rawCellHold(ctx, r, LESSON_ONLY, failed) });
  const ref = refOf(ctx);
  const homework = homeworkOf(ctx);
  const records: CanonicalRecord[] = [];
  for (const s of ok) {
    const start = readIsoDateTime(s.iso_date_time, ctx.timeZone);
    if (start.date !== s.date) {
      // The zone policy and the platform disagree (§2.6): never guess which one is right.
      quarantine.push({ route, sourceId: String(s.id), field: 'iso_date_time', rawValue: s.iso_date_time, reason: `starts on ${start.date} in ${ctx.timeZone}, but date is ${s.date}`, holds: cellHoldOf(ctx, undefined, s.id) });
      continue;
    }
    const section = idFor(ctx, 'section', s.group_id);
    const teacher = idFor(ctx, 'person', s.teacher_id);
    const hw = homework?.[s.id];
    records.push(make(ctx, 'lesson', lessonId(section, s.date, s.study_ordinal), 'lesson', String(s.id), {
      sectionId: section, date: s.date, lessonNumber: s.study_ordinal, startTime: start.time, endTime: addMinutes(start.time, s.duration),
      topic: s.lesson_name ?? undefined, scheduledTeacherId: teacher,
      // ЭПОС has no «Не задано» and no attachments here: a lesson without homework has none (docs/platforms/epos.md).
      homework: hw ? { text: hw[0], notAssigned: false, ...(hw[1] ? { dueDate: hw[1] } : {}), attachments: [] } : undefined,
      substituteTeacherId: s.replaced && s.replacement_teacher_id ? idFor(ctx, 'person', s.replacement_teacher_id) : undefined,
      subgroup: ref.subgroups[String(s.group_id)], lessonStatus: s.cancelled ? 'cancelled' : s.is_transferred ? 'moved' : 'held',
      // Not carried (docs/platforms/epos.md): when and by whom the lesson was entered.
      recordedAt: instantOf(s.date, ctx.timeZone), recordedBy: teacher,
    }));
  }
  return { records, quarantine };
}

/** `ids.homework` (connectors/epos/homework.ts): schedule item id → [text, due day or '']; undefined when homework was not read. */
function homeworkOf(ctx: MapContext): Record<string, [string, string]> | undefined {
  const text = ctx.ids.homework as unknown;
  if (!text) return undefined;
  return (typeof text === 'object' ? text : JSON.parse(String(text))) as Record<string, [string, string]>;
}

/**
 * `core/api/student_homeworks`: the entries are placed on their lessons by the connector (`ids.homework` of the
 * schedule pages); mapped here only to validate them, so an entry that cannot be read is quarantined, not lost.
 */
export function mapHomeworks(route: string, payload: unknown): MapResult {
  // A homework entry is a lesson's text, never a mark or absence: its line refuses no journal delete (sync/partial-read.ts).
  const { quarantine } = parseItems(S.StudentHomework, parsePayload(arr, payload, where(route)), { route, idOf, holdsOf: () => 'none' });
  return { records: [], quarantine };
}

/**
 * `core/api/marks`: `values[]` in either scale shape (МЭШ `grade.origin`, ЭПОС `original`); `is_point` is a
 * «точка» (owed, R-13); the weight is the mark's own (`control_form` weight at the time). ЭПОС has no slot:
 * a pupil's marks in one lesson are slots 1 and 2 by id (the connector keeps a lesson's marks in one batch),
 * and a second mark of the same control form is a retake of the first (R-09 b). The work column each mark
 * belongs to is emitted once per page, derived from the marks.
 */
export function mapMarks(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.Mark, parsePayload(arr, payload, where(route)), { route, idOf, holdsOf: (r, failed) => rawCellHold(ctx, r, CELL, failed) });
  const ref = refOf(ctx);
  const forms = new Map<number, ReturnType<typeof workTypeByName>>(); // control form id → work type, once per page
  const formOf = (id: number) => (forms.has(id) ? forms.get(id) : forms.set(id, workTypeByName(ref.controlForms[String(id)] ?? '')).get(id));
  // A pupil's marks in one lesson (slots by id): keyed by the numeric ids themselves, no string key per mark.
  const cells: S.Mark[][] = [];
  const byPupil = new Map<number, Map<number, S.Mark[]>>();
  for (const m of ok) {
    let byLesson = byPupil.get(m.student_profile_id);
    if (!byLesson) byPupil.set(m.student_profile_id, (byLesson = new Map()));
    const cell = byLesson.get(m.schedule_lesson_id);
    if (cell) {
      // One mark listed twice: its paged list shifted between two page requests (connectors/paged-list.ts). It is
      // one mark, as last read — not a second mark of the pupil, a retake of itself.
      const again = cell.findIndex((x) => x.id === m.id);
      if (again >= 0) cell[again] = m;
      else cell.push(m);
    } else {
      const fresh = [m];
      byLesson.set(m.schedule_lesson_id, fresh);
      cells.push(fresh);
    }
  }
  const records: CanonicalRecord[] = [];
  const works = new Set<string>();
  const classPeriods = new Map<number, [number, string, string][]>();
  /** The attestation period (quarter or half-year) of the mark's class that covers its date. */
  const periodOf = (m: S.Mark, date: string) => {
    let periods = classPeriods.get(m.group_id);
    if (!periods) classPeriods.set(m.group_id, (periods = ref.periods[String(ref.groupClass[String(m.group_id)])] ?? []));
    for (const [id, from, to] of periods) if (from <= date && date <= to) return id;
    return undefined;
  };
  // One closure per page, not one per mark: tsx (esbuild keepNames) wraps each closure it creates in a __name call.
  // The line names the mark's cell: journal deletes leave it alone and judge the rest (sync/partial-read.ts).
  const q = (m: S.Mark, field: string, reason: string, rawValue?: unknown, ruleId?: string): void =>
    void quarantine.push({ route, sourceId: String(m.id), field, rawValue, reason, ruleId, holds: cellHoldOf(ctx, m.student_profile_id, m.schedule_lesson_id) });
  // A «точка» is owed by its `point_date`: the column's due date (the one date ЭПОС gives a column). Few marks are points.
  const pointDue = new Map<string, string>();
  for (const cell of cells) for (const m of cell) if (m.is_point && m.point_date) pointDue.set(`${m.schedule_lesson_id}:${m.control_form_id}`, isoFromRu(m.point_date)!);
  for (const cell of cells) {
    if (cell.length > 1) cell.sort(byId);
    for (let i = 0; i < cell.length; i++) {
      const m = cell[i];
      if (i > 1) { q(m, 'id', 'a third mark of one pupil in one lesson', undefined, 'R-09'); continue; }
      const slot = (i + 1) as 1 | 2;
      const v = m.values[0];
      const def = formOf(m.control_form_id);
      if (!def) { q(m, 'control_form_id', 'control form not in ids.ref (core/api/control_forms)', m.control_form_id); continue; }
      const markDate = isoFromRu(m.date)!;
      let p: ParsedMark | null = null;
      if (!m.is_point) {
        // On a 10- or 100-point scale `original` is not a five-point mark, though it may parse as one («4» of 10 is a 2).
        const five = fivePointOf(v);
        if ('notFivePoint' in five) { q(m, `values.0.${five.field}`, five.notFivePoint, v.original, 'R-08'); continue; }
        p = five;
      }
      const period = periodOf(m, markDate);
      if (period === undefined) { q(m, 'group_id', 'no attestation period of the group\'s class covers the mark date (ids.ref.periods)', m.group_id); continue; }
      const lid = idFor(ctx, 'lesson', m.schedule_lesson_id);
      const studentId = idFor(ctx, 'person', m.student_profile_id);
      const wid = workIdOf(lid, def.code);
      if (!works.has(wid)) {
        // ЭПОС has no work object: the column is known from its marks (lesson × control form). Title and due
        // date are not carried (docs/platforms/epos.md).
        works.add(wid);
        const dueDate = pointDue.get(`${m.schedule_lesson_id}:${m.control_form_id}`);
        records.push(make(ctx, 'work', wid, 'work', `${m.schedule_lesson_id}:${m.control_form_id}`, {
          sectionId: idFor(ctx, 'section', m.group_id), lessonId: lid, workTypeCode: def.code, title: def.nameRu, assignedDate: markDate,
          gradingPeriodId: idFor(ctx, 'academic_session', period), scaleId: RU5_SCALE_ID, ...(dueDate ? { dueDate } : {}),
        }));
      }
      records.push(make(ctx, 'mark', markId(studentId, lid, slot), 'mark', String(m.id), {
        studentId, workId: wid, lessonId: lid, slot, raw: v.original, base: p?.base ?? null, modifier: p?.modifier ?? 'none',
        numeric: p ? numericOf(p.base, p.modifier) : null, state: m.is_point ? 'owed' : 'graded',
        retakeOfMarkId: slot === 2 && cell[0].control_form_id === m.control_form_id ? markId(studentId, lid, 1) : undefined,
        weightApplied: m.weight, comment: m.comment || undefined, markDate,
        recordedAt: isoInstant(m.created_at), recordedBy: idFor(ctx, 'person', m.teacher_id),
      }));
    }
  }
  return { records, quarantine };
}

/** `core/api/attendances`: one record per absence or lateness; `absence_reason_id` through the codes table. */
export function mapAttendances(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.Attendance, parsePayload(arr, payload, where(route)), { route, idOf, holdsOf: (r, failed) => rawCellHold(ctx, r, CELL, failed) });
  const records: CanonicalRecord[] = [];
  for (const a of ok) {
    const reason = ABSENCE_REASONS[a.absence_reason_id];
    if (!reason) {
      quarantine.push({ route, sourceId: String(a.id), field: 'absence_reason_id', rawValue: a.absence_reason_id, reason: 'unknown absence reason', holds: cellHoldOf(ctx, a.student_profile_id, a.schedule_lesson_id) });
      continue;
    }
    const lid = idFor(ctx, 'lesson', a.schedule_lesson_id);
    const studentId = idFor(ctx, 'person', a.student_profile_id);
    records.push(make(ctx, 'attendance_record', attendanceId(studentId, lid), 'attendance', String(a.id), {
      studentId, lessonId: lid, kind: reason.kind, reason: reason.reason, minutesLate: a.late_minutes ?? undefined,
      rawCode: String(a.absence_reason_id), recordedAt: isoInstant(a.created_at), recordedBy: idFor(ctx, 'person', a.teacher_id),
    }));
  }
  return { records, quarantine };
}
