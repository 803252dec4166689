// Lesson columns (canonical-model.md §B.1, R-01…R-06).
import type { LessonRecord } from '../records.js';
import { isLive, pairKey, type RuleContext, type RuleDeclaration, severityOf } from './context.js';
import type { Violation } from './types.js';

const TEACHER_ROLES = ['subject_teacher', 'class_teacher'] as const;

const held = (l: LessonRecord) => isLive(l) && l.lessonStatus === 'held';

export const R01: RuleDeclaration = {
  id: 'R-01', severity: 'block', inboundSeverity: 'quarantine', title: 'У проведённого урока записана тема',
  check(ctx) {
    const out: Violation[] = [];
    const sev = severityOf(R01, ctx);
    for (const l of ctx.index.lessons) {
      if (held(l) && !(l.topic ?? '').trim()) out.push(ctx.violation('R-01', sev, l, `у проведённого урока ${l.id} (${l.date}, урок ${l.lessonNumber}) не записана тема`));
    }
    return out;
  },
};

/** Share of Latin letters among all letters; null when the text has no letters. */
export function latinShare(text: string): { cyrillic: number; latin: number; share: number | null } {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  return { cyrillic, latin, share: letters ? latin / letters : null };
}

export const R02: RuleDeclaration = {
  id: 'R-02', severity: 'warn', title: 'Тема урока записана на русском языке',
  check(ctx) {
    const out: Violation[] = [];
    const max = ctx.options.maxLatinShare;
    for (const l of ctx.index.lessons) {
      const topic = (l.topic ?? '').trim();
      if (!isLive(l) || !topic) continue;
      const { cyrillic, share } = latinShare(topic);
      if (cyrillic === 0) out.push(ctx.violation('R-02', 'warn', l, `тема урока ${l.id} не содержит русских букв`));
      else if (share !== null && share > max) {
        out.push(ctx.violation('R-02', 'warn', l, `в теме урока ${l.id} латинских букв ${Math.round(share * 100)}% (допустимо не более ${Math.round(max * 100)}%)`));
      }
    }
    return out;
  },
};

/** How homework is exported (seed 000 §3.9): the text, or «Не задано» when nothing was assigned. */
export function renderHomework(h: LessonRecord['homework']): string | null {
  if (!h) return null;
  const text = (h.text ?? '').trim();
  if (text) return text;
  return h.notAssigned ? 'Не задано' : null;
}

export const R03: RuleDeclaration = {
  id: 'R-03', severity: 'block', inboundSeverity: 'warn', title: 'Домашнее задание записано или отмечено «Не задано»',
  check(ctx) {
    const out: Violation[] = [];
    const sev = severityOf(R03, ctx);
    for (const l of ctx.index.lessons) {
      if (!held(l)) continue;
      // 1st grade: no homework is set in the journal (seed 001 §3.7 «оценки, домашнее задание … не ставятся»).
      if (ctx.homeroomOfSection(l.sectionId)?.gradeLevel === 1) continue;
      const hasText = !!(l.homework?.text ?? '').trim();
      const notAssigned = l.homework?.notAssigned === true;
      if (hasText && notAssigned) out.push(ctx.violation('R-03', sev, l, `у урока ${l.id} одновременно записано домашнее задание и отметка «Не задано»`));
      else if (!hasText && !notAssigned) out.push(ctx.violation('R-03', sev, l, `у урока ${l.id} (${l.date}) не записано домашнее задание и не отмечено «Не задано»`));
    }
    return out;
  },
};

export const R04: RuleDeclaration = {
  id: 'R-04', severity: 'block', title: 'Замещающий учитель — другой действующий учитель школы',
  check(ctx) {
    const out: Violation[] = [];
    for (const l of ctx.index.lessons) {
      const sub = l.substituteTeacherId;
      if (!isLive(l) || !sub) continue;
      if (sub === l.scheduledTeacherId) {
        out.push(ctx.violation('R-04', 'block', l, `у урока ${l.id} замещающий учитель совпадает с учителем по расписанию`, { refs: { teacherId: sub } }));
        continue;
      }
      const org = ctx.orgOfSection(l.sectionId);
      if (!ctx.hasRoleOn(sub, TEACHER_ROLES, l.date, org)) {
        out.push(ctx.violation('R-04', 'block', l,
          `замещающий учитель ${sub} урока ${l.id} не имеет действующей роли учителя в этой школе на ${l.date}`, { refs: { teacherId: sub } }));
      }
    }
    return out;
  },
};

/** Subgroup flag of an enrollment: the model has no column for it, mappers put it in `ext.subgroup`. */
export function enrollmentSubgroup(e: { ext?: Record<string, unknown> }): string | undefined {
  const v = e.ext?.subgroup;
  return typeof v === 'string' ? v : undefined;
}

export const R05: RuleDeclaration = {
  id: 'R-05', severity: 'block', title: 'Урок подгруппы относится к журналу этой подгруппы',
  check(ctx) {
    const out: Violation[] = [];
    const flagged = new Map<string, boolean>();
    const hasFlagged = (sectionId: string, subgroup: string) => {
      const key = pairKey(sectionId, subgroup);
      let v = flagged.get(key);
      if (v === undefined) {
        v = (ctx.index.studentEnrollmentsBySection.get(sectionId) ?? []).some((e) => enrollmentSubgroup(e) === subgroup);
        flagged.set(key, v);
      }
      return v;
    };
    for (const l of ctx.index.lessons) {
      if (!isLive(l) || !l.subgroup) continue;
      const section = ctx.get('section', l.sectionId);
      if (!section) {
        out.push(ctx.violation('R-05', 'block', l, `урок ${l.id} подгруппы «${l.subgroup}» ссылается на неизвестный журнал ${l.sectionId}`));
      } else if (section.subgroup) {
        if (section.subgroup !== l.subgroup) {
          out.push(ctx.violation('R-05', 'block', l, `урок ${l.id} подгруппы «${l.subgroup}» записан в журнал подгруппы «${section.subgroup}»`));
        }
      } else if (!hasFlagged(section.id, l.subgroup)) {
        out.push(ctx.violation('R-05', 'block', l, `урок ${l.id} подгруппы «${l.subgroup}»: в журнале класса ${section.id} нет учеников этой подгруппы`));
      }
    }
    return out;
  },
};

export const R06: RuleDeclaration = {
  id: 'R-06', severity: 'block', title: 'Один урок на (журнал, дата, номер урока)',
  check(ctx) {
    const out: Violation[] = [];
    const first = new Map<string, string>();
    for (const l of ctx.index.lessons) {
      if (!isLive(l)) continue;
      const key = `${l.sectionId}|${l.date}|${l.lessonNumber}`;
      const prev = first.get(key);
      if (prev === undefined) first.set(key, l.id);
      else out.push(ctx.violation('R-06', 'block', l, `урок ${l.id} повторяет урок ${prev}: тот же журнал, дата ${l.date} и номер урока ${l.lessonNumber}`, { refs: { lessonId: prev } }));
    }
    return out;
  },
};

export const LESSON_RULES = [R01, R02, R03, R04, R05, R06];
