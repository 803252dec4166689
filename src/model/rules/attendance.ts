// Attendance (canonical-model.md §B.3, R-15…R-17).
import type { AttendanceRecordRecord } from '../records.js';
import { isLive, type RuleDeclaration } from './context.js';
import type { Violation } from './types.js';

const KINDS = new Set(['absent', 'late']);
const REASONS = new Set(['excused', 'unexcused', 'illness', 'unknown']);

export const R15: RuleDeclaration = {
  id: 'R-15', severity: 'block', title: 'Одна запись посещаемости на ученика и урок',
  check(ctx) {
    const out: Violation[] = [];
    for (const cell of ctx.index.attendanceByCell.values()) {
      for (const extra of cell.slice(1)) {
        out.push(ctx.violation('R-15', 'block', extra,
          `у ученика ${extra.studentId} на уроке ${extra.lessonId} уже есть запись посещаемости ${cell[0].id} (лишняя запись ${extra.id})`, { refs: { attendanceId: cell[0].id } }));
      }
      for (const a of cell) {
        if (!KINDS.has(a.kind)) out.push(ctx.violation('R-15', 'block', a, `вид записи посещаемости ${a.id} «${String(a.kind)}» не «отсутствие» и не «опоздание»`));
      }
    }
    return out;
  },
};

export const R16: RuleDeclaration = {
  id: 'R-16', severity: 'block', title: 'Причина пропуска из закрытого списка, исходный код сохранён',
  check(ctx) {
    const out: Violation[] = [];
    for (const a of ctx.index.attendance) {
      if (!isLive(a)) continue;
      if (!REASONS.has(a.reason)) out.push(ctx.violation('R-16', 'block', a, `причина пропуска «${String(a.reason)}» записи ${a.id} не из списка (уважительная, неуважительная, болезнь, не указана)`));
      else if (!a.rawCode.trim()) out.push(ctx.violation('R-16', 'block', a, `у записи посещаемости ${a.id} не сохранён исходный код платформы`));
    }
    return out;
  },
};

/** Ed-Fi attendance category: a flip between categories is a key change there. */
export function attendanceCategory(a: Pick<AttendanceRecordRecord, 'kind' | 'reason'>): 'tardy' | 'excused_absence' | 'unexcused_absence' {
  if (a.kind === 'late') return 'tardy';
  return a.reason === 'excused' || a.reason === 'illness' ? 'excused_absence' : 'unexcused_absence';
}

/**
 * a change of reason is an update of the same record (same id, student and lesson), never a new record.
 * Returns the violations and whether the EF key changes (category flip).
 */
export function checkAttendanceUpdate(previous: AttendanceRecordRecord, next: AttendanceRecordRecord): { violations: Violation[]; efKeyChange: boolean } {
  const violations: Violation[] = [];
  if (previous.id !== next.id || previous.studentId !== next.studentId || previous.lessonId !== next.lessonId) {
    violations.push({
      ruleId: 'R-16', severity: 'block', entity: 'attendance_record', id: next.id,
      message: `R-16: изменение причины пропуска должно обновлять запись ${previous.id} того же ученика и урока, а не создавать новую`,
      refs: { attendanceId: previous.id },
    });
  }
  return { violations, efKeyChange: attendanceCategory(previous) !== attendanceCategory(next) };
}

export const R17: RuleDeclaration = {
  id: 'R-17', severity: 'block', title: 'Ученик зачислен в журнал на дату урока',
  check(ctx) {
    const out: Violation[] = [];
    // Marks too: a journal page lists the pupils enrolled on it (seed 000 §5.7), and a mark of someone who was not
    // on the page that day would count in their averages and reports.
    for (const r of [...ctx.index.attendance, ...ctx.index.marks]) {
      if (!isLive(r)) continue;
      const what = r.entity === 'mark' ? 'отметка' : 'запись посещаемости';
      const lesson = ctx.get('lesson', r.lessonId);
      if (!lesson) {
        // A mark's missing lesson is R-07's to name.
        if (r.entity !== 'mark') out.push(ctx.violation('R-17', 'block', r, `${what} ${r.id} ссылается на отсутствующий урок ${r.lessonId}`));
      } else if (!ctx.enrolledOn(r.studentId, lesson.sectionId, lesson.date)) {
        out.push(ctx.violation('R-17', 'block', r, `ученик ${r.studentId} не зачислен в журнал ${lesson.sectionId} на ${lesson.date} (${what} ${r.id})`, { refs: { studentId: r.studentId } }));
      }
    }
    return out;
  },
};

export const ATTENDANCE_RULES = [R15, R16, R17];
