// A lesson's homework from its NetSchool columns: homework is an assignment of the homework type on the class
// meeting it is set at, its name the text and its `dueDate` the day it is due (teacher-api.ts `Assignment`, [U-gw]).
// «Не задано» has no form in NetSchool (a teacher just adds no homework), so a lesson without one has no homework.
import type { RecordOf } from '../../model/records.js';
import { homeworkTextOf } from '../../connectors/asurso/teacher-api.js';
import { workTypeByCode } from '../../model/work-types.js';
import { dayOf } from './context.js';

interface Column { typeId: number; assignmentName: string; dueDate?: string | null }

/** The homework text a column carries, or undefined: a column of another type, or one for marks only. */
export function homeworkColumnText(a: Column, types: Readonly<Record<string, string>>): string | undefined {
  return types[a.typeId] === 'homework' ? homeworkTextOf(a.assignmentName) : undefined;
}

/**
 * The lesson's homework from its columns (`types`: type id → canonical work type code, `ids.ref`): every homework
 * text in column order, one a line, due on the first due day one of them names (as Дневник.ру's reader joins them).
 */
export function lessonHomework(columns: readonly Column[], types: Readonly<Record<string, string>>): NonNullable<RecordOf<'lesson'>['homework']> | undefined {
  let text: string | undefined;
  let due: string | null | undefined;
  for (const a of columns) {
    const t = homeworkColumnText(a, types);
    if (t === undefined) continue;
    text = text === undefined ? t : `${text}\n${t}`;
    due ||= a.dueDate;
  }
  if (text === undefined) return undefined;
  return { text, notAssigned: false, ...(due ? { dueDate: dayOf(due) } : {}), attachments: [] };
}

/** A result cell that holds a mark or «точка» (`dutyMark` in the grid, `duty` on grade/journal/edit), not a cleared one. */
export function holdsMark(r: { mark: number | null; dutyMark?: boolean; duty?: boolean }): boolean {
  return r.mark !== null || r.dutyMark === true || r.duty === true;
}

/** A work's title from its column's name: a column without one (for marks only, above) is titled by its type. */
export function columnTitle(assignmentName: string, code: string): string {
  return assignmentName.trim() ? assignmentName : workTypeByCode(code)?.nameRu ?? code;
}
