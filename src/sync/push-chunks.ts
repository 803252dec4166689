// How a push is cut up: whole lessons per piece, in the order given. A platform that orders a cell's marks by
// creation (ЭПОС) or writes a lesson's column at once (АСУ РСО quickedit) then sees a lesson in one call, so calls
// can run side by side without two of them touching the same lesson; the push reads and sends its records in
// slices cut the same way, so a cell's first and second mark always travel together.
import type { WriteOp } from '../connectors/contract.js';

/** `items` grouped by lesson (first appearance order, each group in its given order), packed into pieces of about `size`. */
export function wholeLessons<T>(items: Iterable<T>, lessonOf: (item: T) => string, size: number): T[][] {
  const byLesson = new Map<string, T[]>();
  for (const item of items) {
    const lesson = lessonOf(item);
    const group = byLesson.get(lesson);
    if (group) group.push(item);
    else byLesson.set(lesson, [item]);
  }
  const out: T[][] = [];
  let current: T[] = [];
  for (const group of byLesson.values()) {
    if (current.length > 0 && current.length + group.length > size) {
      out.push(current);
      current = [];
    }
    // Not `push(...group)`: a lesson is small, but a caller may hand one key for everything.
    for (const item of group) current.push(item);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Write calls: `ops` grouped by lesson (a record without one is its own group). */
export function lessonChunks<R extends { lessonId?: string; id: string }>(ops: readonly WriteOp<R>[], size: number): WriteOp<R>[][] {
  return wholeLessons(ops, (op) => op.record.lessonId ?? op.record.id, size);
}
