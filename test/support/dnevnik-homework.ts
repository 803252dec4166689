// What a migration into Дневник.ру left there as homework (works of the homework type), and the check that it is exactly
// the lessons' homework wanted: one per lesson, its text and due day. Shared by the homework migration tests.
import { expect } from 'vitest';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { HOMEWORK_WORK_TYPE } from '../../src/mappers/dnevnik/codes.js';

type Work = ReturnType<DnevnikEmulator['world']['works']['values']> extends Iterable<infer W> ? W : never;

export const homeworkOn = (world: DnevnikEmulator['world']): Work[] => [...world.works.values()].filter((x) => x.type === HOMEWORK_WORK_TYPE);

/** Every homework there is one `want` holds for its lesson (by Дневник.ру lesson id), with the same text and due day. */
export function expectHomeworkAsWanted(there: readonly Work[], want: ReadonlyMap<string, { text?: string; dueDate?: string }>): void {
  expect(there).toHaveLength(want.size);
  for (const w of there) {
    const hw = want.get(String(w.lesson));
    expect(hw, `lesson ${w.lesson}`).toBeDefined();
    expect(w.text).toBe(hw!.text!.trim());
    expect(w.targetDate?.slice(0, 10) ?? undefined).toBe(hw!.dueDate);
  }
}
