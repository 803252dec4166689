// Persons no platform would rewrite any more. A platform that is not the system of record writes only a record it wrote
// itself (roster-sync.ts ownOrNew): a person stays as the platform that wrote it last left it. When that platform no
// longer stands for the person — `review split` took its record off (split-person.ts) — it reads the person no more,
// and nothing rewrote the person again: the split-off record's name stayed on it for good.
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

/**
 * Active persons whose writer no longer stands for them: the platform instance that wrote them last has no open link to
 * them (`review split` took its record off: split-person.ts). Nothing else would ever rewrite such a person — that
 * platform reads it no more, and another writes only what it wrote — so the split-off record's name stayed on it for
 * good; a platform still linked to it may write it instead. Tombstones are left alone (a write would bring one back),
 * and so are the gateway's own writes (a review merge, a login): no link of theirs is ever open.
 */
export async function orphanedPersons(others: readonly CanonicalRecord[], store: Store): Promise<Set<string>> {
  const byWriter = new Map<string, { system: string; instance: string; ids: string[] }>();
  for (const old of others) {
    // A platform's write only: the gateway's own (a review merge, a login) has no link to lose, and is not orphaned.
    if (old.entity !== 'person' || old.status !== 'active' || old.provenance.system === 'gateway') continue;
    const key = `${old.provenance.system}|${old.provenance.instance}`;
    (byWriter.get(key) ?? byWriter.set(key, { system: old.provenance.system, instance: old.provenance.instance, ids: [] }).get(key)!).ids.push(old.id);
  }
  const out = new Set<string>();
  for (const { system, instance, ids } of byWriter.values()) {
    const linked = await store.sourceIdsFor(system, instance, 'person', ids);
    for (const id of ids) if (!linked.has(id)) out.add(id);
  }
  return out;
}
