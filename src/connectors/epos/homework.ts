// ЭПОС homework (platforms.md §2.4 `core/api/student_homeworks`, [A] МЭШ). The route answers per pupil and
// filters by the day homework is due, so a class-level read:
// - asks as few pupils as cover every group (one pupil sees the homework of all their groups);
// - asks per block of read windows (at most BLOCK_DAYS days) for homework due from the block's first day to
//   `dueWithinDays` after its last, and keeps what was set within the block;
// - hands each lesson of a schedule page its homework in the batch context (`ids.homework`), as Дневник.ру's
//   marks carry their lessons' teachers, so the schedule page stays the payload exactly as received.
// Which lesson an entry belongs to is the one uncertain step [A]: `schedule_lesson_id` where the platform names
// it; else the group's first lesson on the day it was set. docs/platforms/epos.md "Homework".
import { addDays } from '../../model/dates.js';
import { isoFromRu } from '../../mappers/epos/dates.js';
import * as S from './schemas.js';

/** The longest block of read windows one homework request covers (a 7-day window read gives 4 per request). */
export const BLOCK_DAYS = 28;

/**
 * Pupils whose homework lists together cover every group with pupils: group by group (ids ascending), the pupil
 * of an uncovered group who is in the most groups still uncovered. Greedy — within a small factor of the fewest.
 */
export function coverPupils(groups: readonly { id: number; student_ids: readonly number[] }[]): number[] {
  const groupsOf = new Map<number, number[]>();
  for (const g of groups) for (const p of g.student_ids) (groupsOf.get(p) ?? groupsOf.set(p, []).get(p)!).push(g.id);
  const covered = new Set<number>();
  const chosen: number[] = [];
  for (const g of [...groups].sort((a, b) => a.id - b.id)) {
    if (covered.has(g.id) || !g.student_ids.length) continue;
    let best = g.student_ids[0];
    let bestGain = -1;
    for (const p of g.student_ids) {
      let gain = 0;
      for (const x of groupsOf.get(p)!) if (!covered.has(x)) gain++;
      if (gain > bestGain || (gain === bestGain && p < best)) [best, bestGain] = [p, gain];
    }
    chosen.push(best);
    for (const x of groupsOf.get(best)!) covered.add(x);
  }
  return chosen.sort((a, b) => a - b);
}

/** Read windows in order, grouped into blocks of at most `days` days (a block never spans a gap between ranges). */
export function homeworkBlocks(wins: readonly [string, string][], days = BLOCK_DAYS): { from: string; to: string; windows: [string, string][] }[] {
  const out: { from: string; to: string; windows: [string, string][] }[] = [];
  for (const w of wins) {
    const last = out.at(-1);
    if (last && w[0] === addDays(last.to, 1) && w[1] <= addDays(last.from, days - 1)) {
      last.to = w[1];
      last.windows.push(w);
    } else out.push({ from: w[0], to: w[1], windows: [w] });
  }
  return out;
}

/** A valid homework entry with its group and ISO days. */
export interface PlacedHomework {
  group: number;
  /** The day it was set (`date_assigned_on`). */
  assigned: string;
  /** The day it is due (`date_prepared_for`). */
  due: string;
  lesson?: number;
  text: string;
}

/** Entries of homework answers that can be placed (valid, with text), once each (several pupils see the same entry). */
export function placeable(answers: readonly unknown[]): PlacedHomework[] {
  const seen = new Set<number>();
  const out: PlacedHomework[] = [];
  for (const answer of answers) {
    if (!Array.isArray(answer)) continue;
    for (const raw of answer) {
      // An entry that does not validate is quarantined when its answer is mapped (route core/api/student_homeworks).
      const r = S.StudentHomework.safeParse(raw);
      if (!r.success) continue;
      const e = r.data.homework_entry;
      const text = e.description?.trim();
      if (!text || seen.has(e.id)) continue;
      seen.add(e.id);
      out.push({ group: e.homework.group_id, assigned: isoFromRu(e.homework.date_assigned_on)!, due: isoFromRu(e.homework.date_prepared_for)!, lesson: e.homework.schedule_lesson_id ?? undefined, text });
    }
  }
  return out;
}

/** A lesson's homework as the batch context carries it: the text, and the due day ('' when none is told apart). */
export type LessonHomework = [text: string, due: string];

/**
 * Each schedule item's homework, keyed by item id: the entries naming the item, else — for entries that name no
 * lesson — the group's first lesson (lowest ordinal, then id) on the day they were set. Several entries of one
 * lesson are joined line by line in entry order; the due day is the earliest. A due day equal to the day set
 * means none was given (МЭШ always fills `date_prepared_for`).
 */
export function lessonHomework(items: readonly { id: number; date: string; group_id: number; study_ordinal: number }[], entries: readonly PlacedHomework[]): Record<string, LessonHomework> {
  const ids = new Set(items.map((i) => i.id));
  const firstOfDay = new Map<string, { id: number; ord: number }>();
  for (const i of items) {
    const k = `${i.group_id}|${i.date}`;
    const f = firstOfDay.get(k);
    if (!f || i.study_ordinal < f.ord || (i.study_ordinal === f.ord && i.id < f.id)) firstOfDay.set(k, { id: i.id, ord: i.study_ordinal });
  }
  const out: Record<string, LessonHomework> = {};
  for (const e of entries) {
    const target = e.lesson !== undefined ? (ids.has(e.lesson) ? e.lesson : undefined) : firstOfDay.get(`${e.group}|${e.assigned}`)?.id;
    if (target === undefined) continue;
    const due = e.due > e.assigned ? e.due : '';
    const had = out[target];
    out[target] = had ? [`${had[0]}\n${e.text}`, [had[1], due].filter(Boolean).sort()[0] ?? ''] : [e.text, due];
  }
  return out;
}
