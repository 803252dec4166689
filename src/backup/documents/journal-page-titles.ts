// the title of each page (section) of a class journal. A subject taught in groups (English split into two
// subgroups) is two sections of one subject in one class; titled by the subject alone, the printed journal had two
// «Английский язык» pages no one could tell apart. A page that shares its subject with another is named by what tells
// them apart, in this order: the subgroup (canonical-model.md §A.2.8 `subgroup`), the section's own title where the
// platform gave each group its own, a number. The teacher is not used: the archive reads pupils' enrollments only.
import type { SectionRecord } from '../../model/index.js';
import { sectionTitle, type SchoolYear } from './school-year.js';

/** «1» → «подгруппа 1»; a platform's own wording («1 группа», «девочки») as it is. */
const subgroupName = (g: string) => (/^\d+$/.test(g.trim()) ? `подгруппа ${g.trim()}` : g.trim());

/** Each candidate's names for a group of sections of one subject, or undefined when they do not tell every page apart. */
const distinct = (names: (string | undefined)[]) => (names.every((n) => n) && new Set(names).size === names.length ? names as string[] : undefined);

/** Section id → its page title: the subject («Алгебра»), or the subject and what tells it apart («Английский язык (1 группа)»). */
export function journalPageTitles(y: SchoolYear, sections: readonly SectionRecord[]): Map<string, string> {
  const bySubject = new Map<string, SectionRecord[]>();
  for (const s of sections) {
    const subject = sectionTitle(y, s);
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), s]);
  }
  const titles = new Map<string, string>();
  for (const [subject, group] of bySubject) {
    if (group.length === 1) {
      titles.set(group[0].id, subject);
      continue;
    }
    // In id order, so a number stays the same from one run to the next (an --amend run compares bytes).
    const ordered = [...group].sort((a, b) => a.id.localeCompare(b.id));
    const apart = distinct(ordered.map((s) => (s.subgroup?.trim() ? subgroupName(s.subgroup) : undefined)))
      ?? distinct(ordered.map((s) => (s.title.trim() && s.title.trim() !== subject ? s.title.trim() : undefined)))
      ?? ordered.map((_, i) => `группа ${i + 1}`);
    ordered.forEach((s, i) => titles.set(s.id, `${subject} (${apart[i]})`));
  }
  return titles;
}
