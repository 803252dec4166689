// A lesson's homework as a write carries it (`lessons.write`, connectors/contract.ts): its text without the blanks
// around it, and its due day. Nothing else of it — «не задано», attachments — has a write route on any platform. The
// one definition shared by the writer (Дневник.ру's homework-writer.ts compares what a lesson holds with it), the
// push's choice of lessons to send (push-ops.ts) and the hash grade push records of what it wrote (pushed-content.ts):
// the three must agree, or a homework the target holds as written would look changed.
import type { LessonRecord } from './records.js';

export interface WrittenHomework {
  /** Empty: nothing to write. */
  text: string;
  dueDate?: string;
}

export function homeworkAsWritten(lesson: Pick<LessonRecord, 'homework'>): WrittenHomework {
  const text = lesson.homework?.text?.trim() ?? '';
  const dueDate = lesson.homework?.dueDate;
  return { text, ...(dueDate ? { dueDate } : {}) };
}
