// Compares two sets of canonical records by id and content hash: the reconciliation used by the
// platform end-to-end tests, migration (DECISIONS.md §7) and the ЭлЖур import verification.
// A platform that cannot carry some business fields compares a projection and names what it leaves out.
import type { EntityName } from './enums.js';
import { canonicalJsonOf } from './hash.js';
import { businessFields, projectionJson, type CanonicalRecord } from './records.js';

export interface CompareOptions {
  /** Only these entities are compared (default: every entity seen on either side). */
  entities?: readonly EntityName[];
  /** Business fields a platform cannot carry, per entity: left out of both sides before hashing. */
  ignoreFields?: Partial<Record<EntityName, readonly string[]>>;
  /** Tombstones are compared too unless false. */
  includeDeleted?: boolean;
}

export interface RecordDifference {
  entity: EntityName;
  id: string;
  kind: 'missing' | 'unexpected' | 'different';
  /** For `different`: the business fields whose values differ. */
  fields?: string[];
}

export interface CompareReport {
  compared: Record<string, { expected: number; actual: number; equal: number }>;
  differences: RecordDifference[];
}

/**
 * The canonical JSON of a record's business fields without `ignore` (a tombstone marked as one): what a comparison
 * compares. Its SHA-256 is the content hash of that projection; the texts are compared, not the hashes.
 */
export function projectedJson(record: CanonicalRecord, ignore: readonly string[] = []): string {
  const whole = record as unknown as Record<string, unknown>;
  if (record.status !== 'deleted') return projectionJson(whole, ignore);
  const fields = businessFields(whole);
  for (const f of ignore) delete fields[f];
  fields.__deleted = true;
  return canonicalJsonOf(fields);
}

export function compareRecords(expected: Iterable<CanonicalRecord>, actual: Iterable<CanonicalRecord>, opts: CompareOptions = {}): CompareReport {
  const comparison = new Comparison(expected, opts);
  for (const r of actual) comparison.add(r);
  return comparison.report();
}

/**
 * {@link compareRecords} fed one record at a time: a read-back compares each page as it is mapped and keeps only each
 * id's verdict, not the records (a school-year is ~600,000 of them, held twice over before). A record given again
 * under the same id replaces the earlier copy's verdict, in the place the id was first given — as the last copy in a
 * map by id would be compared.
 */
export class Comparison {
  private readonly left = new Map<string, CanonicalRecord>();
  /** Per id given: its entity when equal (no object per record: a school-year is ~600,000 verdicts), else its difference. */
  private readonly verdicts = new Map<string, EntityName | RecordDifference>();
  private readonly wanted: ReadonlySet<string> | null;

  constructor(expected: Iterable<CanonicalRecord>, private readonly opts: CompareOptions = {}) {
    this.wanted = opts.entities ? new Set<string>(opts.entities) : null;
    for (const r of expected) if (this.keep(r)) this.left.set(r.id, r);
  }

  private keep(r: CanonicalRecord): boolean {
    return (!this.wanted || this.wanted.has(r.entity)) && (this.opts.includeDeleted !== false || r.status !== 'deleted');
  }

  add(r: CanonicalRecord): void {
    if (!this.keep(r)) return;
    const e = this.left.get(r.id);
    if (!e || e.entity !== r.entity) {
      this.verdicts.set(r.id, { entity: r.entity, id: r.id, kind: 'unexpected' });
      return;
    }
    const ignore = this.opts.ignoreFields?.[r.entity] ?? [];
    this.verdicts.set(r.id, projectedJson(e, ignore) === projectedJson(r, ignore)
      ? r.entity
      : { entity: r.entity, id: r.id, kind: 'different', fields: differingFields(e, r, ignore) });
  }

  report(): CompareReport {
    const compared: CompareReport['compared'] = {};
    const bucket = (e: string) => (compared[e] ??= { expected: 0, actual: 0, equal: 0 });
    for (const r of this.left.values()) bucket(r.entity).expected++;
    const differences: RecordDifference[] = [];
    for (const verdict of this.verdicts.values()) {
      const equal = typeof verdict === 'string';
      const c = bucket(equal ? verdict : verdict.entity);
      c.actual++;
      if (equal) c.equal++;
      else differences.push(verdict);
    }
    for (const [id, r] of this.left) if (!this.verdicts.has(id)) differences.push({ entity: r.entity, id, kind: 'missing' });
    return { compared, differences };
  }
}

function differingFields(a: CanonicalRecord, b: CanonicalRecord, ignore: readonly string[]): string[] {
  const fa = businessFields(a);
  const fb = businessFields(b);
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  const out: string[] = [];
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    if (canonicalJsonOf({ v: fa[k] }) !== canonicalJsonOf({ v: fb[k] })) out.push(k);
  }
  if (a.status !== b.status && (a.status === 'deleted' || b.status === 'deleted')) out.push('status');
  return out.sort();
}
