// How a push's operations are cut into write calls: whole lessons per call, in the order given. A platform that
// orders a cell's marks by creation (ЭПОС) or writes a lesson's column at once (АСУ РСО quickedit) then sees a
// lesson in one call, so calls can run side by side without two of them touching the same lesson.
import type { WriteOp } from '../connectors/contract.js';

/** `ops` grouped by lesson (first appearance order, each group in its given order), packed into calls of about `size`. */
export function lessonChunks<R extends { lessonId?: string; id: string }>(ops: readonly WriteOp<R>[], size: number): WriteOp<R>[][] {
  const byLesson = new Map<string, WriteOp<R>[]>();
  for (const op of ops) {
    const lesson = op.record.lessonId ?? op.record.id;
    const group = byLesson.get(lesson);
    if (group) group.push(op);
    else byLesson.set(lesson, [op]);
  }
  const out: WriteOp<R>[][] = [];
  let current: WriteOp<R>[] = [];
  for (const group of byLesson.values()) {
    if (current.length > 0 && current.length + group.length > size) {
      out.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) out.push(current);
  return out;
}
