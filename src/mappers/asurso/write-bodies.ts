// Canonical → `POST grade/journal/quickedit` items (platforms.md §1.6 [U]; shapes in
// src/connectors/asurso/teacher-api.ts). Marks are integers: `5-` is written as 5; «точка» is
// `mark: null, dutyMark: true`; clearing a cell is `mark: null`.
import type { RecordOf } from '../../model/records.js';
import type { QuickEditBody } from '../../connectors/asurso/teacher-api.js';
import { cellOf, letterOf } from './codes.js';

type Result = QuickEditBody['results'][number];

export function resultItem(m: Pick<RecordOf<'mark'>, 'state' | 'base'> | null, at: { cmId: number; assignId: number | null; assignTypeId: number; studentId: number }): Result {
  return { ...at, ...(m ? cellOf(m) : { mark: null }) };
}

export function attendanceItem(a: Pick<RecordOf<'attendance_record'>, 'kind' | 'reason' | 'rawCode'> | null, at: { cmId: number; studentId: number }): QuickEditBody['attendance'][number] {
  return { ...at, reason: a ? letterOf(a) : null };
}
