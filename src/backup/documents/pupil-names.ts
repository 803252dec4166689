// How the yearly archive's documents name a pupil: «Иванов Пётр», as a paper journal lists pupils. Two
// pupils of one class with the same family and given name get what tells them apart — the patronymic, then the birth
// date, then (neither known) the pupil's id: the printed pages show no id, and two rows «Иванов Иван» with different
// marks could not be traced to a person when a certificate is re-issued from the 25-year summary sheet.
import type { PersonRecord } from '../../model/index.js';
import { pupilName } from './school-year.js';

const dmy = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** Groups ids by `key` and returns those whose key another id shares. */
function clashing(ids: readonly string[], key: (id: string) => string): Set<string> {
  const count = new Map<string, number>();
  for (const id of ids) count.set(key(id), (count.get(key(id)) ?? 0) + 1);
  return new Set(ids.filter((id) => count.get(key(id))! > 1));
}

/**
 * Pupil id → the name the documents print, for the pupils of one class (`ids`): the usual «Фамилия Имя», and for
 * namesakes among them as much more as tells them apart. The same ids give the same names on every run (`--amend`
 * compares bytes).
 */
export function pupilNames(pupils: ReadonlyMap<string, PersonRecord>, ids: Iterable<string>): Map<string, string> {
  const all = [...new Set(ids)];
  const base = (id: string) => pupilName(pupils.get(id), id);
  const withMiddle = (id: string) => [base(id), pupils.get(id)?.middleName?.trim()].filter(Boolean).join(' ');
  const withBirth = (id: string) => [withMiddle(id), pupils.get(id)?.birthDate ? dmy(pupils.get(id)!.birthDate!) : ''].filter(Boolean).join(', ');
  const out = new Map(all.map((id) => [id, base(id)]));
  const namesakes = [...clashing(all, base)];
  for (const id of namesakes) out.set(id, withMiddle(id));
  const stillSame = [...clashing(namesakes, withMiddle)];
  for (const id of stillSame) out.set(id, withBirth(id));
  for (const id of clashing(stillSame, withBirth)) out.set(id, `${withBirth(id)} (${id})`);
  return out;
}

/**
 * The order every document lists a class's pupils in: by the printed name (`names`, from `pupilNames`), then by id.
 * One comparator for the summary sheet's CSV and HTML and the class journal: an archivist compares the CSV with the
 * printed page row by row, which the CSV in id order did not allow.
 */
export function byPupilName(names: ReadonlyMap<string, string>): (a: string, b: string) => number {
  return (a, b) => names.get(a)!.localeCompare(names.get(b)!, 'ru') || a.localeCompare(b);
}
