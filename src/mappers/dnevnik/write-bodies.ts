// Canonical → Дневник.ру write bodies (platforms.md §3.4). THE one place the body shapes live.
//
// [U] `POST persons/{p}/works/{w}/mark`: the body is not public (only the README listing «Выставить оценку
// ученику по работе» was seen, platforms.md §6.3 item 3). Assumed here: the Mark object's own fields
// `{type, value, textValue, number, date}`, one mark per pupil × work × `number` (a repeat replaces it).
// When the official Swagger is available, change markBody and nothing else.
//
// int64 ids are sent as decimal strings: a JavaScript number cannot hold them.
import type { RecordOf } from '../../model/records.js';
import { COLUMN_WORK_TYPE, HOMEWORK_WORK_TYPE, logStatusOf, markFieldsOf } from './codes.js';

export interface MarkBody { type: string; value: string; textValue: string; number: number; date: string }

export function markBody(m: Pick<RecordOf<'mark'>, 'state' | 'raw' | 'base' | 'slot' | 'markDate'>): MarkBody {
  return markFieldsOf(m);
}

/** `POST works` [V kesha1225 create_lesson_work]: a journal column for one work type on one lesson. */
export function workBody(t: { lesson: string; eduGroup: string; subjectId: string; workType: number; title: string; periodNumber?: number; periodType?: string; dueDate?: string }) {
  return lessonWork(COLUMN_WORK_TYPE, { ...t, text: t.title, markCount: 2, displayInJournal: true });
}

/**
 * `POST works` of a lesson's homework: a work of `type` {@link HOMEWORK_WORK_TYPE} ([U]: the value naming a homework is
 * in no public client, codes.ts) whose `text` is the assignment and `targetDate` its due day. Not a journal column.
 */
export function homeworkBody(t: { lesson: string; eduGroup: string; subjectId: string; workType: number; text: string; dueDate?: string }) {
  return lessonWork(HOMEWORK_WORK_TYPE, { ...t, markCount: 0, displayInJournal: false });
}

function lessonWork(
  type: string,
  t: { lesson: string; eduGroup: string; subjectId: string; workType: number; text: string; markCount: number; displayInJournal: boolean; periodNumber?: number; periodType?: string; dueDate?: string },
) {
  return {
    type, workType: t.workType, markType: 'mark5', markCount: t.markCount, lesson: t.lesson, displayInJournal: t.displayInJournal, status: 'Sent',
    eduGroup: t.eduGroup, tasks: [], text: t.text, periodNumber: t.periodNumber ?? 0, periodType: t.periodType ?? 'Quarter',
    subjectId: t.subjectId, isImportant: false, targetDate: t.dueDate ? `${t.dueDate}T00:00:00` : null, sentDate: null, createdBy: null, files: [],
  };
}

/** `PUT lessons/{lesson}/log-entries` [V kesha1225 put_lesson_log]. */
export function logEntryBody(a: Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>, ids: { person: string; lesson: string }, createdDate: string) {
  return { person: ids.person, lesson: ids.lesson, status: logStatusOf(a), comment: null, createdDate };
}
