// Records in the plain string order of their ids (what `a.id < b.id` gives), for files that must come out the same
// from the same store. A school-year is ~1,000,000 records; one comparison sort of them took 2–4 s. Grouped first by
// their ids' first three characters, each group is small, and groups in order of their keys are in the ids' order:
// a key orders every id it starts before any id starting with a later key, and an id shorter than three characters
// is the key of its own group, which sorts before every longer id it begins.

const KEY_LENGTH = 3;
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function sortedById<T extends { id: string }>(records: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const r of records) {
    const key = r.id.slice(0, KEY_LENGTH);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const out: T[] = [];
  // The default sort compares UTF-16 code units, as `<` on strings does.
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!.sort(byId);
    for (const r of group) out.push(r);
  }
  return out;
}
