// Compares two sets of canonical records by id and content hash: the reconciliation used by the
// platform end-to-end tests, migration (DECISIONS.md §7) and the ЭлЖур import verification.
// A platform that cannot carry some business fields compares a projection and names what it leaves out.
import type { EntityName } from './enums.js';
import { contentHashOf } from './hash.js';
import { businessFields, projectionHash, type CanonicalRecord } from './records.js';

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

export function projectedHash(record: CanonicalRecord, ignore: readonly string[] = []): string {
  const whole = record as unknown as Record<string, unknown>;
  if (record.status !== 'deleted') return projectionHash(whole, ignore);
  const fields = businessFields(whole);
  for (const f of ignore) delete fields[f];
  fields.__deleted = true;
  return contentHashOf(fields);
}

export function compareRecords(expected: Iterable<CanonicalRecord>, actual: Iterable<CanonicalRecord>, opts: CompareOptions = {}): CompareReport {
  const wanted = opts.entities ? new Set<string>(opts.entities) : null;
  const keep = (r: CanonicalRecord) => (!wanted || wanted.has(r.entity)) && (opts.includeDeleted !== false || r.status !== 'deleted');
  const left = new Map<string, CanonicalRecord>();
  for (const r of expected) if (keep(r)) left.set(r.id, r);
  const compared: CompareReport['compared'] = {};
  const bucket = (e: string) => (compared[e] ??= { expected: 0, actual: 0, equal: 0 });
  for (const r of left.values()) bucket(r.entity).expected++;
  const differences: RecordDifference[] = [];
  const seen = new Set<string>();
  for (const r of actual) {
    if (!keep(r)) continue;
    bucket(r.entity).actual++;
    seen.add(r.id);
    const e = left.get(r.id);
    if (!e || e.entity !== r.entity) {
      differences.push({ entity: r.entity, id: r.id, kind: 'unexpected' });
      continue;
    }
    const ignore = opts.ignoreFields?.[r.entity] ?? [];
    if (projectedHash(e, ignore) === projectedHash(r, ignore)) bucket(r.entity).equal++;
    else differences.push({ entity: r.entity, id: r.id, kind: 'different', fields: differingFields(e, r, ignore) });
  }
  for (const [id, r] of left) if (!seen.has(id)) differences.push({ entity: r.entity, id, kind: 'missing' });
  return { compared, differences };
}

function differingFields(a: CanonicalRecord, b: CanonicalRecord, ignore: readonly string[]): string[] {
  const fa = businessFields(a);
  const fb = businessFields(b);
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  const out: string[] = [];
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    if (contentHashOf({ v: fa[k] }) !== contentHashOf({ v: fb[k] })) out.push(k);
  }
  if (a.status !== b.status && (a.status === 'deleted' || b.status === 'deleted')) out.push('status');
  return out.sort();
}
