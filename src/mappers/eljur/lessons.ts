// `getdiary` and `getschedule` → sections and lessons (platforms.md §4.3). Days are keyed `YYYYMMDD`,
// items by lesson number. A section is a class × subject (× subgroup `grp`): ЭлЖур names classes and
// subjects rather than numbering them, so the names are the source keys. The class is the one the
// connector asked for (`ids.class`); the school year is `ids.year` (a `getperiods` key).
import * as z from 'zod';
import { lessonId } from '../../model/ids.js';
import { zonedToInstant } from '../../model/dates.js';
import type { CanonicalRecord } from '../../model/records.js';
import { holding, parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import { cellHoldOf, rawCellHold } from '../kit/cell-hold.js';
import * as S from '../../connectors/eljur/schemas.js';
import { isoDate, sectionKey } from './codes.js';
import { idFor, make, resultOf } from './context.js';
import { sectionRecord } from './sections.js';

const Students = z.object({ students: S.dict(z.object({ days: S.dict(z.unknown()) })) });
const ClassDays = z.object({ days: S.dict(z.unknown()) });

/** zone → school day → the day's midnight as a UTC instant. */
const instants = new Map<string, Map<string, string>>();
/** Midnight of a school day as a UTC instant (one Intl call per zone and day). */
export function dayStart(date: string, tz: string): string {
  let days = instants.get(tz);
  if (days === undefined) instants.set(tz, (days = new Map()));
  let v = days.get(date);
  if (v === undefined) {
    if (days.size > 10_000) days.clear();
    days.set(date, (v = zonedToInstant(`${date}T00:00`, tz)));
  }
  return v;
}

const hhmm = (t: string | undefined) => (t && /^\d{1,2}:\d{2}/.test(t) ? t.padStart(5, '0').slice(0, 5) : undefined);

export function mapDays(route: string, payload: unknown, ctx: MapContext): MapResult {
  const result = resultOf(route, payload, ctx.format);
  const where = { platform: 'eljur', route: `${route} result` };
  // `getschedule` with `class=` answers `days` directly; every other form is keyed by pupil.
  const dayLists = result && typeof result === 'object' && 'days' in result
    ? [parsePayload(ClassDays, result, where).days]
    : Object.values(parsePayload(Students, result, where).students).map((s) => s.days);
  const quarantine: QuarantineItem[] = [];
  const records: CanonicalRecord[] = [];
  const cls = ctx.ids.class;
  const year = ctx.ids.year;
  if (!cls || !year) return { records, quarantine: [{ route, reason: 'ids.class and ids.year are required (the class asked for and the school-year period key)' }] };
  const yearId = idFor(ctx, 'academic_session', year);
  const seen = new Set<string>();
  for (const days of dayLists) {
    const parsedDays = parseItems(S.Day, Object.values(days), { route, pathPrefix: 'days', idOf: (d) => (d as { name?: string })?.name });
    // A day that does not read hides no mark or absence the deletes judge: its lessons are not in the read, and marks
    // and absences come with getmarks, not the diary (sync/partial-read.ts).
    quarantine.push(...holding(parsedDays.quarantine, 'none'));
    for (const d of parsedDays.ok) {
      const date = isoDate(d.name);
      // The same lesson shows in every pupil's diary of a class page: validate and map it once.
      const fresh = Object.values(d.items).filter((i) => {
        const lid = (i as { lesson_id?: unknown } | null)?.lesson_id;
        return typeof lid !== 'string' && typeof lid !== 'number' ? true : !seen.has(String(lid));
      });
      // A lesson that could not be mapped is not in the read, so none of its marks is judged: its line holds the lesson only.
      const items = parseItems(S.DayItem, fresh, { route, pathPrefix: `days.${d.name}.items`, idOf: (i) => String((i as { lesson_id?: unknown })?.lesson_id ?? ''), holdsOf: (i, failed) => rawCellHold(ctx, i, { lesson: 'lesson_id' }, failed) });
      quarantine.push(...items.quarantine);
      for (const it of items.ok) {
        if (seen.has(it.lesson_id)) continue;
        seen.add(it.lesson_id);
        const key = sectionKey(cls, it.name, it.grp);
        const sectionId = idFor(ctx, 'section', key);
        if (!seen.has(key)) {
          seen.add(key);
          records.push(sectionRecord(ctx, cls, it.name, it.grp, yearId));
        }
        if (!it.teacher_id) {
          quarantine.push({ route, sourceId: it.lesson_id, field: 'teacher_id', reason: 'lesson without teacher_id: the teacher is known only by name', holds: cellHoldOf(ctx, undefined, it.lesson_id) });
          continue;
        }
        const teacher = idFor(ctx, 'person', it.teacher_id);
        const hw = Object.values(it.homework ?? {}).map((h) => h.value).filter((v): v is string => !!v);
        records.push(make(ctx, 'lesson', lessonId(sectionId, date, it.num), 'lesson', it.lesson_id, {
          sectionId, date, lessonNumber: it.num, startTime: hhmm(it.starttime), endTime: hhmm(it.endtime), topic: it.topic,
          homework: hw.length ? { text: hw.join('\n'), notAssigned: false, attachments: [] } : undefined,
          scheduledTeacherId: teacher, subgroup: it.grp, lessonStatus: 'held',
          // Not carried (docs/platforms/eljur.md): when and by whom the lesson was recorded.
          recordedAt: dayStart(date, ctx.timeZone), recordedBy: teacher,
        }));
      }
    }
  }
  return { records, quarantine };
}
