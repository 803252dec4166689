// The journal of one school, simulated day by day from the roster plan: lessons (topics, homework,
// cancellations, substitutes), works and marks, attendance, and the period/year final marks.
//
// The simulation is a pure function of the plan and the seed: every class-day draws from its own
// forked stream, so it can be replayed once per entity and the records stream out in dependency
// order (all lessons, then all works, then all marks…) without holding the journal in memory.
import { addDays } from '../../model/dates.js';
import { attendanceId, finalMarkId, lessonId as lessonIdOf, markId as markIdOf, workId as workIdOf } from '../../model/ids.js';
import type { CanonicalRecord, MarkRecord } from '../../model/records.js';
import { RU5_SCALE_ID } from '../../model/ru5.js';
import { numericOf } from '../../model/scale.js';
import { workTypeByCode } from '../../model/work-types.js';
import { BELLS, type SchoolCalendar, type StudyDay } from './calendar.js';
import { CORE_SUBJECTS } from './curriculum.js';
import type { RecordFactory } from './factory.js';
import type { SchoolPlan, SectionPlan } from './plan.js';
import type { Rng } from './rng.js';

export type JournalEntity = 'lesson' | 'work' | 'mark' | 'attendance_record' | 'final_mark';

export interface LockPlan {
  lockedThrough: string;
  createdAt: string;
  /** The late edit the unlock order covers. */
  order: { sectionIdx: number; pupilIdx: number; from: string; to: string; orderDate: string; validUntil: string; editAt: string } | null;
}

export interface JournalContext {
  plan: SchoolPlan;
  calendar: SchoolCalendar;
  /** Generated study days (a prefix of calendar.days). */
  days: StudyDay[];
  rng: Rng;
  factory: RecordFactory;
  /** Local wall-clock → epoch ms in the school's zone. */
  localMs: (date: string, time: string) => number;
  lock: LockPlan;
  emptyJournal: boolean;
}

/** Day status of a pupil: 0 present, 1 ill (Б), 2 excused (УП), 3 unexcused (НП) for the whole day. */
export function absencePlan(plan: SchoolPlan, days: readonly StudyDay[], rng: Rng): Uint8Array[] {
  return plan.pupils.map((p) => {
    const r = rng.fork(`absence/${p.idx}`);
    const out = new Uint8Array(days.length);
    const frailty = 0.6 + r.next() * 0.9;
    for (let i = 0; i < days.length; i++) {
      if (out[i]) continue;
      const month = Number(days[i].date.slice(5, 7));
      const flu = month >= 11 || month <= 2 ? 1.6 : 1;
      const x = r.next();
      if (x < 0.011 * frailty * flu) {
        const len = r.int(3, 8);
        for (let j = i; j < Math.min(days.length, i + len); j++) out[j] = 1;
      } else if (x < 0.011 * frailty * flu + 0.004) {
        const len = r.int(1, 2);
        for (let j = i; j < Math.min(days.length, i + len); j++) out[j] = 2;
      } else if (x < 0.011 * frailty * flu + 0.005) {
        out[i] = 3;
      }
    }
    return out;
  });
}

const DAY_CODES = ['', 'Б', 'УП', 'НП'] as const;

interface AttendanceSim { pos: number; code: 'н' | 'ОТ' | 'ОП' | 'УП' | 'НП' | 'Б'; minutesLate?: number }

interface MarkSim {
  pupil: number;
  slot: 1 | 2;
  raw: string;
  base: number | null;
  modifier: 'none' | 'plus' | 'minus';
  state: 'graded' | 'owed';
  recordedMs: number;
  retakeOf?: boolean;
  comment?: string;
}

interface WorkSim { type: string; title: string; marks: MarkSim[] }

interface SectionState {
  k: number;
  pos: Map<number, number>;
  /** Graded marks per quarter: counts[q * n + pos]. */
  counts: Int16Array;
  /** Σ numeric × weight and Σ weight per period (q0..q3, h0, h1): [period * n + pos]. */
  sums: Float64Array;
  weights: Float64Array;
}

const ATT_KIND: Record<AttendanceSim['code'], { kind: 'absent' | 'late'; reason: 'excused' | 'unexcused' | 'illness' | 'unknown' }> = {
  н: { kind: 'absent', reason: 'unknown' },
  ОТ: { kind: 'absent', reason: 'unexcused' },
  ОП: { kind: 'late', reason: 'unknown' },
  УП: { kind: 'absent', reason: 'excused' },
  НП: { kind: 'absent', reason: 'unexcused' },
  Б: { kind: 'absent', reason: 'illness' },
};

const DIFFICULTY: Record<string, number> = {
  oral_answer: 0.15, homework: 0.2, test: -0.3, admin_test: -0.35, diagnostic_test: -0.4, exam_style_test: -0.45,
  dictation: -0.3, composition: -0.2, credit_test: -0.2, creative_task: 0.35, norms: 0.1, project: 0.3,
};

const minMarks = (weeklyHours: number) => (weeklyHours <= 2 ? 3 : 4);

function fill(template: string, r: Rng): string {
  return template.replace(/#/g, () => String(r.int(1, 320))).replace(/\$/g, () => String(r.int(4, 230)));
}

function workTitle(type: string, theme: string): string {
  const name = (workTypeByCode(type)?.nameRu ?? type).replace(/^ЗТУ /, '');
  return type === 'oral_answer' || type === 'homework' || type === 'camp_or_hospital_mark' ? name : `${name}: ${theme}`;
}

/** The whole-class work of the k-th lesson of a section, if any (no randomness: a teacher's plan). */
function wholeClassWork(sec: SectionPlan, grade: number, k: number): string | null {
  const subj = sec.subject;
  const h = sec.weeklyHours;
  if (CORE_SUBJECTS.has(subj.code)) {
    if (k === 2) return 'diagnostic_test';
    if (k === h * 22) return 'admin_test';
  }
  if ((grade === 9 || grade === 11) && (subj.code === 'rus' || subj.code === 'alg') && k % 15 === 12) return 'exam_style_test';
  if (subj.code === 'rus' && grade <= 4 && k % 25 === 17) return 'control_copying';
  const c = h >= 4 ? 10 : h === 3 ? 9 : h === 2 ? 7 : 5;
  const cycle = Math.floor(k / c);
  if (k % c === c - 1) return subj.control[cycle % subj.control.length];
  if (k % c === Math.floor(c / 2) - 1 || (h === 1 && k % c === 1)) return subj.current[cycle % subj.current.length];
  return null;
}

/**
 * Replays the journal of one school and yields the records of `want`. Every call makes the same random
 * decisions, so calling it once per entity gives consistent lessons, works, marks, attendance and finals.
 */
export function* simulateJournal(ctx: JournalContext, want: JournalEntity): Generator<CanonicalRecord> {
  const { plan, days, factory, lock } = ctx;
  const allDays = ctx.calendar.days;
  const absence = absencePlan(plan, days, ctx.rng);
  const lastDate = days.length ? days[days.length - 1].date : ctx.calendar.year.startDate;
  const iso = (ms: number) => new Date(ms).toISOString();

  // Remaining generated days after day i within the same quarter, per weekday.
  const remaining = new Int16Array(days.length * 5);
  for (let i = days.length - 2; i >= 0; i--) {
    if (days[i + 1].quarter !== days[i].quarter) continue;
    for (let w = 0; w < 5; w++) remaining[i * 5 + w] = remaining[(i + 1) * 5 + w];
    remaining[i * 5 + days[i + 1].weekday - 1]++;
  }

  const states: SectionState[] = plan.sections.map((s) => {
    const n = s.pupils.length;
    return {
      k: 0, pos: new Map(s.pupils.map((p, i) => [p, i])),
      counts: new Int16Array(4 * n), sums: new Float64Array(6 * n), weights: new Float64Array(6 * n),
    };
  });
  const bySpecialty = new Map<string, number[]>();
  for (const t of plan.teachers) {
    const list = bySpecialty.get(t.specialty) ?? [];
    list.push(t.idx);
    bySpecialty.set(t.specialty, list);
  }
  const order = lock.order;
  const lockedThroughMs = ctx.localMs(lock.lockedThrough, '23:59');
  const lastMs = ctx.localMs(lastDate, '20:00');

  for (let di = 0; di < days.length; di++) {
    const day = days[di];
    const date = day.date;
    for (const cls of plan.classes) {
      if (cls.grade === 1 && day.grade1Holiday) continue;
      const units = cls.days[day.weekday - 1];
      if (!units?.length) continue;
      const r = ctx.rng.fork(`day/${cls.idx}/${date}`);
      for (let posU = 0; posU < units.length; posU++) {
        const unit = cls.units[units[posU]];
        const lessonNumber = posU + 1;
        const bell = BELLS[lessonNumber] ?? BELLS[8];
        const startMs = ctx.localMs(date, bell.start);
        const endMs = ctx.localMs(date, bell.end);
        for (const s of unit.sections) {
          const sec = plan.sections[s];
          const st = states[s];
          const subj = sec.subject;
          const k = st.k++;
          const cancelled = r.chance(0.008);
          let substitute = -1;
          if (r.chance(0.02)) {
            const same = (bySpecialty.get(plan.teachers[sec.teacher].specialty) ?? []).filter((t) => t !== sec.teacher);
            const pool = same.length ? same : plan.teachers.map((t) => t.idx).filter((t) => t !== sec.teacher);
            if (pool.length) substitute = r.pick(pool);
          }
          const teacherIdx = substitute >= 0 ? substitute : sec.teacher;
          const teacherId = plan.teachers[teacherIdx].id;
          const main = cls.grade >= 2 ? wholeClassWork(sec, cls.grade, k) : null;
          const themes = subj.topics;
          const theme = themes[Math.floor(k / 3) % themes.length];
          let topic: string;
          if (main && ['test', 'admin_test', 'diagnostic_test', 'thematic_work', 'credit_test', 'exam_style_test'].includes(main)) {
            topic = `${workTitle(main, theme).split(':')[0]} по теме «${theme}»`;
          } else if (main) topic = `${theme}. ${workTitle(main, theme).split(':')[0]}`;
          else topic = k % 3 === 0 ? theme : k % 3 === 1 ? `${theme}. Закрепление` : `${theme}. Решение задач и упражнений`;
          const notAssigned = cls.grade === 1 || !subj.homework.length || r.chance(0.07);
          const hwText = notAssigned ? undefined : fill(r.pick(subj.homework), r);
          const lessonRecordedMs = endMs + r.int(2, 150) * 60_000;
          let lessonIdCache = '';
          const lid = () => (lessonIdCache ||= lessonIdOf(sec.id, date, lessonNumber));

          if (want === 'lesson') {
            let dueDate: string | undefined;
            if (!cancelled) {
              for (let j = di + 1; j < allDays.length && j < di + 15; j++) {
                const d = allDays[j];
                if (sec.perWeekday[d.weekday - 1] > 0 && !(cls.grade === 1 && d.grade1Holiday)) { dueDate = d.date; break; }
              }
            }
            const business: Record<string, unknown> = {
              sectionId: sec.id, date, lessonNumber, startTime: bell.start, endTime: bell.end,
              scheduledTeacherId: plan.teachers[sec.teacher].id,
              lessonStatus: cancelled ? 'cancelled' : 'held',
              recordedAt: iso(cancelled ? startMs - 86_400_000 : lessonRecordedMs),
              recordedBy: cancelled ? plan.staff[1].id : teacherId,
            };
            if (!cancelled) {
              business.topic = topic;
              business.homework = notAssigned
                ? { notAssigned: true, attachments: [] }
                : { text: hwText, notAssigned: false, ...(dueDate ? { dueDate } : {}), attachments: [] };
              if (substitute >= 0) business.substituteTeacherId = teacherId;
            }
            if (sec.subgroup) business.subgroup = sec.subgroup;
            yield factory.make('lesson', lid(), business as never);
          }
          if (cancelled) continue;
          if (ctx.emptyJournal) continue;

          // Attendance.
          const enrolled: number[] = [];
          for (const p of sec.pupils) {
            const pp = plan.pupils[p];
            if (pp.beginDate <= date && (!pp.endDate || date <= pp.endDate)) enrolled.push(p);
          }
          const absent = new Uint8Array(enrolled.length);
          const attendance: AttendanceSim[] = [];
          for (let i = 0; i < enrolled.length; i++) {
            const dayStatus = absence[enrolled[i]][di];
            const x = r.next();
            let code: AttendanceSim['code'] | undefined;
            if (dayStatus) code = DAY_CODES[dayStatus] as AttendanceSim['code'];
            else if (x < 0.006) code = 'н';
            else if (x < 0.0085) code = 'ОТ';
            else if (x < (lessonNumber === 1 ? 0.035 : 0.0125)) code = 'ОП';
            if (!code) continue;
            if (code !== 'ОП') absent[i] = 1;
            attendance.push(code === 'ОП' ? { pos: i, code, minutesLate: r.int(2, 20) } : { pos: i, code });
          }
          const attRecordedMs = startMs + r.int(3, 25) * 60_000;
          if (want === 'attendance_record') {
            for (const a of attendance) {
              const studentId = plan.pupils[enrolled[a.pos]].id;
              const lessonId = lid();
              const business: Record<string, unknown> = {
                studentId, lessonId, ...ATT_KIND[a.code], rawCode: a.code, recordedAt: iso(attRecordedMs), recordedBy: teacherId,
              };
              if (a.minutesLate !== undefined) business.minutesLate = a.minutesLate;
              yield factory.make('attendance_record', attendanceId(studentId, lessonId), business as never);
            }
          }
          if (cls.grade === 1) continue; // attendance and topics only

          // Works and marks.
          const cell = new Uint8Array(enrolled.length);
          const works: WorkSim[] = [];
          const quarter = day.quarter;
          const n = sec.pupils.length;
          const markOf = (i: number, type: string, workRecordedMs: number, owedChance: number): MarkSim => {
            const pupil = enrolled[i];
            const slot = (cell[i] + 1) as 1 | 2;
            cell[i]++;
            const recordedMs = workRecordedMs + i * 7_000;
            if (r.chance(owedChance)) {
              return { pupil, slot, raw: r.chance(0.8) ? '.' : '', base: null, modifier: 'none', state: 'owed', recordedMs };
            }
            const x = plan.pupils[pupil].ability + (DIFFICULTY[type] ?? 0) + r.normal(0, 0.7);
            const base = Math.max(2, Math.min(5, Math.round(x)));
            const y = r.next();
            const modifier = y < 0.05 && base < 5 ? 'plus' : y < 0.1 && base > 2 ? 'minus' : 'none';
            const raw = `${base}${modifier === 'plus' ? '+' : modifier === 'minus' ? '-' : ''}`;
            const m: MarkSim = { pupil, slot, raw, base, modifier, state: 'graded', recordedMs };
            if (r.chance(0.01)) m.comment = base >= 4 ? 'Молодец, работа выполнена аккуратно' : 'Повторить тему, ошибки в заданиях';
            return m;
          };
          const workAt = () => endMs + r.int(5, 200) * 60_000;
          if (main) {
            const wr = workAt();
            const w: WorkSim = { type: main, title: workTitle(main, theme), marks: [] };
            for (let i = 0; i < enrolled.length; i++) {
              if (absent[i]) {
                if (r.chance(0.5)) w.marks.push(markOf(i, main, wr, 1));
              } else if (r.chance(0.97)) w.marks.push(markOf(i, main, wr, 0.01));
            }
            // A pupil who got «2» rewrites the work a few days later (R-09 (b): retake in slot 2).
            for (const m of [...w.marks]) {
              const i = enrolled.indexOf(m.pupil);
              if (m.base !== null && m.base <= 2 && cell[i] === 1 && r.chance(0.5)) {
                let retakeMs = startMs + r.int(2, 7) * 86_400_000;
                if (date <= lock.lockedThrough && retakeMs > lockedThroughMs) retakeMs = lockedThroughMs - 3_600_000;
                if (retakeMs > lastMs) retakeMs = lastMs;
                const base = r.chance(0.7) ? 3 : 4;
                cell[i]++;
                w.marks.push({ pupil: m.pupil, slot: 2, raw: String(base), base, modifier: 'none', state: 'graded', recordedMs: retakeMs, retakeOf: true });
              }
            }
            works.push(w);
            if (main === 'dictation') {
              const g: WorkSim = { type: 'dictation_grammar_task', title: workTitle('dictation_grammar_task', theme), marks: [] };
              const gr = workAt();
              for (let i = 0; i < enrolled.length; i++) if (!absent[i] && cell[i] < 2 && r.chance(0.95)) g.marks.push(markOf(i, g.type, gr, 0));
              works.push(g);
            }
          }
          const present: number[] = [];
          for (let i = 0; i < enrolled.length; i++) if (!absent[i]) present.push(i);
          const oral: WorkSim = { type: 'oral_answer', title: workTitle('oral_answer', theme), marks: [] };
          const oralAt = workAt();
          const oralCount = main ? (r.chance(0.3) ? r.int(1, 3) : 0) : Math.max(1, Math.round(present.length * (0.17 + r.next() * 0.08)));
          for (const i of r.sample(present, oralCount)) if (cell[i] < 2) oral.marks.push(markOf(i, 'oral_answer', oralAt, 0));
          if (!main && subj.checksHomework && r.chance(0.65)) {
            const hw: WorkSim = { type: 'homework', title: workTitle('homework', theme), marks: [] };
            const hwAt = workAt();
            for (const i of r.sample(present, Math.max(1, Math.round(present.length * 0.15)))) {
              if (cell[i] < 2) hw.marks.push(markOf(i, 'homework', hwAt, 0.05));
            }
            if (hw.marks.length) works.push(hw);
          }
          // End of quarter: pupils short of the minimum answer at the board.
          let laterToday = 0;
          for (let j = posU + 1; j < units.length; j++) if (cls.units[units[j]].sections.includes(s)) laterToday++;
          let remainingLessons = laterToday;
          for (let w = 0; w < 5; w++) remainingLessons += sec.perWeekday[w] * remaining[di * 5 + w];
          if (remainingLessons <= 2) {
            const need = minMarks(sec.weeklyHours);
            for (const i of present) {
              const p = st.pos.get(enrolled[i])!;
              const have = st.counts[quarter * n + p] + works.reduce((a, w) => a + w.marks.filter((m) => m.pupil === enrolled[i] && m.state === 'graded').length, 0)
                + oral.marks.filter((m) => m.pupil === enrolled[i]).length;
              if (have < need && cell[i] < 2 && !oral.marks.some((m) => m.pupil === enrolled[i])) oral.marks.push(markOf(i, 'oral_answer', oralAt, 0));
            }
          }
          if (oral.marks.length) works.push(oral);
          if (subj.code === 'pe' && k % 37 === 17 && present.length) {
            const i = present[0];
            if (cell[i] < 2) {
              works.push({ type: 'camp_or_hospital_mark', title: workTitle('camp_or_hospital_mark', theme), marks: [markOf(i, 'camp_or_hospital_mark', workAt(), 0)] });
            }
          }

          // Tally for R-11 and the final marks.
          for (const w of works) {
            const weight = workTypeByCode(w.type)!.weight;
            for (const m of w.marks) {
              if (m.state !== 'graded') continue;
              const p = st.pos.get(m.pupil)!;
              const numeric = numericOf(m.base!, m.modifier);
              st.counts[quarter * n + p]++;
              st.sums[quarter * n + p] += numeric * weight;
              st.weights[quarter * n + p] += weight;
              st.sums[(4 + day.half) * n + p] += numeric * weight;
              st.weights[(4 + day.half) * n + p] += weight;
            }
          }

          if (want === 'work' || want === 'mark') {
            const lessonId = lid();
            const periodId = cls.grade >= 10 ? plan.sessions.halfIds[day.half] : plan.sessions.quarterIds[quarter];
            for (const w of works) {
              const wid = workIdOf(lessonId, w.type);
              if (want === 'work') {
                const business: Record<string, unknown> = {
                  sectionId: sec.id, lessonId, workTypeCode: w.type, title: w.title, assignedDate: date,
                  gradingPeriodId: periodId, scaleId: RU5_SCALE_ID,
                };
                if (w.type === 'homework') business.dueDate = date;
                yield factory.make('work', wid, business as never);
                continue;
              }
              const weight = workTypeByCode(w.type)!.weight;
              for (const m of w.marks) {
                const studentId = plan.pupils[m.pupil].id;
                let recordedMs = m.recordedMs;
                if (order && s === order.sectionIdx && m.pupil === order.pupilIdx && date >= order.from && date <= order.to) {
                  recordedMs = Date.parse(order.editAt); // corrected under the unlock order (R-22 late edit)
                }
                const business: Omit<MarkRecord, 'entity' | 'id' | 'status' | 'version' | 'updatedAt' | 'contentHash' | 'sourceRefs' | 'provenance'> = {
                  studentId, workId: wid, lessonId, slot: m.slot, raw: m.raw, base: m.base, modifier: m.modifier,
                  numeric: m.base === null ? null : numericOf(m.base, m.modifier), state: m.state,
                  weightApplied: weight, markDate: date, recordedAt: iso(recordedMs), recordedBy: teacherId,
                };
                if (m.retakeOf) business.retakeOfMarkId = markIdOf(studentId, lessonId, 1);
                if (m.comment) business.comment = m.comment;
                yield factory.make('mark', markIdOf(studentId, lessonId, m.slot), business);
              }
            }
          }
        }
      }
    }
  }

  if (want !== 'final_mark' || ctx.emptyJournal) return;
  const cal = ctx.calendar;
  const fullYear = days.length > 0 && lastDate >= cal.quarters[3].endDate;
  for (const sec of plan.sections) {
    const cls = plan.classes[sec.classIdx];
    if (cls.grade === 1) continue;
    const st = states[sec.idx];
    const n = sec.pupils.length;
    const teacherId = plan.teachers[sec.teacher].id;
    const halves = cls.grade >= 10;
    const periods = halves
      ? cal.halves.map((p, i) => ({ p, slot: 4 + i, id: plan.sessions.halfIds[i], kind: 'half_year' as const }))
      : cal.quarters.map((p, i) => ({ p, slot: i, id: plan.sessions.quarterIds[i], kind: 'quarter' as const }));
    for (let pi = 0; pi < n; pi++) {
      const pupil = plan.pupils[sec.pupils[pi]];
      const studentId = pupil.id;
      const bases: number[] = [];
      for (const period of periods) {
        if (period.p.endDate > lastDate) continue;
        const w = st.weights[period.slot * n + pi];
        if (!w) continue;
        const avg = Math.round((st.sums[period.slot * n + pi] / w) * 100) / 100;
        const base = avg >= 4.6 ? 5 : avg >= 3.6 ? 4 : avg >= 2.6 ? 3 : 2;
        bases.push(base);
        yield factory.make('final_mark', finalMarkId(studentId, sec.id, period.kind, period.id), {
          studentId, sectionId: sec.id, kind: period.kind, periodId: period.id, raw: String(base), base,
          computedAverage: avg, recordedAt: iso(ctx.localMs(period.p.endDate, '16:00')), recordedBy: teacherId,
        });
      }
      if (fullYear && bases.length === periods.length) {
        const avg = Math.round((bases.reduce((a, b) => a + b, 0) / bases.length) * 100) / 100;
        const base = Math.min(5, Math.floor(avg + 0.5));
        yield factory.make('final_mark', finalMarkId(studentId, sec.id, 'year', plan.sessions.yearId), {
          studentId, sectionId: sec.id, kind: 'year', periodId: plan.sessions.yearId, raw: String(base), base,
          computedAverage: avg, recordedAt: iso(ctx.localMs(lastDate, '17:00')), recordedBy: teacherId,
        });
      }
    }
  }
}

export { addDays };
