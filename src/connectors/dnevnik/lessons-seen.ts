// What the marks and log-entry pages of a group need from its lessons pages: who taught each lesson, on which day.
//
// A mark does not say who set it (the teacher of its lesson did: the substitute when there is one), and
// [U] `Mark.date` may be the day the mark was *set*, not its lesson's day — the API has both
// `persons/{p}/marks/{date}` ("by set date") and `lessons/{date}/persons/{p}/marks` ("by lesson date")
// (platforms.md §3.6). A teacher filling in the journal a few days late would then date each such mark off its
// lesson's column, and R-07 would refuse it. So a marks page carries, for the lessons it names, their teacher
// (`ids.lessonTeachers`) and their day (`ids.lessonDays`), and the mapper takes the mark's column day from its
// lesson; both readings of `Mark.date` give the same canonical mark (docs/platforms/dnevnik.md "Mark dates").
// A mark set after its week lands on a later window's marks page, whose lessons page does not list its lesson:
// the lessons of every page of the group read in this run so far are kept, and a lesson none of them listed (a
// nightly delta reads only the last days) is asked for by id (`POST lessons/many`, connector.ts).
type LessonItem = { id_str?: unknown; date?: unknown; teachersStr?: unknown[]; group?: { id_str?: unknown }; subject?: { id_str?: unknown } };
type Seen = { day?: string; teacher?: string };

const itemsOf = <T>(page: unknown): T[] => (Array.isArray(page) ? (page as T[]) : []);
/** The teacher who held a lesson: the substitute (second) when there is one. */
const teacherOf = (l: LessonItem) => {
  const t = l.teachersStr?.[1] ?? l.teachersStr?.[0];
  return typeof t === 'string' ? t : undefined;
};

/** `{lesson id: teacher id}` of one lessons page, as `ids.lessonTeachers` (log entries are read per lesson window). */
export function lessonTeachers(page: unknown): string {
  const out: Record<string, string> = {};
  for (const l of itemsOf<LessonItem>(page)) {
    const t = teacherOf(l);
    if (typeof l.id_str === 'string' && t) out[l.id_str] = t;
  }
  return JSON.stringify(out);
}

/** Notes the scheduled teacher of each subject journal of a lessons page (`{group}:{subject}`): they set its final marks. */
export function noteScheduledTeachers(page: unknown, scheduled: Map<string, string>): void {
  for (const l of itemsOf<LessonItem>(page)) {
    const t = l.teachersStr?.[0];
    if (typeof t === 'string' && typeof l.group?.id_str === 'string' && typeof l.subject?.id_str === 'string') scheduled.set(`${l.group.id_str}:${l.subject.id_str}`, t);
  }
}

/** The lessons of one group's pages read so far in this run. */
export class LessonsSeen {
  private readonly lessons = new Map<string, Seen>();

  note(page: unknown): void {
    for (const l of itemsOf<LessonItem>(page)) {
      if (typeof l.id_str !== 'string') continue;
      this.lessons.set(l.id_str, { day: typeof l.date === 'string' ? l.date.slice(0, 10) : undefined, teacher: teacherOf(l) });
    }
  }

  /** The lessons the marks of a page name that no page noted so far (and that were not asked for before). */
  unseen(marks: unknown): string[] {
    const out = new Set<string>();
    for (const m of itemsOf<{ lesson_str?: unknown }>(marks)) {
      if (typeof m?.lesson_str === 'string' && !this.lessons.has(m.lesson_str)) out.add(m.lesson_str);
    }
    return [...out];
  }

  /**
   * The lessons of a marks page holding a mark dated off the lesson's own day (set later). Under the set-day reading
   * of `Mark.date` the rest of such a lesson's marks may be on other pages — its first mark before a retake, a pupil's
   * mark in its other column — and the mapper tells slots and retakes apart within one page, so these lessons' marks
   * are read whole (`lessons/{id}/marks`). None when `Mark.date` is the lesson's day.
   */
  offDay(marks: unknown): string[] {
    const out = new Set<string>();
    for (const m of itemsOf<{ lesson_str?: unknown; date?: unknown }>(marks)) {
      if (typeof m?.lesson_str !== 'string' || typeof m.date !== 'string') continue;
      const day = this.lessons.get(m.lesson_str)?.day;
      if (day !== undefined && m.date.slice(0, 10) !== day) out.add(m.lesson_str);
    }
    return [...out];
  }

  /** Notes lessons asked for by id that the platform did not return: they are not asked for again. */
  noteAsked(ids: readonly string[]): void {
    for (const id of ids) if (!this.lessons.has(id)) this.lessons.set(id, {});
  }

  /** `ids.lessonTeachers` and `ids.lessonDays` of the lessons the marks of a page name (only those: a page names few). */
  idsFor(marks: unknown): { lessonTeachers: string; lessonDays: string } {
    const teachers: Record<string, string> = {};
    const days: Record<string, string> = {};
    for (const m of itemsOf<{ lesson_str?: unknown }>(marks)) {
      const id = m?.lesson_str;
      if (typeof id !== 'string' || id in days || id in teachers) continue;
      const seen = this.lessons.get(id);
      if (seen?.teacher) teachers[id] = seen.teacher;
      if (seen?.day) days[id] = seen.day;
    }
    return { lessonTeachers: JSON.stringify(teachers), lessonDays: JSON.stringify(days) };
  }
}
