// Parent/student diary (platforms.md §1.5 [V]) → the works and marks of ONE child. `weekDays` is absent on
// holidays. A diary lesson names its subject only by `subjectName`: `ids.sg` (JSON subject name → subject
// group id, learnt by the connector from `student/diary/assigns/{id}`) places it in a section. Works are
// emitted only with `ids.termId` (the diary does not name the grading period).
import { lessonId, markId, workId } from '../../model/ids.js';
import { RU5_SCALE_ID } from '../../model/ru5.js';
import { parseItems, parsePayload, type MapContext, type MapResult } from '../../connectors/mapping.js';
import * as S from '../../connectors/asurso/schemas.js';
import { DUTY_RAW } from './codes.js';
import { columnTitle, homeworkColumnText } from './homework.js';
import { workTypeByCode } from '../../model/work-types.js';
import { dayOf, idFor, instantOf, make, refOf } from './context.js';

const where = (route: string) => ({ platform: 'asurso', route });

export function mapDiary(route: string, payload: unknown, ctx: MapContext): MapResult {
  const d = parsePayload(S.Diary, payload, where(route));
  const out: MapResult = { records: [], quarantine: [] };
  if (!d.weekDays) return out; // holidays: no weekDays at all
  const ref = refOf(ctx);
  const sg = ctx.ids.sg ? (JSON.parse(ctx.ids.sg) as Record<string, string>) : {};
  const student = ctx.ids.studentId;
  const term = ctx.ids.termId;
  if (!student) return { records: [], quarantine: [{ route, field: 'ids.studentId', reason: 'student/diary needs the studentId in the context' }] };
  const studentId = idFor(ctx, 'person', student);
  for (const day of d.weekDays) {
    const lessons = parseItems(S.DiaryLesson, day.lessons, { route, pathPrefix: `weekDays.${day.date.slice(0, 10)}.lessons` });
    out.quarantine.push(...lessons.quarantine);
    for (const l of lessons.ok) {
      const group = sg[l.subjectName];
      const asg = parseItems(S.DiaryAssignment, l.assignments, { route, pathPrefix: `${l.classmeetingId}.assignments` });
      out.quarantine.push(...asg.quarantine);
      if (!asg.ok.some((a) => a.mark)) continue;
      if (!group) { out.quarantine.push({ route, sourceId: String(l.classmeetingId), field: 'subjectName', reason: 'subject group of the lesson unknown (ids.sg)' }); continue; }
      const section = idFor(ctx, 'section', group);
      const date = dayOf(l.day);
      const lid = lessonId(section, date, l.number);
      let n = 0;
      let firstWork: string | undefined;
      for (const a of asg.ok) {
        const m = a.mark;
        const isMark = !!m && (m.mark !== null || !!m.dutyMark);
        // A mark's slot is its place among the pupil's marks on the lesson, counted before any check: a mark set aside
        // below keeps its slot, so the next one does not take its id.
        const slot = isMark ? ++n : 0;
        const code = ref.types[String(a.typeId)];
        if (!code) { out.quarantine.push({ route, sourceId: String(a.id), field: 'typeId', reason: 'assignment type not in ids.ref' }); continue; }
        const wid = workId(lid, code);
        // A homework the child has no mark for is the lesson's homework (the journal read's: homework.ts), no column of marks.
        const column = isMark || homeworkColumnText(a, ref.types) === undefined;
        // Works only when the term is known (ids.termId): the diary does not name its grading period.
        if (term && column) out.records.push(make(ctx, 'work', wid, 'assignment', a.id, {
          sectionId: section, lessonId: lid, workTypeCode: code, title: columnTitle(a.assignmentName, code), assignedDate: date,
          dueDate: a.dueDate ? dayOf(a.dueDate) : undefined, gradingPeriodId: idFor(ctx, 'academic_session', term), scaleId: RU5_SCALE_ID,
        }));
        if (!isMark || !m) continue;
        if (m.mark !== null && (m.mark < 1 || m.mark > ref.maxMark)) {
          out.quarantine.push({ route, sourceId: String(a.id), field: 'mark.mark', rawValue: m.mark, reason: 'mark outside the five-point scale', ruleId: 'R-08' });
          continue;
        }
        if (slot > 2) { out.quarantine.push({ route, sourceId: `${a.id}:${student}`, field: 'mark', reason: 'a third mark of one pupil on one lesson', ruleId: 'R-09' }); continue; }
        if (slot === 1) firstWork = wid;
        const base = m.mark;
        out.records.push(make(ctx, 'mark', markId(studentId, lid, slot), 'result', `${a.id}:${student}`, {
          studentId, workId: wid, lessonId: lid, slot, raw: base === null ? DUTY_RAW : String(base), base, modifier: 'none', numeric: base,
          state: base === null ? 'owed' : 'graded', retakeOfMarkId: slot === 2 && firstWork === wid ? markId(studentId, lid, 1) : undefined,
          // A server whose diary hides weights (`diary/init.weight` false, §1.8): the work type's weight, not 0.
          weightApplied: a.weight ?? workTypeByCode(code)?.weight ?? 0, comment: a.markComment?.name ?? undefined, markDate: date,
          // The diary names neither when nor by whom: the lesson's end and the pupil stand in (ignored in comparisons).
          recordedAt: instantOf(`${date}T${l.endTime ?? '00:00'}`, ctx.timeZone), recordedBy: studentId,
        }));
      }
    }
  }
  return out;
}
