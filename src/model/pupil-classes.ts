// A pupil's homeroom class from the enrollments a platform gives. Most list pupils as members of their class;
// ЭПОС lists them as members of groups (sections) only, so there the class is the one most of their groups belong
// to. One rule for every place that needs it (the ЭлЖур import package, its read-back and its identity matching).
import type { CanonicalRecord } from './records.js';

/** Pupil id → homeroom class id: a class enrollment first, else the class of most of their sections (ties: the lower id). */
export function pupilClassIds(records: Iterable<CanonicalRecord>): Map<string, string> {
  const classOfSection = new Map<string, string>();
  const classes = new Set<string>();
  const enrollments: { personId: string; sectionId: string }[] = [];
  for (const r of records) {
    if (r.status === 'deleted') continue;
    if (r.entity === 'homeroom_class') classes.add(r.id);
    else if (r.entity === 'section') classOfSection.set(r.id, r.homeroomClassId);
    else if (r.entity === 'enrollment' && r.role === 'student') enrollments.push(r);
  }
  const out = new Map<string, string>();
  const tallies = new Map<string, Map<string, number>>();
  for (const e of enrollments) {
    if (classes.has(e.sectionId)) out.set(e.personId, e.sectionId);
    const cls = classOfSection.get(e.sectionId);
    if (cls === undefined || !classes.has(cls)) continue;
    const t = tallies.get(e.personId) ?? tallies.set(e.personId, new Map()).get(e.personId)!;
    t.set(cls, (t.get(cls) ?? 0) + 1);
  }
  for (const [person, t] of tallies) {
    if (!out.has(person)) out.set(person, [...t].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]);
  }
  return out;
}
