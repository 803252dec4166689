// Canonical → Дневник.ру write bodies (platforms.md §3.4). THE one place the body shapes live.
//
// [U] `POST persons/{p}/works/{w}/mark`: the body is not public (only the README listing «Выставить оценку
// ученику по работе» was seen, platforms.md §6.3 item 3). Assumed here: the Mark object's own fields
// `{type, value, textValue, number, date}`, one mark per pupil × work × `number` (a repeat replaces it).
// When the official Swagger is available, change markBody and nothing else.
//
// int64 ids are sent as decimal strings: a JavaScript number cannot hold them.
import type { RecordOf } from '../../model/records.js';
import { logStatusOf, markFieldsOf } from './codes.js';

export interface MarkBody { type: string; value: string; textValue: string; number: number; date: string }

export function markBody(m: Pick<RecordOf<'mark'>, 'state' | 'raw' | 'base' | 'slot' | 'markDate'>): MarkBody {
  return markFieldsOf(m);
}

/** `POST works` [V kesha1225 create_lesson_work]: a journal column for one work type on one lesson. */
export function workBody(t: { lesson: string; eduGroup: string; subjectId: string; workType: number; title: string; periodNumber?: number; periodType?: string; dueDate?: string }) {
  return {
    type: 'LessonTestWork', workType: t.workType, markType: 'mark5', markCount: 2, lesson: t.lesson, displayInJournal: true, status: 'Sent',
    eduGroup: t.eduGroup, tasks: [], text: t.title, periodNumber: t.periodNumber ?? 0, periodType: t.periodType ?? 'Quarter',
    subjectId: t.subjectId, isImportant: false, targetDate: t.dueDate ? `${t.dueDate}T00:00:00` : null, sentDate: null, createdBy: null, files: [],
  };
}

/** `PUT lessons/{lesson}/log-entries` [V kesha1225 put_lesson_log]. */
export function logEntryBody(a: Pick<RecordOf<'attendance_record'>, 'kind' | 'reason'>, ids: { person: string; lesson: string }, createdDate: string) {
  return { person: ids.person, lesson: ids.lesson, status: logStatusOf(a), comment: null, createdDate };
}
