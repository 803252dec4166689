// The names of the homeroom classes archive snapshots belong to, for what the CLI prints (`backup archive`, `backup
// archive --check`, `backup list`): «5А», with the id only where another class of that school year has the same title
// (documents/class-names.ts). Read from the store's class records, so a snapshot made before the names were printed
// is named the same way.
import type { HomeroomClassRecord } from '../model/index.js';
import type { CanonicalStore } from '../store/index.js';
import { className } from './documents/class-names.js';

/** Class id → its name; an id the store has no class for stays as it is. */
export async function classNamesOf(store: CanonicalStore, ids: readonly (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== undefined))];
  const names = new Map(wanted.map((id) => [id, id]));
  if (!wanted.length) return names;
  const found = [...(await store.getMany(wanted)).values()].filter((r): r is HomeroomClassRecord => r.entity === 'homeroom_class');
  const yearOf = (c: HomeroomClassRecord) => `${c.organizationId}|${c.academicYearId}`;
  const years = new Set(found.map(yearOf));
  // The classes of those school years (a duplicate merged into another is no class of its own: as the archive reads them).
  const siblings = new Map<string, HomeroomClassRecord[]>();
  // Their schools' classes only (the organization index), not the region's.
  for (const organizationId of new Set(found.map((c) => c.organizationId))) {
    for await (const r of store.iterate('homeroom_class', { organizationId })) {
      const c = r as HomeroomClassRecord;
      if (!years.has(yearOf(c)) || (c.status === 'deleted' && (c as { deleteReason?: string }).deleteReason === 'merged')) continue;
      siblings.set(yearOf(c), [...(siblings.get(yearOf(c)) ?? []), c]);
    }
  }
  for (const c of found) names.set(c.id, className(c, siblings.get(yearOf(c)) ?? [c]));
  return names;
}
