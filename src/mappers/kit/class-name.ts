// Grade and letter of a class from its title, for platforms that name classes rather than number them (ЭлЖур's `5А`)
// or give the grade only inside the title (АСУ РСО's class filter): `5А`, `10 Б`, `11-В`. One rule, so the same
// class title gives the same grade and letter, and so the same natural key, whichever platform it came from.

/** `{ gradeLevel 1…11, letter }`, or undefined when the title does not start with a grade 1…11. */
export function classNameParts(title: string): { gradeLevel: number; letter: string } | undefined {
  const m = /^(\d{1,2})\s*-?\s*(.*)$/.exec(title.trim());
  const gradeLevel = m ? Number(m[1]) : NaN;
  if (!m || gradeLevel < 1 || gradeLevel > 11) return undefined;
  return { gradeLevel, letter: m[2] || title };
}
