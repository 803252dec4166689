// Lookups the reports share: names as a journal prints them, the teacher of a section, pupils enrolled during a
// period, an instant's calendar day in the school's zone.
import { enrolledDuring, studentsEnrolledDuring } from '../model/enrolled-during.js';
import type { EnrollmentRecord, PersonRecord } from '../model/records.js';
import type { SchoolData } from './school-data.js';

/** «Фамилия Имя» — the journal's order. A missing person prints its id, never fails the report. */
export function personName(persons: Map<string, PersonRecord>, id: string | undefined): string {
  if (!id) return '—';
  const p = persons.get(id);
  return p ? `${p.familyName} ${p.givenName}` : id;
}

const enrollmentIndex = new WeakMap<SchoolData, Map<string, EnrollmentRecord[]>>();
/** Enrollments of a section or homeroom class; indexed once per loaded school (reports ask per page). */
function enrollmentsOf(data: SchoolData, groupId: string): EnrollmentRecord[] {
  let index = enrollmentIndex.get(data);
  if (!index) {
    index = new Map();
    for (const e of data.enrollments) {
      const list = index.get(e.sectionId);
      if (list) list.push(e);
      else index.set(e.sectionId, [e]);
    }
    enrollmentIndex.set(data, index);
  }
  return index.get(groupId) ?? [];
}

/** Pupils of a section or homeroom class enrolled at any time in [from, to]. */
export function pupilsDuring(data: SchoolData, groupId: string, from: string, to: string): string[] {
  return studentsEnrolledDuring(enrollmentsOf(data, groupId), from, to);
}

/**
 * The teacher whose journal page a section is: its `teacher` enrollment (primary first) during the period,
 * else the scheduled teacher of its lessons — platforms without teacher enrollments still name one per lesson.
 */
export function sectionTeacher(data: SchoolData, sectionId: string, from: string, to: string): string | undefined {
  const teachers = enrollmentsOf(data, sectionId).filter((e) => e.role === 'teacher' && enrolledDuring(e, from, to));
  teachers.sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
  if (teachers.length) return teachers[0].personId;
  return firstScheduledTeacher(data).get(sectionId);
}

const scheduledCache = new WeakMap<SchoolData, Map<string, string>>();
function firstScheduledTeacher(data: SchoolData): Map<string, string> {
  let m = scheduledCache.get(data);
  if (!m) {
    m = new Map();
    for (const l of data.lessons.values()) if (!m.has(l.sectionId)) m.set(l.sectionId, l.scheduledTeacherId);
    scheduledCache.set(data, m);
  }
  return m;
}

/** Calendar day of an instant in a zone; one formatter per zone (Intl formatters are costly to build). */
const formatters = new Map<string, Intl.DateTimeFormat>();
export function localDay(instant: string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(new Date(instant));
}

/** Class title of a section's homeroom, e.g. «5А». */
export function classOfSection(data: SchoolData, sectionId: string): string {
  const s = data.sections.get(sectionId);
  return (s && data.classes.get(s.homeroomClassId)?.title) ?? '—';
}

export function subjectOfSection(data: SchoolData, sectionId: string): string {
  const s = data.sections.get(sectionId);
  return (s && data.subjects.get(s.subjectId)?.title) ?? s?.title ?? '—';
}

/** Russian collation for stable, journal-like ordering; numeric so that «2А» sorts before «10А». */
export const ru = new Intl.Collator('ru', { numeric: true });
