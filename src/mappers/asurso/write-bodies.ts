// Canonical → `POST grade/journal/quickedit` items (platforms.md §1.6 [U]; shapes in
// src/connectors/asurso/teacher-api.ts). Marks are integers: `5-` is written as 5; «точка» is
// `mark: null, dutyMark: true`; clearing a cell is `mark: null`.
import type { RecordOf } from '../../model/records.js';
import type { QuickEditBody } from '../../connectors/asurso/teacher-api.js';
import { cellOf, letterOf } from './codes.js';

type Result = QuickEditBody['results'][number];

/**
 * Why a mark cannot be written into a NetSchool cell, or undefined when it can. A cell holds a whole mark or «точка»;
 * `mark: null` without `dutyMark` clears it, so an exempt mark («осв», which АСУ РСО keeps as the attendance letter
 * ОСВ, not as a mark) written as its null base wiped the pupil's mark and was reported as applied.
 */
export function unwritableMark(m: Pick<RecordOf<'mark'>, 'state' | 'base'>): string | undefined {
  if (m.state === 'exempt') return 'an exempt mark («осв») has no form in an АСУ РСО journal cell (a whole mark or «точка»); the cell is left as it is';
  if (m.state === 'graded' && m.base === null) return 'a mark with no five-point value has no form in an АСУ РСО journal cell; the cell is left as it is';
  return undefined;
}

export function resultItem(m: Pick<RecordOf<'mark'>, 'state' | 'base'> | null, at: { cmId: number; assignId: number | null; assignTypeId: number; studentId: number }): Result {
  return { ...at, ...(m ? cellOf(m) : { mark: null }) };
}

export function attendanceItem(a: Pick<RecordOf<'attendance_record'>, 'kind' | 'reason' | 'rawCode'> | null, at: { cmId: number; studentId: number }): QuickEditBody['attendance'][number] {
  return { ...at, reason: a ? letterOf(a) : null };
}
