// A platform without a slot field (АСУ РСО) numbers a pupil's two marks on a lesson in its column order. When
// they are on two different works, the system of record's order can be the other one — one pupil entered the oral
// answer first, another the homework — and no column order holds both. Read back, such a pair came out with the two
// canonical ids swapped: each mark "different" from the store (a 300-pupil demo counted 202 on АСУ РСО), a conflict
// opened for each by every journal sync of the platform, and a crosswalk clash for each cell the push had linked.
// Nothing is lost there — each work holds its own mark — so a read of such a platform that is not the system of
// record keeps the store's order: the pair is renumbered when the store holds the same two works the other way round.
import { businessFields, buildRecord, type CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

type Mark = Extract<CanonicalRecord, { entity: 'mark' }>;

/**
 * `records` with every pupil's pair of marks on a lesson — slots 1 and 2, on different works — whose works the store
 * holds in the other order renumbered to the store's order (ids and slots swapped). Returns how many marks moved.
 */
export async function inStoredSlotOrder(store: Pick<Store, 'getMany'>, records: CanonicalRecord[]): Promise<number> {
  const cells = new Map<string, { index: number; mark: Mark }[]>();
  records.forEach((r, index) => {
    if (r.entity !== 'mark' || (r.slot !== 1 && r.slot !== 2)) return;
    const k = `${r.studentId}|${r.lessonId}`;
    (cells.get(k) ?? cells.set(k, []).get(k)!).push({ index, mark: r });
  });
  const pairs = [...cells.values()].filter((c) => c.length === 2 && c[0].mark.slot !== c[1].mark.slot && c[0].mark.workId !== c[1].mark.workId);
  if (pairs.length === 0) return 0;
  const stored = await store.getMany(pairs.flatMap((c) => c.map((x) => x.mark.id)));
  let moved = 0;
  for (const [a, b] of pairs) {
    const sa = stored.get(a.mark.id) as Mark | undefined;
    const sb = stored.get(b.mark.id) as Mark | undefined;
    if (!sa || !sb || sa.status === 'deleted' || sb.status === 'deleted') continue;
    if (sa.workId !== b.mark.workId || sb.workId !== a.mark.workId) continue;
    records[a.index] = renumbered(a.mark, b.mark);
    records[b.index] = renumbered(b.mark, a.mark);
    moved += 2;
  }
  return moved;
}

/** `m` under the id and slot of `other` (a retake names a mark of the same work: never one of such a pair). */
function renumbered(m: Mark, other: Mark): Mark {
  return buildRecord('mark', { ...businessFields(m), slot: other.slot } as never, {
    id: other.id, status: m.status, sourceRefs: m.sourceRefs, provenance: m.provenance, ...(m.ext ? { ext: m.ext } : {}),
  }) as Mark;
}
