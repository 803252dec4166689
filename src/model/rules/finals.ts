// Final marks (canonical-model.md §B.4, R-18…R-21).
import type { FinalMarkRecord } from '../records.js';
import { RU5_FINAL_WHITELIST } from '../scale.js';
import { isLive, type RuleContext, type RuleDeclaration } from './context.js';
import { minMarksFor, type Violation } from './types.js';
import { GRADING_PERIOD_KINDS } from '../final-kinds.js';

/** Whitelist in force: options, else the section's scale, else `1`…`5`. */
export function finalWhitelistFor(ctx: RuleContext, f: FinalMarkRecord): readonly string[] {
  if (ctx.options.finalWhitelist) return ctx.options.finalWhitelist;
  const code = ctx.get('section', f.sectionId)?.scaleCode ?? 'ru5';
  return ctx.index.scalesByCode.get(code)?.finalWhitelist ?? RU5_FINAL_WHITELIST;
}

const live = (ctx: RuleContext) => ctx.index.finalMarks.filter(isLive);

/** The score a final mark's `raw` stands for under its section's scale; undefined when the scale does not say. */
function finalBaseOf(ctx: RuleContext, f: FinalMarkRecord): number | null | undefined {
  const code = ctx.get('section', f.sectionId)?.scaleCode ?? 'ru5';
  if (code === 'ru5') return /^[1-5]$/.test(f.raw) ? Number(f.raw) : undefined;
  return ctx.index.scalesByCode.get(code)?.values.find((v) => v.raw === f.raw)?.base;
}

export const R18: RuleDeclaration = {
  id: 'R-18', severity: 'block', title: 'Итоговая отметка из разрешённого списка',
  check(ctx) {
    const out: Violation[] = [];
    for (const f of live(ctx)) {
      const list = finalWhitelistFor(ctx, f);
      if (!list.includes(f.raw)) {
        out.push(ctx.violation('R-18', 'block', f, `итоговая отметка «${f.raw}» (${f.id}) не допускается; разрешены: ${list.join(', ')}`));
        continue;
      }
      // As R-08 for current marks: the score must be the record's (a «5» counted as a fail contradicts the report).
      const base = finalBaseOf(ctx, f);
      if (base !== undefined && f.base !== base) {
        out.push(ctx.violation('R-18', 'block', f, `балл итоговой отметки ${f.id} (${f.base}) не соответствует записи «${f.raw}»`));
      }
    }
    return out;
  },
};

export const R19: RuleDeclaration = {
  id: 'R-19', severity: 'block', title: 'Одна итоговая отметка на ученика, журнал, вид и период',
  check(ctx) {
    const out: Violation[] = [];
    const first = new Map<string, string>();
    for (const f of live(ctx)) {
      const key = `${f.studentId}|${f.sectionId}|${f.kind}|${f.periodId}`;
      const prev = first.get(key);
      if (prev === undefined) first.set(key, f.id);
      else out.push(ctx.violation('R-19', 'block', f, `итоговая отметка ${f.id} повторяет ${prev}: тот же ученик, журнал, вид и период`, { refs: { finalMarkId: prev } }));
    }
    return out;
  },
};

const PERIOD_KINDS: Record<FinalMarkRecord['kind'], readonly string[]> = {
  // A grading-period mark closes a quarter, a trimester or a module (final-kinds.ts).
  quarter: GRADING_PERIOD_KINDS,
  half_year: ['half_year'],
  year: ['school_year', 'exam_period'],
  final: ['school_year', 'exam_period'],
  exam: ['school_year', 'exam_period'],
};

export const R20: RuleDeclaration = {
  id: 'R-20', severity: 'block', title: 'Вид итоговой отметки соответствует периоду',
  check(ctx) {
    const out: Violation[] = [];
    for (const f of live(ctx)) {
      const period = ctx.get('academic_session', f.periodId);
      if (!period) out.push(ctx.violation('R-20', 'block', f, `итоговая отметка ${f.id} ссылается на отсутствующий учебный период ${f.periodId}`));
      else if (!PERIOD_KINDS[f.kind].includes(period.kind)) {
        out.push(ctx.violation('R-20', 'block', f, `итоговая отметка ${f.id} вида «${f.kind}» выставлена за период ${period.id} вида «${period.kind}»`, { refs: { periodId: period.id } }));
      }
    }
    return out;
  },
};

export const R21: RuleDeclaration = {
  id: 'R-21', severity: 'warn', title: 'Четвертная отметка выставлена при достаточном числе отметок',
  check(ctx) {
    const out: Violation[] = [];
    for (const f of live(ctx)) {
      if (f.kind !== 'quarter') continue;
      const period = ctx.get('academic_session', f.periodId);
      const section = ctx.get('section', f.sectionId);
      if (!period || period.kind !== 'quarter' || !section) continue; // R-20 reports the period
      const need = minMarksFor(section.weeklyHours, ctx.options.minMarks);
      const have = ctx.gradedCount(f.studentId, f.sectionId, period.startDate, period.endDate);
      if (have < need) {
        out.push(ctx.violation('R-21', 'warn', f,
          `четвертная отметка ${f.id} выставлена при ${have} отметках за четверть, нужно не менее ${need} (ученик ${f.studentId})`, { refs: { studentId: f.studentId, periodId: f.periodId } }));
      }
    }
    return out;
  },
};

export const FINAL_RULES = [R18, R19, R20, R21];
