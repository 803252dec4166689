// (entity, platform id) → canonical id, one map per entity. Resolvers are asked three or four times per mapped
// record; a joined `entity|id` key had to be built and hashed on every ask, while a platform id string from a
// payload is hashed once and keeps its hash for the next map it is looked up in.
import type { EntityName } from '../model/enums.js';

export class IdTable {
  private readonly byEntity = new Map<string, Map<string, string>>();

  get(entity: EntityName | string, sourceId: string): string | undefined {
    return this.byEntity.get(entity)?.get(sourceId);
  }

  set(entity: EntityName | string, sourceId: string, id: string): void {
    let ids = this.byEntity.get(entity);
    if (ids === undefined) this.byEntity.set(entity, (ids = new Map()));
    ids.set(sourceId, id);
  }

  /** A table of `entity|platformId` → canonical id entries (the crosswalk's exchange format). */
  static fromJoined(entries: Iterable<readonly [string, string]>): IdTable {
    const t = new IdTable();
    for (const [key, id] of entries) {
      const [entity, sourceId] = splitJoinedKey(key);
      t.set(entity, sourceId, id);
    }
    return t;
  }
}

/** `entity|platformId` → its two parts (a platform id may itself contain `|`). */
export function splitJoinedKey(key: string): [string, string] {
  const bar = key.indexOf('|');
  return [key.slice(0, bar), key.slice(bar + 1)];
}
