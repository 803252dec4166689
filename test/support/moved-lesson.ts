// ЭПОС as the system of record and АСУ РСО as its push target, one synthetic school on both, for the tests of a lesson
// moved to another day on the system of record («перенос урока»): the school after a first night, and the move itself.
import { expect } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EMark, ScheduleItem } from '../../src/emulators/epos/world.js';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { NMeeting } from '../../src/emulators/asurso/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { runJob } from '../../src/jobs/processors.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import { nightlyRound, sorAndTarget, type SorAndTarget } from './sor-and-target.js';

export const movedLessonWindow = { from: '2025-09-01', to: '2025-09-07' };
export type Ep = RunningEmulator & { world: { marks: Map<number, EMark>; schedule: Map<number, ScheduleItem>; sourceOf: Map<string, string> } };

/** The marks a meeting holds, sorted. */
export function cellValues(m: NMeeting): (number | null)[] {
  return m.columns.flatMap((c) => [...c.results.values()].filter((r) => r.mark !== null).map((r) => r.mark)).sort();
}

/** The synthetic school on ЭПОС (system of record) and АСУ РСО (target), after a first night's read and push. */
export async function pushedSchool(seed: number): Promise<SorAndTarget<Ep, AsursoEmulator>> {
  const window = movedLessonWindow;
  const school = await sorAndTarget<Ep, AsursoEmulator>({ sor: 'epos', target: 'asurso', school: generateSchool({ seed, pupils: 20, weeks: 1 }), window });
  // АСУ РСО sends pupils without a birth date: the operator accepts the exact-name proposals, as in the demo.
  for (const p of (await pendingReview(school.ctx.store)).filter((r) => r.kind === 'person_match' && r.score === 1)) await decidePersonMatch(school.ctx.store, p.id, 'merge', 'test-review');
  await runJob('roster-sync', { schoolId: 's1', window }, school.ctx);
  expect((await nightlyRound(school.ctx, window)).push.pushed?.failed).toBe(0);
  return school;
}

/** ЭПОС id → АСУ РСО id of the same canonical record (both emulators serve one synthetic school). */
export function asursoIdIn(school: SorAndTarget<Ep, AsursoEmulator>, eposId: number | string): number | undefined {
  const canonical = [...school.sor.world.sourceOf].find(([, s]) => s === String(eposId))?.[0];
  return canonical === undefined ? undefined : school.target.world.sourceOf.get(canonical);
}

/** A marked lesson of the ЭПОС school (one `onTarget` accepts) and a free day of the window to move it to. */
export function markedLessonToMove(world: Ep['world'], onTarget: (eposId: number) => boolean): { item: ScheduleItem; to: string; marks: EMark[] } {
  const marked = new Set([...world.marks.values()].map((m) => m.lesson));
  const taken = new Set([...world.schedule.values()].map((s) => `${s.group}|${s.date}|${s.number}`));
  const days = ['2025-09-01', '2025-09-02', '2025-09-03', '2025-09-04', '2025-09-05', '2025-09-06'];
  for (const item of world.schedule.values()) {
    if (!marked.has(item.id) || !onTarget(item.id)) continue;
    const to = days.find((d) => d !== item.date && !taken.has(`${item.group}|${d}|${item.number}`));
    if (to) return { item, to, marks: [...world.marks.values()].filter((m) => m.lesson === item.id) };
  }
  throw new Error('no marked lesson with a free day to move to');
}

/** Moves a marked lesson of the ЭПОС school to a free day of the window (its marks filed under the new date, as ЭПОС does). */
export function moveMarkedLesson(world: Ep['world'], onTarget: (eposId: number) => boolean) {
  const { item, to, marks } = markedLessonToMove(world, onTarget);
  const from = item.date;
  item.date = to;
  for (const m of marks) m.date = to;
  return { item, from, to, marks };
}
