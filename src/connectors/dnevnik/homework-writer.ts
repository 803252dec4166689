// A lesson's homework into Дневник.ру (grade push, `lessons.write`). The partner API keeps homework as a work of the
// lesson (`POST works`, type Homework, codes.ts) and publishes no route to change or remove a work (platforms.md §3.4),
// so a homework is written once: the writer first reads what the lesson holds and
// - creates the homework when the lesson has none,
// - answers `unchanged` when it holds the same text and due day (a retry, a crash after the POST, a lesson whose
//   topic changed but not its homework),
// - refuses, naming why, when it holds another one: a second homework work would read back as both texts joined.
// Lessons are read a class and a window at a time (`edu-groups/{g}/lessons/{from}/{to}`, works included), windows
// aligned on the calendar so every call of a push shares them: one request per class and window, not one per lesson.
import { addDays, type LocalDate } from '../../model/dates.js';
import { homeworkAsWritten } from '../../model/homework.js';
import type { LessonWriteOp, WriteResult } from '../contract.js';
import { HOMEWORK_WORK_TYPE } from '../../mappers/dnevnik/codes.js';
import { homeworkBody } from '../../mappers/dnevnik/write-bodies.js';
import { createdId, writeFailure } from '../write-results.js';

type WorkOnLesson = { type?: string; text?: string | null; targetDate?: string | null };
type LessonPage = { id_str?: string; works?: WorkOnLesson[] }[];
/** The homework a target lesson holds, as the mapper reads it back (src/mappers/dnevnik/journal.ts). */
interface HeldHomework { text: string; dueDate?: string }

export interface HomeworkWriterDeps {
  readLessons(group: string, from: LocalDate, to: LocalDate): Promise<LessonPage>;
  /** One lesson's works (`works?lesson=`): for a lesson its class's window did not list (moved to another day). */
  readLessonWorks(lesson: string): Promise<WorkOnLesson[]>;
  createWork(body: ReturnType<typeof homeworkBody>): Promise<unknown>;
  /** The school's work type id for a canonical work-type code (`homework`). */
  workTypeIdOf(code: string, school?: string): Promise<number | undefined>;
  /** Days per lessons read (the instance's `windowDays`). */
  windowDays: number;
}

export function homeworkWriter(deps: HomeworkWriterDeps): (ops: readonly LessonWriteOp[]) => Promise<WriteResult[]> {
  // Per class and window: each target lesson's homework. Kept for the connector's life (one run); what this writer
  // creates is added to it, and a window is dropped when a create's answer is lost, so it is read again.
  const held = new Map<string, Promise<Map<string, HeldHomework | undefined>>>();
  const windowOf = (group: string, date: LocalDate) => {
    const [from, to] = alignedWindow(date, deps.windowDays);
    const key = `${group}|${from}`;
    if (!held.has(key)) {
      held.set(key, deps.readLessons(group, from, to).then(homeworkByLesson, (e: unknown) => {
        held.delete(key);
        throw e;
      }));
    }
    return { key, homework: held.get(key)! };
  };

  return async (ops) => {
    const out: WriteResult[] = [];
    for (const op of ops) {
      const { lesson, section, lessonDate, school } = op.targetIds;
      const [group, subject] = (section ?? '').split(':');
      if (!lesson || !group || !subject || !lessonDate) {
        out.push({ operationId: op.operationId, status: 'refused', reason: `dnevnik: cannot place the homework (missing ${[!lesson && 'lesson', !(group && subject) && 'section', !lessonDate && 'lessonDate'].filter(Boolean).join(', ')} on the target)`, retryable: false });
        continue;
      }
      const { text, dueDate } = homeworkAsWritten(op.record);
      try {
        const window = windowOf(group, lessonDate as LocalDate);
        const listed = await window.homework;
        // Not on its class's page for that day (the target moved it): its own works say what it holds.
        if (!listed.has(lesson)) listed.set(lesson, homeworkOf(await deps.readLessonWorks(lesson)));
        const there = listed.get(lesson);
        if (!text || op.action === 'delete') {
          out.push(there
            ? { operationId: op.operationId, status: 'refused', reason: 'dnevnik: homework removed at the system of record; the partner API has no route to remove a work (platforms.md §3.4)', retryable: false }
            : { operationId: op.operationId, status: 'unchanged', sourceId: lesson });
          continue;
        }
        if (there) {
          const same = there.text === text && (there.dueDate ?? '') === (dueDate ?? '');
          out.push(same
            ? { operationId: op.operationId, status: 'unchanged', sourceId: lesson }
            : { operationId: op.operationId, status: 'refused', reason: 'dnevnik: the lesson holds another homework; the partner API has no route to change a work (platforms.md §3.4)', retryable: false });
          continue;
        }
        const workType = await deps.workTypeIdOf('homework', school);
        if (workType === undefined) {
          out.push({ operationId: op.operationId, status: 'refused', reason: 'dnevnik: the school\'s work types (work-types/{school}) have none for homework', retryable: false });
          continue;
        }
        try {
          const answer = await deps.createWork(homeworkBody({ lesson, eduGroup: group, subjectId: subject, workType, text, ...(dueDate ? { dueDate } : {}) }));
          createdId(answer, 'id_str', 'homework (work of the lesson)');
        } catch (e) {
          // The platform may have made it though the answer was lost: the next push reads the lesson again.
          held.delete(window.key);
          throw e;
        }
        (await window.homework).set(lesson, { text, ...(dueDate ? { dueDate } : {}) });
        out.push({ operationId: op.operationId, status: 'applied', sourceId: lesson });
      } catch (e) {
        out.push(writeFailure(op.operationId, e));
      }
    }
    return out;
  };
}

/** Each listed lesson's homework. */
function homeworkByLesson(page: LessonPage): Map<string, HeldHomework | undefined> {
  const out = new Map<string, HeldHomework | undefined>();
  for (const l of Array.isArray(page) ? page : []) if (l.id_str) out.set(l.id_str, homeworkOf(l.works ?? []));
  return out;
}

/** A lesson's homework works read as the mapper reads them: texts joined, the first due day. */
function homeworkOf(works: readonly WorkOnLesson[]): HeldHomework | undefined {
  const homework = (Array.isArray(works) ? works : []).filter((w) => w.type === HOMEWORK_WORK_TYPE && w.text?.trim());
  const due = homework.find((w) => w.targetDate)?.targetDate;
  return homework.length ? { text: homework.map((w) => w.text!.trim()).join('\n'), ...(due ? { dueDate: due.slice(0, 10) } : {}) } : undefined;
}

/** The `days`-long window holding `date`, counted from 1970-01-01 so every caller cuts the calendar the same way. */
export function alignedWindow(date: LocalDate, days: number): [LocalDate, LocalDate] {
  const dayNumber = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  const from = addDays('1970-01-01' as LocalDate, dayNumber - (dayNumber % days)) as LocalDate;
  return [from, addDays(from, days - 1) as LocalDate];
}
