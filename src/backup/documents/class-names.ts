// How the yearly archive names a homeroom class to a person (R-31): an operator reading `backup archive`, a school
// secretary opening the medium years later. By its title («5А»), not its UUID; the id is added only where another
// class of the same school year has the same title (a class re-formed under its old name), and only then, so the
// name of a class does not change with an unrelated class.
import { translit } from '../../infra/translit.js';
import type { HomeroomClassRecord } from '../../model/index.js';

type Named = Pick<HomeroomClassRecord, 'id' | 'title' | 'gradeLevel' | 'letter'>;

/** «5А»: the class's title, or its grade and letter where a platform gave none. */
export const classTitle = (c: Pick<Named, 'title' | 'gradeLevel' | 'letter'>) => c.title || `${c.gradeLevel}${c.letter}`;

/** Whether another class of `classes` (one school year's) has the title of `c`. */
const sharesTitle = (c: Named, classes: readonly Named[]) => classes.some((o) => o.id !== c.id && classTitle(o) === classTitle(c));

/** «5А», or «5А (<id>)» where another class of `classes` (one school year's) has the same title. */
export const className = (c: Named, classes: readonly Named[]) => (sharesTitle(c, classes) ? `${classTitle(c)} (${c.id})` : classTitle(c));

/**
 * A title as part of a file name, in what a manifest allows a path to hold (`[a-z0-9_-]`, src/backup/manifest.ts): «5А»
 * is `5a`, «10 «Б» (профиль)» `10_b_profil`. Transliterated rather than kept in Cyrillic: every verifier of manifest
 * format 1 — an older gateway at a second site included — reads the archive, and no file system or copy tool on the way
 * (a NAS normalising to NFD, a case-insensitive FAT/exFAT disk, an archiver) can change a name the manifest lists.
 * The title itself is in the documents. Never empty, at most 60 characters.
 */
function fileSafe(s: string): string {
  const safe = translit(s.normalize('NFC'), (ch) => (ch === '-' ? '-' : '_')).replace(/_+/g, '_').slice(0, 60).replace(/^[-_]+|[-_]+$/g, '');
  return safe || 'class';
}

/**
 * The class journal's file name without its extension: `class-journal-5a` («5А»), or `class-journal-5a-<id>` where another
 * class of `classes` has the same title. The same on every run (an `--amend` run compares the files by name and bytes).
 */
export const classJournalFileStem = (c: Named, classes: readonly Named[]) =>
  `class-journal-${fileSafe(classTitle(c))}${sharesTitle(c, classes) ? `-${c.id.toLowerCase()}` : ''}`;
