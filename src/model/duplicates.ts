// Records a target holds twice: the comparison (compare.ts) keys both sides by canonical id, so a second target record
// mapping onto the same id (a mark written twice into one cell, an absence loaded twice into one lesson) would pass as
// "present". One rule for the migration's read-back and the ЭлЖур import verification.
import type { RecordDifference } from './compare.js';
import type { CanonicalRecord } from './records.js';

/**
 * One `unexpected` difference per extra target record standing for a canonical record another already stands for.
 * `pages` are the read's responses in order. A record read again under the same platform id in another response is a
 * page overlap, not a duplicate; the same platform id twice in one response is two records (ЭлЖур gives both absences
 * of a pupil in one lesson the id `<lesson>:<pupil>`, so only the count within one response tells them apart).
 */
export function duplicateDifferences(pages: Iterable<readonly CanonicalRecord[]>): RecordDifference[] {
  // canonical id → platform id → the most times one response held it
  const most = new Map<string, Map<string, number>>();
  const entityOf = new Map<string, CanonicalRecord['entity']>();
  for (const page of pages) {
    const inPage = new Map<string, Map<string, number>>();
    for (const r of page) {
      const own = r.sourceRefs[0]?.sourceId ?? '';
      const byOwn = inPage.get(r.id) ?? inPage.set(r.id, new Map()).get(r.id)!;
      byOwn.set(own, (byOwn.get(own) ?? 0) + 1);
      entityOf.set(r.id, r.entity);
    }
    for (const [id, byOwn] of inPage) {
      const seen = most.get(id) ?? most.set(id, new Map()).get(id)!;
      for (const [own, n] of byOwn) if (n > (seen.get(own) ?? 0)) seen.set(own, n);
    }
  }
  const out: RecordDifference[] = [];
  for (const [id, byOwn] of most) {
    let held = 0;
    for (const n of byOwn.values()) held += n;
    for (let i = 1; i < held; i++) out.push({ entity: entityOf.get(id)!, id, kind: 'unexpected', fields: ['duplicate in the target'] });
  }
  return out;
}
