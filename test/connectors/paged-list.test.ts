// readPagedList (src/connectors/paged-list.ts): a list that changes between two page requests is reported as
// shifted; one that does not reads exactly as before, and a list of one page costs no boundary check.
import { describe, expect, it } from 'vitest';
import { LIST_SHIFTED, readPagedList } from '../../src/connectors/paged-list.js';

/** A list served by `page`/`per_page`, with a hook run before each request is answered. */
function served(list: { id: number }[], before?: (page: number, perPage: number) => void) {
  const asked: [number, number][] = [];
  const get = async (page: number, perPage: number) => {
    asked.push([page, perPage]);
    before?.(page, perPage);
    return list.slice((page - 1) * perPage, page * perPage);
  };
  return { get, asked };
}
const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));

describe('readPagedList', () => {
  it('a list that does not change: every record, not shifted, one one-record check per page boundary', async () => {
    const { get, asked } = served(ids(25));
    const r = await readPagedList(get, 10, { checkBoundaries: true });
    expect(r.shifted).toBeUndefined();
    expect(r.pages.flat()).toEqual(ids(25));
    expect(asked).toEqual([[1, 10], [2, 10], [10, 1], [3, 10], [20, 1]]);
  });

  it('a list of one page asks for it alone', async () => {
    const { get, asked } = served(ids(7));
    expect((await readPagedList(get, 10, { checkBoundaries: true })).shifted).toBeUndefined();
    expect(asked).toEqual([[1, 10]]);
  });

  it('a record of page 1 deleted before page 2 is asked for: shifted (record 11 was on no page read)', async () => {
    const list = ids(25);
    const { get } = served(list, (page, perPage) => { if (page === 2 && perPage === 10 && list[2].id === 3) list.splice(2, 1); });
    const r = await readPagedList(get, 10, { checkBoundaries: true });
    expect(r.pages.flat()).not.toContainEqual({ id: 11 });
    expect(r.shifted).toBe(LIST_SHIFTED);
  });

  it('without checkBoundaries: the pages only, as before', async () => {
    const { get, asked } = served(ids(25));
    expect((await readPagedList(get, 10)).pages).toHaveLength(3);
    expect(asked).toEqual([[1, 10], [2, 10], [3, 10]]);
  });
});
