// What the final-marks mapper needs to place one pupil's report (src/mappers/asurso/finals.ts): the report names
// subjects and periods by title only. Built per class from the teacher routes the read already makes.
import * as z from 'zod';
import { parsePayload } from '../mapping.js';
import type { ReportPeriod } from '../../mappers/asurso/finals.js';
import { StudentListItem, type SubjectGroup, type Term } from './teacher-api.js';

export interface ClassFinals {
  classId: string;
  /** JSON {subject group id: its (first) teacher}: who set a final mark is not in the report. */
  teachers: string;
  /** The class's terms as the report's columns title them. */
  periods: ReportPeriod[];
  /** Per pupil: JSON {subject name: the pupil's subject group}. */
  pupils: { studentId: string; sg: string }[];
}

interface ClassInput {
  classId: string;
  groups: readonly SubjectGroup[];
  pupils: readonly z.infer<typeof StudentListItem>[];
  /** Every term of the class (not only those of the window: finals of earlier terms stay readable). */
  terms: readonly Term[];
  /** `grade/studentList?sgId=` payload of a subject group (cached by the caller). */
  sgPupils: (sgId: number) => Promise<unknown>;
}

export async function finalsOfClass(c: ClassInput): Promise<ClassFinals> {
  const bySubject = new Map<string, SubjectGroup[]>();
  for (const g of c.groups) bySubject.set(g.subjectName, [...(bySubject.get(g.subjectName) ?? []), g]);
  // Where a subject is split into groups (subgroups), the group lists say which pupil is in which.
  const members = new Map<number, Set<number>>();
  for (const list of bySubject.values()) {
    if (list.length < 2) continue;
    for (const g of list) {
      const pupils = parsePayload(z.array(StudentListItem), await c.sgPupils(g.id), { platform: 'asurso', route: 'grade/studentList' });
      members.set(g.id, new Set(pupils.map((p) => p.id)));
    }
  }
  const teachers: Record<string, number> = {};
  for (const g of c.groups) if (g.teachers[0]) teachers[String(g.id)] = g.teachers[0].id;
  return {
    classId: c.classId,
    teachers: JSON.stringify(teachers),
    periods: c.terms.map((t) => [t.name, String(t.id), t.termType, t.endDate.slice(0, 10)]),
    pupils: c.pupils.map((p) => {
      const sg: Record<string, number> = {};
      for (const [subject, list] of bySubject) {
        const g = list.length === 1 ? list[0] : list.find((x) => members.get(x.id)?.has(p.id));
        if (g) sg[subject] = g.id;
      }
      return { studentId: String(p.id), sg: JSON.stringify(sg) };
    }),
  };
}
