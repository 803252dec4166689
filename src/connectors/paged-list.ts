// A `page`/`per_page` list read page after page, with no snapshot or cursor (ЭПОС, docs/platforms/epos.md "Paging
// while the list changes"). A record deleted on a page already read moves the first record of the next page onto
// that page, where no request looks any more: the read misses a record that was never deleted, and the system of
// record's journal deletes would tombstone it (and the push delete it from the targets). Such a read cannot tell that
// miss from a deletion; it can tell that its list shifted, and then its misses are not deletes (BatchContext.partial).

/** Why a read whose list shifted is partial (the run summary's `deletesRefused` names it). */
export const LIST_SHIFTED = 'the list changed between two of its page requests';

export interface PagedList {
  /** Every page's answer as received, in order. */
  pages: unknown[];
  /** Set when a record before a page boundary went or came while the read was past it: a record may have been skipped. */
  shifted?: typeof LIST_SHIFTED;
}

/**
 * Every page of a list, stopping at a short page. With `checkBoundaries`, after each page past the first the last
 * record of the page before is asked for again alone (`per_page` 1): a record deleted before that boundary since the
 * page was read puts another record there. Only a list of more than one page pays — one one-record request per
 * boundary, not a second read of every page — and a list that did not change reads exactly as before.
 */
export async function readPagedList(get: (page: number, perPage: number) => Promise<unknown>, perPage: number, opts: { checkBoundaries?: boolean } = {}): Promise<PagedList> {
  const pages: unknown[] = [];
  let shifted = false;
  for (let page = 1; ; page++) {
    const data = await get(page, perPage);
    pages.push(data);
    const before = pages.at(-2);
    if (opts.checkBoundaries && !shifted && Array.isArray(before) && before.length > 0) {
      // Page `page - 1` ends at position (page - 1) × perPage: with per_page 1 that is page number (page - 1) × perPage.
      const now = await get((page - 1) * perPage, 1);
      shifted = !Array.isArray(now) || now.length !== 1 || idOf(now[0]) !== idOf(before.at(-1));
    }
    if (!Array.isArray(data) || data.length < perPage) return shifted ? { pages, shifted: LIST_SHIFTED } : { pages };
  }
}

/** A record's identity for the boundary check: its `id` (a record edited in place has not moved), else all of it. */
function idOf(x: unknown): string {
  const id = (x as { id?: unknown } | null)?.id;
  return JSON.stringify(id ?? x);
}
