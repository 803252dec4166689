// Many marks share one work column (lesson × work type): its natural id, a UUIDv5, is computed once per
// column and remembered (bounded), instead of once per mark. Keyed lesson id → work key in two maps rather than
// by a joined string: the lesson id comes from the crosswalk and the key from a constant table, so both strings
// already carry their hash, while a joined key would be built and hashed anew for every mark.
import { workId } from '../../model/ids.js';

const workIds = new Map<string, Map<string, string>>();
let size = 0;

export function workIdOf(lessonId: string, key: string): string {
  let byKey = workIds.get(lessonId);
  if (byKey === undefined) {
    if (size > 50_000) {
      workIds.clear();
      size = 0;
    }
    workIds.set(lessonId, (byKey = new Map()));
  }
  let id = byKey.get(key);
  if (id === undefined) {
    byKey.set(key, (id = workId(lessonId, key)));
    size++;
  }
  return id;
}
