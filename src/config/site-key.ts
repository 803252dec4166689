// R-33 compares the rooms and media the operator names in backup.destinations. They are the operator's words: one room
// written «Серверная, каб. 101» in one entry and «серверная, каб.101» in the other is one room, and two copies there
// burn in one fire. Compared by this key: case, spacing and ё/е do not make two rooms (or two media).

/** The name as R-33 compares it: NFC, lower case, «ё» as «е», no whitespace. */
export const siteKey = (name: string): string =>
  name.normalize('NFC').toLocaleLowerCase('ru').replaceAll('ё', 'е').replace(/\s+/g, '');

/** How many different rooms (or media) `names` are, by siteKey. */
export const distinctSites = (names: readonly string[]): number => new Set(names.map(siteKey)).size;
