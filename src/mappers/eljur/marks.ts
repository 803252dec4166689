// `getmarks` → marks, their works and attendance (platforms.md §4.3, §4.5). Per pupil, per subject
// (`lessons[]`), a `marks[]` array that mixes marks and absences (`н`, `оп` … with `count:false`). Numbers
// and ids may be strings, `weight` sits beside `weight_float`, the work type is `mtype{id, short, type}`,
// `average` is a string (a derived value: not stored). The lesson is found through the crosswalk by
// `marks[].lesson_id` [U] (src/mappers/eljur/codes.ts), so the lessons must be mapped first.
import * as z from 'zod';
import { attendanceId, markId } from '../../model/ids.js';
import { numericOf, parseRu5 } from '../../model/scale.js';
import { RU5_SCALE_ID } from '../../model/ru5.js';
import { WORK_TYPES, workTypeByName } from '../../model/work-types.js';
import type { CanonicalRecord } from '../../model/records.js';
import { holding, parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import { cellHoldOf } from '../kit/cell-hold.js';
import * as S from '../../connectors/eljur/schemas.js';
import { absenceOf, compactDate, markStateOf, sectionKey, slotOf } from './codes.js';
import { idFor, jsonId, make, resultOf, type PeriodRow, type SubgroupMap } from './context.js';
import { dayStart } from './lessons.js';
import { workIdOf } from '../kit/work-ids.js';

type MarkEntry = z.infer<typeof S.MarkEntry>;

const Students = z.object({ students: S.dict(z.object({ lessons: S.list(z.unknown()) })) });

/** mtype id → its name, short code and work type: a school has a few dozen, and every mark names one. */
const workTypeCache = new Map<string, { type: string | undefined; short: string | undefined; code: string | undefined }>();
/** The work type of `mtype`: by its name (`type`), else by its short code (memoised by the mtype's id). */
function workTypeOf(m: z.infer<typeof S.MarkEntry>): string | undefined {
  const t = m.mtype;
  if (!t || typeof t !== 'object') return undefined;
  const key = t.id ?? '';
  const hit = workTypeCache.get(key);
  // The same id with another name or code (another installation's numbering) is looked up afresh.
  if (hit && hit.type === t.type && hit.short === t.short) return hit.code;
  if (workTypeCache.size > 1000) workTypeCache.clear();
  const code = (t.type ? workTypeByName(t.type)?.code : undefined) ?? (t.short ? WORK_TYPES.find((w) => w.code === t.short)?.code : undefined);
  workTypeCache.set(key, { type: t.type, short: t.short, code });
  return code;
}

const leadLessonId = (m: unknown) => String((m as { lesson_id?: unknown })?.lesson_id ?? '');

/**
 * The shortest period of `ids.periods` that contains `date` (the grading period of a work). Never holidays: they are
 * no session (periods.ts), and a mark dated in them (a retake) belongs to the term or year around them — or, where
 * no «Год» is listed and the holidays lie between two terms, to the term that ended last before them.
 */
function gradingPeriodOf(periods: PeriodRow[], date: string): string | undefined {
  const d = compactDate(date);
  const terms = periods.filter((p) => p[1] !== 'holiday');
  let best: PeriodRow | undefined;
  for (const p of terms) {
    if (p[2] <= d && d <= p[3] && (!best || Number(p[3]) - Number(p[2]) < Number(best[3]) - Number(best[2]))) best = p;
  }
  if (best || !periods.some((p) => p[1] === 'holiday' && p[2] <= d && d <= p[3])) return best?.[0];
  for (const p of terms) if (p[3] < d && (!best || p[3] > best[3])) best = p;
  return best?.[0];
}

export function mapMarks(route: string, payload: unknown, ctx: MapContext): MapResult {
  const result = parsePayload(Students, resultOf(route, payload, ctx.format), { platform: 'eljur', route: `${route} result` });
  const cls = ctx.ids.class;
  const periods = jsonId<PeriodRow[]>(ctx, 'periods', []);
  const grp = jsonId<SubgroupMap>(ctx, 'grp', {});
  const records: CanonicalRecord[] = [];
  const quarantine: QuarantineItem[] = [];
  const works = new Set<string>();
  const taken = new Set<string>(); // pupil:lesson:slot of the marks mapped so far
  // One closure per page, not one per mark: tsx (esbuild keepNames) wraps each closure it creates in a __name call.
  // The line names the mark's cell: journal deletes leave it alone and judge the rest (sync/partial-read.ts).
  const q = (pupil: string, m: MarkEntry, field: keyof MarkEntry & string, reason: string, ruleId?: string) =>
    void quarantine.push({ route, sourceId: `${pupil}:${m.lesson_id}`, field, rawValue: m[field], reason, ruleId, holds: cellHoldOf(ctx, pupil, m.lesson_id) });
  for (const [pupil, entry] of Object.entries(result.students)) {
    const studentId = idFor(ctx, 'person', pupil);
    // A subject that could not be read hides the pupil's marks and absences at most; a mark, its cell.
    const subjects = parseItems(S.SubjectMarks, entry.lessons, { route, pathPrefix: `students.${pupil}.lessons` });
    quarantine.push(...holding(subjects.quarantine, { studentId }));
    for (const subj of subjects.ok) {
      const parsed = parseItems(S.MarkEntry, subj.marks, { route, pathPrefix: `students.${pupil}.${subj.name}.marks`, idOf: leadLessonId, holdsOf: (r, failed) => cellHoldOf(ctx, pupil, failed.has('lesson_id') ? undefined : (r as { lesson_id?: unknown } | null)?.lesson_id) });
      quarantine.push(...parsed.quarantine);
      // The first mark's work type per lesson, needed only where a subject has a second mark (a rare retake).
      let typeOfSlot1: Map<string, string | undefined> | undefined;
      if (parsed.ok.some((m) => slotOf(m.nm) === 2)) {
        typeOfSlot1 = new Map();
        for (const m of parsed.ok) if (slotOf(m.nm) === 1 && !absenceOf(m.value)) typeOfSlot1.set(m.lesson_id, workTypeOf(m));
      }
      for (const m of parsed.ok) {
        const lid = idFor(ctx, 'lesson', m.lesson_id);
        // A five-point mark is the common case and is never an absence code: only what does not parse is looked up.
        const parsedMark = parseRu5(m.value);
        const absence = parsedMark ? undefined : absenceOf(m.value);
        if (absence) {
          records.push(make(ctx, 'attendance_record', attendanceId(studentId, lid), 'attendance', `${m.lesson_id}:${pupil}`, {
            studentId, lessonId: lid, ...absence, rawCode: m.value, recordedAt: dayStart(m.date, ctx.timeZone), recordedBy: studentId,
          }));
          continue;
        }
        const special = parsedMark ? undefined : markStateOf(m.value);
        if (!special && !parsedMark) { q(pupil, m, 'value', 'not a five-point mark, «точка», «осв» or a known absence code', 'R-08'); continue; }
        const code = workTypeOf(m);
        if (!code) { q(pupil, m, 'mtype', 'work type (mtype) not among the 25 of the weighted-mark system'); continue; }
        const slot = slotOf(m.nm);
        if (slot === 0) { q(pupil, m, 'nm', 'a third mark of one pupil in one lesson (R-09 allows two)', 'R-09'); continue; }
        // Two marks given the same place (nm) would share one canonical id: the second would replace the first unseen.
        const cell = `${pupil}:${m.lesson_id}:${slot}`;
        if (taken.has(cell)) { q(pupil, m, 'nm', `a second mark with the same place (nm ${m.nm ?? 1}) in one lesson`, 'R-09'); continue; }
        taken.add(cell);
        const wid = workIdOf(lid, code);
        if (!works.has(wid)) {
          const period = gradingPeriodOf(periods, m.date);
          if (!cls || !period) { q(pupil, m, 'date', !cls ? 'ids.class is required for the work of a mark' : 'no period of ids.periods contains the mark date'); continue; }
          works.add(wid);
          records.push(make(ctx, 'work', wid, 'work', `${m.lesson_id}:${code}`, {
            sectionId: idFor(ctx, 'section', sectionKey(cls, subj.name, grp[pupil]?.[subj.name])), lessonId: lid, workTypeCode: code,
            title: WORK_TYPES.find((w) => w.code === code)!.nameRu, assignedDate: m.date, gradingPeriodId: idFor(ctx, 'academic_session', period), scaleId: RU5_SCALE_ID,
          }));
        }
        const weight = m.weight_float ?? m.weight ?? 0;
        records.push(make(ctx, 'mark', markId(studentId, lid, slot), 'mark', cell, {
          studentId, workId: wid, lessonId: lid, slot, raw: m.value, base: parsedMark?.base ?? null, modifier: parsedMark?.modifier ?? 'none',
          numeric: parsedMark ? numericOf(parsedMark.base, parsedMark.modifier) : null, state: special ?? 'graded',
          // a second mark of the same work type in one lesson is a retake of the first.
          retakeOfMarkId: slot === 2 && typeOfSlot1?.get(m.lesson_id) === code ? markId(studentId, lid, 1) : undefined,
          weightApplied: Math.round(weight), comment: m.comment, markDate: m.date,
          recordedAt: dayStart(m.date, ctx.timeZone), recordedBy: studentId,
        }));
      }
    }
  }
  return { records, quarantine };
}
