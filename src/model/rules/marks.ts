// Marks (canonical-model.md §B.2, R-07…R-14).
import { studentsEnrolledDuring } from '../enrolled-during.js';
import type { MarkRecord, MarkScaleRecord, SectionRecord, WorkRecord } from '../records.js';
import { DEFAULT_MODIFIER_POLICY, numericOf, weightedAverage } from '../scale.js';
import { workTypeByCode } from '../work-types.js';
import { isLive, type RuleContext, type RuleDeclaration } from './context.js';
import { minMarksFor, type Violation } from './types.js';

const RU5 = /^([1-5])([+-])?$/;

/** Attendance codes that platforms sometimes put into a mark cell: absence is an AttendanceRecord, never a mark. */
export const ATTENDANCE_CODES_IN_MARK_CELL = new Set(['н', 'нб', 'нп', 'б', 'бол', 'оп', 'уп', 'ув']);
const isAttendanceCode = (raw: string) => ATTENDANCE_CODES_IN_MARK_CELL.has(raw.trim().toLowerCase());

/** The scale of a journal page: the section's `scaleCode`, else the work's `scaleId`, else `ru5`. */
export function scaleOf(ctx: RuleContext, work: WorkRecord | undefined): { code: string; scale?: MarkScaleRecord } {
  const section = ctx.get('section', work?.sectionId);
  const byId = ctx.get('mark_scale', work?.scaleId);
  const code = section?.scaleCode ?? byId?.code ?? 'ru5';
  return { code, scale: ctx.index.scalesByCode.get(code) ?? (byId?.code === code ? byId : undefined) };
}

/** Weight in force for a work type at a school: school override, else regional record, else seed 000 §3.7 default. */
export function workTypeWeight(ctx: RuleContext, code: string, organizationId: string | undefined): number | undefined {
  const list = ctx.index.workTypesByCode.get(code) ?? [];
  return (organizationId ? list.find((w) => w.organizationId === organizationId) : undefined)?.weight
    ?? list.find((w) => !w.organizationId)?.weight
    ?? workTypeByCode(code)?.weight;
}

const live = (ctx: RuleContext) => ctx.index.marks.filter(isLive);

export const R07: RuleDeclaration = {
  id: 'R-07', severity: 'block', title: 'Отметка стоит в колонке проведённого урока',
  check(ctx) {
    const out: Violation[] = [];
    for (const m of live(ctx)) {
      const work = ctx.get('work', m.workId);
      const lesson = ctx.get('lesson', work?.lessonId);
      let problem: string | undefined;
      if (!work || !isLive(work)) problem = `отметка ${m.id} ссылается на отсутствующую работу ${m.workId}`;
      else if (!lesson || !isLive(lesson)) problem = `работа ${work.id} отметки ${m.id} ссылается на отсутствующий урок ${work.lessonId}`;
      else if (lesson.lessonStatus !== 'held') problem = `отметка ${m.id} стоит на непроведённом уроке ${lesson.id}`;
      else if (m.lessonId !== work.lessonId) problem = `отметка ${m.id} указывает урок ${m.lessonId}, а её работа — урок ${work.lessonId}`;
      else if (m.markDate !== lesson.date) problem = `дата отметки ${m.id} (${m.markDate}) не совпадает с датой урока ${lesson.date}`;
      if (problem) out.push(ctx.violation('R-07', 'block', m, problem));
    }
    return out;
  },
};

export const R08: RuleDeclaration = {
  id: 'R-08', severity: 'block', title: 'Отметка записана по шкале журнала',
  check(ctx) {
    const out: Violation[] = [];
    for (const m of live(ctx)) {
      if (m.state !== 'graded') {
        if (m.base !== null) out.push(ctx.violation('R-08', 'block', m, `у отметки ${m.id} без балла (${m.state}) указан балл ${m.base}`));
        // Kept (a platform's «осв» is its journal's record), but the regulations forbid it: seed 001 §5.3 «Запись
        // «осв» в журнале не допускается», seed 000 §6.2 — the school corrects it at the source.
        else if (m.state === 'exempt') out.push(ctx.violation('R-08', 'warn', m, `запись «${m.raw}» (освобождён) отметки ${m.id} в журнале не допускается: оценивается теоретическая часть`));
        continue;
      }
      if (isAttendanceCode(m.raw)) continue; // R-14 names the actual problem
      const { code, scale } = scaleOf(ctx, ctx.get('work', m.workId));
      let expected: { base: number; modifier: string } | undefined;
      if (code === 'ru5') {
        const p = RU5.exec(m.raw);
        if (p) expected = { base: Number(p[1]), modifier: p[2] === '+' ? 'plus' : p[2] === '-' ? 'minus' : 'none' };
      } else if (!scale) {
        out.push(ctx.violation('R-08', 'block', m, `для отметки ${m.id} не найдена шкала «${code}»`));
        continue;
      } else {
        expected = scale.values.find((v) => v.raw === m.raw);
      }
      if (!expected) out.push(ctx.violation('R-08', 'block', m, `значение «${m.raw}» отметки ${m.id} не входит в шкалу «${code}»`));
      else if (m.base !== expected.base || m.modifier !== expected.modifier) {
        out.push(ctx.violation('R-08', 'block', m, `балл/знак отметки ${m.id} (${m.base}, ${m.modifier}) не соответствуют записи «${m.raw}»`));
      }
    }
    return out;
  },
};

const bySlot = (a: MarkRecord, b: MarkRecord) => a.slot - b.slot || a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id);

/** R-09 (b): `retakeOfMarkId` points to an earlier, non-deleted mark with base ≤ 2 (carrying an unsatisfactory mark). */
export function isRetake(ctx: RuleContext, m: MarkRecord): boolean {
  const target = ctx.get('mark', m.retakeOfMarkId);
  if (!target || !isLive(target) || target.id === m.id || target.base === null || target.base > 2) return false;
  return target.markDate < m.markDate || (target.markDate === m.markDate && target.recordedAt <= m.recordedAt);
}

export const R09: RuleDeclaration = {
  id: 'R-09', severity: 'block', title: 'Не более двух отметок в клетке; вторая — за другой вид работы или пересдачу',
  check(ctx) {
    const out: Violation[] = [];
    for (const cell of ctx.index.marksByCell.values()) {
      if (cell.length < 2) continue;
      // Two marks in one slot share the natural key (pupil, lesson, slot): in the store the second would replace the
      // first under the same id, so one of them would be lost without a word. Slots are 1 and 2, so this is also
      // where a third mark in a cell is refused.
      const slotHolder = new Map<number, MarkRecord>();
      const sameSlot = new Set<MarkRecord>();
      for (const m of [...cell].sort(bySlot)) {
        const holder = slotHolder.get(m.slot);
        if (holder === undefined) { slotHolder.set(m.slot, m); continue; }
        sameSlot.add(m);
        out.push(ctx.violation('R-09', 'block', m, `отметка ${m.id} ученика ${m.studentId} на уроке ${m.lessonId} занимает место ${m.slot}, уже занятое отметкой ${holder.id}`, { refs: { markId: holder.id } }));
      }
      if (cell.length - sameSlot.size < 2) continue;
      const sorted = [...cell].filter((m) => !sameSlot.has(m)).sort(bySlot);
      const [a, b] = sorted;
      const typeA = ctx.get('work', a.workId)?.workTypeCode;
      const typeB = ctx.get('work', b.workId)?.workTypeCode;
      const differentType = typeA !== undefined && typeB !== undefined && typeA !== typeB;
      if (!differentType && !isRetake(ctx, a) && !isRetake(ctx, b)) {
        out.push(ctx.violation('R-09', 'block', b,
          `вторая отметка ${b.id} ученика ${b.studentId} на уроке ${b.lessonId}: тот же вид работы и не пересдача отметки «2» или ниже`, { refs: { markId: a.id } }));
      }
    }
    return out;
  },
};

export const R10: RuleDeclaration = {
  id: 'R-10', severity: 'block', title: 'В 1 классе отметки не выставляются',
  check(ctx) {
    const out: Violation[] = [];
    for (const m of live(ctx)) {
      if (ctx.homeroomGrade(m.studentId, ctx.sectionOfMark(m)) === 1) {
        out.push(ctx.violation('R-10', 'block', m, `в 1 классе отметки не выставляются (отметка ${m.id}, ученик ${m.studentId})`, { refs: { studentId: m.studentId } }));
      }
    }
    for (const f of ctx.index.finalMarks) {
      if (isLive(f) && ctx.homeroomGrade(f.studentId, f.sectionId) === 1) {
        out.push(ctx.violation('R-10', 'block', f, `в 1 классе итоговые отметки не выставляются (итоговая отметка ${f.id}, ученик ${f.studentId})`, { refs: { studentId: f.studentId } }));
      }
    }
    return out;
  },
};

/** Students enrolled in a section at any time during [from, to]. */
export function studentsDuring(ctx: RuleContext, sectionId: string, from: string, to: string): string[] {
  return studentsEnrolledDuring(ctx.index.studentEnrollmentsBySection.get(sectionId) ?? [], from, to);
}

export const R11: RuleDeclaration = {
  id: 'R-11', severity: 'warn', title: 'Достаточно отметок за четверть',
  check(ctx) {
    const out: Violation[] = [];
    for (const section of ctx.index.sections) {
      if (!isLive(section) || section.weeklyHours <= 0 || ctx.homeroomOfSection(section.id)?.gradeLevel === 1) continue;
      const need = minMarksFor(section.weeklyHours, ctx.options.minMarks);
      const today = ctx.today(ctx.orgOfSection(section.id));
      for (const q of ctx.quartersOfSection(section)) {
        if (q.endDate >= today) continue; // judged once the quarter is over; R-21 checks finals at any time
        for (const studentId of studentsDuring(ctx, section.id, q.startDate, q.endDate)) {
          const have = ctx.gradedCount(studentId, section.id, q.startDate, q.endDate);
          if (have < need) out.push(r11Violation(ctx, section, studentId, q.id, have, need));
        }
      }
    }
    return out;
  },
};

function r11Violation(ctx: RuleContext, section: SectionRecord, studentId: string, periodId: string, have: number, need: number): Violation {
  return ctx.violation('R-11', 'warn', section,
    `у ученика ${studentId} в журнале ${section.id} за четверть ${periodId} отметок ${have}, нужно не менее ${need} (недельная нагрузка ${section.weeklyHours} ч)`,
    { refs: { studentId, periodId } });
}

export const R12: RuleDeclaration = {
  id: 'R-12', severity: 'block', title: 'Вес отметки равен весу вида работы',
  check(ctx) {
    const out: Violation[] = [];
    for (const m of live(ctx)) {
      const work = ctx.get('work', m.workId);
      if (!work) continue;
      const expected = work.weightOverride ?? workTypeWeight(ctx, work.workTypeCode, ctx.orgOfSection(work.sectionId));
      if (expected === undefined) {
        out.push(ctx.violation('R-12', 'block', m, `вид работы «${work.workTypeCode}» отметки ${m.id} неизвестен, вес не определён`));
      } else if (m.weightApplied !== expected && !(m.state !== 'graded' && m.weightApplied === 0)) {
        out.push(ctx.violation('R-12', 'block', m, `вес отметки ${m.id} равен ${m.weightApplied}, а для вида работы «${work.workTypeCode}» действует вес ${expected}`));
      }
    }
    return out;
  },
};

/** The numeric value a mark must carry under its scale's recorded policy; null for «точка»/освобождение. */
export function expectedNumeric(ctx: RuleContext, m: MarkRecord): number | null | undefined {
  if (m.state !== 'graded') return null;
  if (m.base === null) return undefined;
  const { code, scale } = scaleOf(ctx, ctx.get('work', m.workId));
  if (code === 'ru5') return numericOf(m.base, m.modifier, scale?.modifierPolicy ?? DEFAULT_MODIFIER_POLICY);
  return scale?.values.find((v) => v.raw === m.raw)?.numeric;
}

export const R13: RuleDeclaration = {
  id: 'R-13', severity: 'warn', title: 'Числовое значение отметки по политике шкалы (средневзвешенный балл)',
  check(ctx) {
    const out: Violation[] = [];
    for (const m of live(ctx)) {
      const expected = expectedNumeric(ctx, m);
      if (expected === undefined) continue; // R-08 reports the unparsable mark
      const ok = expected === null ? m.numeric === null : m.numeric !== null && Math.abs(m.numeric - expected) < 1e-9;
      if (!ok) {
        out.push(ctx.violation('R-13', 'warn', m, expected === null
          ? `отметка ${m.id} без балла (${m.state}) не должна входить в средний балл`
          : `числовое значение отметки ${m.id} (${m.numeric}) не соответствует политике шкалы (${expected})`));
      }
    }
    return out;
  },
};

/** weighted average of a student on a journal page over [from, to]; null when nothing is graded. */
export function weightedAverageFor(ctx: RuleContext, studentId: string, sectionId: string, from: string, to: string): number | null {
  const marks: MarkRecord[] = [];
  for (const m of ctx.index.marks) {
    if (m.studentId === studentId && m.markDate >= from && m.markDate <= to && ctx.sectionOfMark(m) === sectionId) marks.push(m);
  }
  return weightedAverage(marks);
}

export const R14: RuleDeclaration = {
  id: 'R-14', severity: 'block', title: 'Пропуск ведётся отдельно от отметки',
  check(ctx) {
    const out: Violation[] = [];
    for (const m of live(ctx)) {
      if (isAttendanceCode(m.raw)) {
        out.push(ctx.violation('R-14', 'block', m,
          `в клетке отметки ${m.id} записан код посещаемости «${m.raw}»; пропуск ведётся отдельной записью посещаемости и не занимает клетку отметки`));
      }
    }
    return out;
  },
};

export const MARK_RULES = [R07, R08, R09, R10, R11, R12, R13, R14];
