// How the class journal's year of lesson columns is cut into sheets. A subject has 35–200 lessons a year; one
// table of them all was ~100 columns wide and a printed page lost everything from December on off its right edge.
// A4 landscape less the page's 12 mm margins is 273 mm (1,031 CSS px): the № column, a pupil's name at 10 pt (a long one,
// «Константинопольская Александра», ~200 px; the column does not wrap) and date columns of ~37 px each («01.09» in bold
// 10 pt with its padding, measured in Chromium; a cell of several marks wraps at its spaces). MAX_DATES_PER_SHEET
// columns leave room for a name of about 40 characters at full size (test/backup/class-journal-print.test.ts lays it
// out in Chromium); beyond that a browser's shrink-to-fit on printing (Chromium: up to 1/1.33) still keeps the sheet.

export const MAX_DATES_PER_SHEET = 20;

/**
 * `lessons` (in date order) cut into the fewest blocks of at most `max`, as even as they can be (101 lessons and 20 a
 * sheet: 6 sheets of 17 or 16, not five full ones and a sheet for one lesson), in the same order; no lessons, no blocks.
 */
export function dateBlocks<T>(lessons: readonly T[], max = MAX_DATES_PER_SHEET): T[][] {
  if (!Number.isInteger(max) || max < 1) throw new Error(`dateBlocks: max must be a positive integer, got ${max}`);
  const sheets = Math.ceil(lessons.length / max);
  const blocks: T[][] = [];
  // The first (length mod sheets) blocks take one more.
  for (let i = 0, from = 0; i < sheets; i++) {
    const size = Math.floor(lessons.length / sheets) + (i < lessons.length % sheets ? 1 : 0);
    blocks.push(lessons.slice(from, from + size));
    from += size;
  }
  return blocks;
}
