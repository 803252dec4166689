// Many marks share one work column (lesson × work type): its natural id, a UUIDv5, is computed once per
// column and remembered (bounded), instead of once per mark.
import { workId } from '../../model/ids.js';

const workIds = new Map<string, string>();

export function workIdOf(lessonId: string, key: string): string {
  const k = `${lessonId}|${key}`;
  let id = workIds.get(k);
  if (id === undefined) {
    if (workIds.size > 50_000) workIds.clear();
    workIds.set(k, (id = workId(lessonId, key)));
  }
  return id;
}
