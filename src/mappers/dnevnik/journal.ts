// Journal payloads → lessons, works, marks, attendance, final marks (platforms.md §3.3, §3.5). Event ids
// are natural (lessonId(section, date, number) …), exactly as the dataset builds them.
import * as z from 'zod';
import { attendanceId, finalMarkId, lessonId, markId, workId } from '../../model/ids.js';
import { parseRu5, numericOf } from '../../model/scale.js';
import { RU5_SCALE_ID } from '../../model/ru5.js';
import type { CanonicalRecord } from '../../model/records.js';
import { holding, parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as S from '../../connectors/dnevnik/schemas.js';
import { FINAL_KIND_BY_PERIOD_TYPE, HOMEWORK_WORK_TYPE, LESSON_STATUS_BACK, LOG_STATUS_TO_CANONICAL, MARK_SYSTEMS, type MarkSystem } from './codes.js';
import { idFor, instantOf, make, refOf, sectionKey } from './context.js';
import { workIdOf } from '../kit/work-ids.js';
import { cellHoldOf, rawCellHold } from '../kit/cell-hold.js';

const where = (route: string) => ({ platform: 'dnevnik', route });

const arr = z.array(z.unknown());

// `ids.lessonTeachers` / `ids.lessonDays` / `ids.subjectTeachers`: compact JSON maps the connector builds; parsed once per string.
let lastIdsText: string | undefined;
let lastIds: Record<string, string> = {};
function jsonIds(text: string | undefined): Record<string, string> {
  if (!text) return {};
  if (text !== lastIdsText) {
    lastIds = JSON.parse(text) as Record<string, string>;
    lastIdsText = text;
  }
  return lastIds;
}
const day = (s: string) => s.slice(0, 10);
const idStrOf = (r: unknown) => (r as { id_str?: string })?.id_str;

/** Reporting period id by (type, number), indexed once per `ids.ref` (every work of every lesson asks). */
const periodIndexes = new WeakMap<object, Map<string, string>>();
function periodIdOf(ref: { periods: Record<string, [string, number]> }, type: unknown, n: unknown): string | undefined {
  let index = periodIndexes.get(ref);
  if (!index) {
    index = new Map();
    for (const [id, [t, num]] of Object.entries(ref.periods)) if (!index.has(`${t}|${num}`)) index.set(`${t}|${num}`, id);
    periodIndexes.set(ref, index);
  }
  return index.get(`${String(type)}|${String(n)}`);
}

/** The line names the mark's cell (its pupil alone when it has no lesson): journal deletes leave it alone (sync/partial-read.ts). */
function refuseField(into: QuarantineItem[], ctx: MapContext, route: string, m: S.Mark, field: keyof S.Mark & string, reason: string, ruleId?: string): void {
  into.push({ route, sourceId: m.id_str, field, rawValue: m[field], reason, ruleId, holds: cellHoldOf(ctx, m.person_str, m.lesson_str) });
}
// The fields naming a raw mark's or log entry's cell (kit/cell-hold.ts).
const CELL = { pupil: 'person_str', lesson: 'lesson_str' };

/** `edu-groups/{g}/lessons/{from}/{to}`: lessons with their works embedded. */
export function mapLessons(route: string, payload: unknown, ctx: MapContext): MapResult {
  // A lesson that could not be mapped is not in the read, so none of its marks is judged: its line holds the lesson only.
  const { ok, quarantine } = parseItems(S.Lesson, parsePayload(arr, payload, where(route)), { route, idOf: (r) => (r as { id_str?: string })?.id_str, holdsOf: (r, failed) => rawCellHold(ctx, r, { lesson: 'id_str' }, failed) });
  const ref = refOf(ctx);
  const records: CanonicalRecord[] = [];
  for (const l of ok) {
    const section = idFor(ctx, 'section', sectionKey(l.group.id_str, l.subject.id_str));
    const date = day(l.date);
    const lid = lessonId(section, date, l.number);
    const teacher = l.teachersStr[0];
    if (!teacher) {
      quarantine.push({ route, sourceId: l.id_str, field: 'teachersStr', reason: 'lesson without a teacher', holds: { lessonId: lid } });
      continue;
    }
    const teacherId = idFor(ctx, 'person', teacher);
    const status = LESSON_STATUS_BACK[l.status];
    const works = parseItems(S.Work, l.works, { route, pathPrefix: `${l.id_str}.works`, idOf: idStrOf });
    // A work column that could not be read hides no mark: a mark carries its own work type, and comes on its own route.
    quarantine.push(...holding(works.quarantine, 'none'));
    // Homework is a work of the lesson too (codes.ts HOMEWORK_WORK_TYPE): its text is the lesson's homework, due on
    // its target date. «Не задано» has no form here; a lesson without one has no homework.
    const homeworks = works.ok.filter((w) => w.type === HOMEWORK_WORK_TYPE && w.text?.trim());
    const due = homeworks.find((w) => w.targetDate)?.targetDate;
    records.push(make(ctx, 'lesson', lid, 'lesson', l.id_str, {
      sectionId: section, date, lessonNumber: l.number, topic: l.title ?? undefined, scheduledTeacherId: teacherId,
      homework: homeworks.length ? { text: homeworks.map((w) => w.text!.trim()).join('\n'), notAssigned: false, ...(due ? { dueDate: day(due) } : {}), attachments: [] } : undefined,
      substituteTeacherId: l.teachersStr[1] ? idFor(ctx, 'person', l.teachersStr[1]) : undefined,
      subgroup: ctx.ids.groupType === 'Subgroup' ? ctx.ids.groupName : undefined, lessonStatus: status,
      // Not carried by the platform (docs/platforms/dnevnik.md, ignoreFields): the lesson's own date and teacher.
      recordedAt: instantOf(date, ctx.timeZone), recordedBy: l.teachersStr[1] ? idFor(ctx, 'person', l.teachersStr[1]) : teacherId,
    }));
    for (const w of works.ok) {
      if (w.type === HOMEWORK_WORK_TYPE) continue; // the lesson's homework, not a journal column
      const wt = ref.workTypes[w.workType];
      const period = periodIdOf(ref, w.periodType, w.periodNumber);
      if (!wt || !period) {
        quarantine.push({ route, sourceId: w.id_str, field: wt ? 'periodNumber' : 'workType', reason: wt ? 'reporting period not in ids.ref' : 'work type not in ids.ref (work-types/{school})', holds: 'none' });
        continue;
      }
      records.push(make(ctx, 'work', workId(lid, wt[0]), 'work', w.id_str, {
        sectionId: section, lessonId: lid, workTypeCode: wt[0], title: w.text ?? wt[0], assignedDate: day(String(w.sentDate ?? l.date)),
        dueDate: w.targetDate ? day(w.targetDate) : undefined, gradingPeriodId: idFor(ctx, 'academic_session', period),
        scaleId: RU5_SCALE_ID,
      }));
    }
  }
  return { records, quarantine };
}

/**
 * `edu-groups/{g}/marks/{from}/{to}`: `value`/`textValue` strings under a mark system `type`. The lesson's
 * canonical id comes from the crosswalk (lessons are read first). Two marks of one pupil on one work are
 * a retake (R-09 b): the second points at the first.
 */
export function mapMarks(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.Mark, parsePayload(arr, payload, where(route)), { route, idOf: (r) => (r as { id_str?: string })?.id_str, holdsOf: (r, failed) => rawCellHold(ctx, r, CELL, failed) });
  const ref = refOf(ctx);
  const teachers = jsonIds(ctx.ids.lessonTeachers);
  // [U] Mark.date may be the day the mark was set: its column is its lesson's day (connectors/dnevnik/lessons-seen.ts).
  const lessonDays = jsonIds(ctx.ids.lessonDays);
  // Pupil × work pairs with a first mark: only a page with a retake needs them (most pages have none).
  const firsts = ok.some((m) => m.number === 2) ? new Set(ok.filter((m) => (m.number ?? 1) === 1).map((m) => `${m.person_str}:${m.work_str}`)) : undefined;
  const slots = slotsAcrossColumns(ok);
  const records: CanonicalRecord[] = [];
  // One closure per page, not one per mark: tsx (esbuild keepNames) wraps each closure it creates in a __name call.
  const q = (m: S.Mark, field: keyof S.Mark & string, reason: string, ruleId?: string) => refuseField(quarantine, ctx, route, m, field, reason, ruleId);
  for (const m of ok) {
    const system = MARK_SYSTEMS[m.type as MarkSystem];
    if (!system) { q(m, 'type', `unknown mark system "${m.type}"`, 'R-08'); continue; }
    const raw = m.textValue ?? m.value;
    let base: number | null = null;
    let modifier: 'none' | 'plus' | 'minus' = 'none';
    if (system.state === 'graded') {
      const p = parseRu5(raw);
      if (!p || String(p.base) !== m.value) { q(m, 'textValue', 'not a five-point mark (or value and textValue disagree)', 'R-08'); continue; }
      base = p.base;
      modifier = p.modifier;
    }
    const wt = m.workType !== undefined ? ref.workTypes[m.workType] : undefined; // a number key: no string per mark
    if (!wt) { q(m, 'workType', 'work type not in ids.ref (work-types/{school})'); continue; }
    if (!m.lesson_str) { q(m, 'lesson_str', 'mark without a lesson'); continue; }
    const teacher = teachers[m.lesson_str] ?? ctx.ids.reader;
    if (!teacher) { q(m, 'lesson_str', 'no teacher known for the lesson (its lessons page was not read)'); continue; }
    const lid = idFor(ctx, 'lesson', m.lesson_str);
    const studentId = idFor(ctx, 'person', m.person_str);
    const across = slots.get(m);
    if (across === 0) { q(m, 'work_str', 'a third mark of one pupil in one lesson (two columns already hold one each)', 'R-09'); continue; }
    const slot = across ?? (m.number === 2 ? 2 : 1);
    records.push(make(ctx, 'mark', markId(studentId, lid, slot), 'mark', m.id_str, {
      studentId, workId: workIdOf(lid, wt[0]), lessonId: lid, slot, raw, base, modifier,
      numeric: base === null ? null : numericOf(base, modifier), state: system.state,
      retakeOfMarkId: slot === 2 && across === undefined && firsts?.has(`${m.person_str}:${m.work_str}`) ? markId(studentId, lid, 1) : undefined,
      weightApplied: wt[1], markDate: lessonDays[m.lesson_str] ?? day(m.date),
      // Not carried (ignoreFields): when and by whom the mark was set.
      recordedAt: instantOf(m.date, ctx.timeZone), recordedBy: idFor(ctx, 'person', teacher),
    }));
  }
  return { records, quarantine };
}

/**
 * Slots of the marks a pupil has in two or more columns (works) of one lesson: an oral answer and a test the same day.
 * `Mark.number` counts marks within one column, so both would be the first and share one canonical id — one mark
 * silently lost. Such marks take slots 1, 2 by their number, then column order (the earlier work first; R-09 a: two
 * work types); a third has no slot (0: quarantined). Marks of a pupil in a single column are not in the map (their `number` is the slot).
 */
function slotsAcrossColumns(marks: readonly S.Mark[]): Map<S.Mark, number> {
  const cells = new Map<string, S.Mark[]>();
  let shared = false;
  for (const m of marks) {
    const key = `${m.person_str}:${m.lesson_str}`;
    const cell = cells.get(key);
    if (cell === undefined) cells.set(key, [m]);
    else {
      cell.push(m);
      if (cell[0].work_str !== m.work_str) shared = true;
    }
  }
  const out = new Map<S.Mark, number>();
  if (!shared) return out;
  // Decimal int64 strings: shorter is smaller, then lexical order.
  const byId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  for (const cell of cells.values()) {
    if (cell.length < 2 || cell.every((m) => m.work_str === cell[0].work_str)) continue;
    // The platform's own numbers first (a cell may number across its columns: 1 and 2); ties by the earlier column.
    cell.sort((a, b) => (a.number ?? 1) - (b.number ?? 1) || byId(a.work_str, b.work_str));
    cell.forEach((m, i) => out.set(m, i < 2 ? i + 1 : 0));
  }
  return out;
}

/** `lesson-log-entries/group/{g}`: Attend (no record), Absent, Ill, Late, Pass. */
export function mapLogEntries(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.LessonLogEntry, parsePayload(arr, payload, where(route)), { route, idOf: (r) => (r as { lesson_str?: string })?.lesson_str, holdsOf: (r, failed) => rawCellHold(ctx, r, CELL, failed) });
  const records: CanonicalRecord[] = [];
  const teachers = jsonIds(ctx.ids.lessonTeachers);
  for (const e of ok) {
    if (e.status === 'Attend') continue;
    const teacher = teachers[e.lesson_str] ?? ctx.ids.reader;
    if (!teacher) { quarantine.push({ route, sourceId: e.lesson_str, field: 'lesson_str', reason: 'no teacher known for the lesson (its lessons page was not read)', holds: cellHoldOf(ctx, e.person_str, e.lesson_str) }); continue; }
    const lid = idFor(ctx, 'lesson', e.lesson_str);
    const studentId = idFor(ctx, 'person', e.person_str);
    records.push(make(ctx, 'attendance_record', attendanceId(studentId, lid), 'lesson_log_entry', `${e.lesson_str}:${e.person_str}`, {
      studentId, lessonId: lid, ...LOG_STATUS_TO_CANONICAL[e.status], rawCode: e.status,
      recordedAt: instantOf(e.createdDate, ctx.timeZone), recordedBy: idFor(ctx, 'person', teacher),
    }));
  }
  return { records, quarantine };
}

const FinalMarkValue = z.looseObject({ type: z.string(), value: z.string().min(1), textValue: z.string().nullable().optional(), date: z.string() });

/** `edu-groups/{g}/final-marks`: hyphenated keys `per-subject-final-marks`, `final-mark`. */
export function mapFinalMarks(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.FinalMarksEntry, parsePayload(arr, payload, where(route)), { route, idOf: (r) => (r as { person_str?: string })?.person_str });
  const ref = refOf(ctx);
  const records: CanonicalRecord[] = [];
  const bad = (x: Omit<QuarantineItem, 'route'>) => quarantine.push({ route, ...x });
  const teachers = jsonIds(ctx.ids.subjectTeachers);
  for (const e of ok) {
    const period = ref.periods[e.reportingPeriod_str];
    const kind = period ? FINAL_KIND_BY_PERIOD_TYPE[period[0]] : undefined;
    if (!kind) { bad({ sourceId: e.reportingPeriod_str, field: 'reportingPeriod_str', reason: 'reporting period unknown or of a kind without final marks' }); continue; }
    const studentId = idFor(ctx, 'person', e.person_str);
    const periodId = idFor(ctx, 'academic_session', e.reportingPeriod_str);
    e['per-subject-final-marks'].forEach((s, i) => {
      const fm = FinalMarkValue.safeParse(s['final-mark']);
      if (!fm.success) { bad({ sourceId: e.person_str, field: `per-subject-final-marks.${i}.final-mark`, reason: 'final mark does not match the schema' }); return; }
      const raw = fm.data.textValue ?? fm.data.value;
      const teacher = teachers[s.subject_str] ?? ctx.ids.reader;
      if (!teacher) { bad({ sourceId: e.person_str, field: `per-subject-final-marks.${i}.subject_str`, reason: 'no teacher known for the subject (no lessons read, no reader id)' }); return; }
      const sectionId = idFor(ctx, 'section', sectionKey(e.group_str, s.subject_str));
      records.push(make(ctx, 'final_mark', finalMarkId(studentId, sectionId, kind, periodId), 'final_mark', `${e.person_str}:${e.reportingPeriod_str}:${s.subject_str}`, {
        studentId, sectionId, kind, periodId, raw, base: /^[1-5]$/.test(raw) ? Number(raw) : null,
        recordedAt: instantOf(fm.data.date, ctx.timeZone), recordedBy: idFor(ctx, 'person', teacher),
      }));
    });
  }
  return { records, quarantine };
}
