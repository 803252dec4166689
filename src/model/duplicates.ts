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
  const tally = new DuplicateTally();
  for (const page of pages) tally.add(page);
  return tally.differences();
}

/**
 * {@link duplicateDifferences} fed one response at a time, so a read-back need not keep its pages. One flat map keyed by
 * entity, canonical id and platform id, not a map per record: a school-year read back is ~600,000 records.
 */
export class DuplicateTally {
  /** `entity␀canonical id␀platform id` → the most times one response held it */
  private readonly most = new Map<string, number>();

  add(page: readonly CanonicalRecord[]): void {
    const inPage = new Map<string, number>();
    for (const r of page) {
      const key = `${r.entity}\u0000${r.id}\u0000${r.sourceRefs[0]?.sourceId ?? ''}`;
      inPage.set(key, (inPage.get(key) ?? 0) + 1);
    }
    for (const [key, n] of inPage) if (n > (this.most.get(key) ?? 0)) this.most.set(key, n);
  }

  differences(): RecordDifference[] {
    const held = new Map<string, number>();
    for (const [key, n] of this.most) {
      const record = key.slice(0, key.lastIndexOf('\u0000'));
      held.set(record, (held.get(record) ?? 0) + n);
    }
    const out: RecordDifference[] = [];
    for (const [record, n] of held) {
      const [entity, id] = record.split('\u0000') as [CanonicalRecord['entity'], string];
      for (let i = 1; i < n; i++) out.push({ entity, id, kind: 'unexpected', fields: ['duplicate in the target'] });
    }
    return out;
  }
}
