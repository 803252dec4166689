// Weekly timetable of a homeroom class: the subjects' weekly hours spread over five days (no subject
// twice a day unless it has more hours than days), then ordered so that a teacher is not in two rooms
// at the same lesson number (greedy; a clash is accepted only when nothing else fits and is counted).
import type { Rng } from './rng.js';

/** One timetable slot: a subject, possibly taught as parallel subgroup sections. */
export interface TimetableUnit {
  subjectCode: string;
  hours: number;
  /** Section indices taught in this slot (two for a subgroup split). */
  sections: number[];
  /** Teachers of those sections. */
  teachers: number[];
}

export interface ClassTimetable {
  /** days[weekday-1] = unit indices in lesson order (lesson number = position + 1). */
  days: number[][];
  clashes: number;
}

/** Busy map shared by all classes of a school: `${teacher}|${day}|${lesson}`. */
export type TeacherBusy = Set<string>;

export function buildTimetable(units: readonly TimetableUnit[], rng: Rng, busy: TeacherBusy): ClassTimetable {
  const perDay: number[][] = [[], [], [], [], []];
  const order = units.map((_, i) => i).sort((a, b) => units[b].hours - units[a].hours || a - b);
  for (const u of order) {
    const used = new Set<number>();
    for (let h = 0; h < units[u].hours; h++) {
      let candidates = [0, 1, 2, 3, 4].filter((d) => !used.has(d));
      if (!candidates.length) candidates = [0, 1, 2, 3, 4];
      const min = Math.min(...candidates.map((d) => perDay[d].length));
      const best = candidates.filter((d) => perDay[d].length === min);
      const day = rng.pick(best);
      perDay[day].push(u);
      used.add(day);
    }
  }
  let clashes = 0;
  const days = perDay.map((list, d) => {
    const remaining = rng.shuffle(list);
    const out: number[] = [];
    for (let lesson = 1; remaining.length; lesson++) {
      let pick = remaining.findIndex((u) => units[u].teachers.every((t) => !busy.has(`${t}|${d}|${lesson}`))
        && !out.includes(u));
      if (pick < 0) pick = remaining.findIndex((u) => units[u].teachers.every((t) => !busy.has(`${t}|${d}|${lesson}`)));
      if (pick < 0) {
        pick = 0;
        clashes++;
      }
      const [u] = remaining.splice(pick, 1);
      for (const t of units[u].teachers) busy.add(`${t}|${d}|${lesson}`);
      out.push(u);
    }
    return out;
  });
  return { days, clashes };
}
