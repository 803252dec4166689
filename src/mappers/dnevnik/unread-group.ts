// `edu-groups/{id}`: a group's own answer is read for context only (its type and parent class, year-groups.ts) and maps
// to nothing. A group of last year the platform refused (a plain 403 or 404) comes as this route with the refusal in
// the page's ids (`refused`: the status, `refusedType`: the platform's error type; connectors/dnevnik/unread-groups.ts):
// one quarantine item naming the group by id, so the run says it was not read. Ids only: the group's name is not known.
// A group of that year whose id the platform kept into a later year is not asked for at all (year-groups.ts
// keptGroupsNotRead): it comes as this route with `kept` in the page's ids, and is quarantined the same way.
import { emptyMapResult, type MapContext, type MapResult } from '../../connectors/mapping.js';

export function mapGroupById(route: string, _payload: unknown, ctx: MapContext): MapResult {
  const { id, refused, refusedType, kept } = ctx.ids;
  if (kept) {
    return {
      records: [],
      quarantine: [{
        route, sourceId: id, field: 'ids.kept',
        reason: `edu-group ${id} not read (id kept into a later school year): the gateway links this id to that year's class or group now, and the platform answers it as that year's; what it held of the year read is not in this read`,
      }],
    };
  }
  if (!refused) return emptyMapResult();
  return {
    records: [],
    quarantine: [{
      route, sourceId: id, field: 'ids.refused',
      reason: `edu-group ${id} not read (${refused}${refusedType ? ` ${refusedType}` : ''}): the platform refused it (archived, or the account's access withdrawn); its final marks are not in this read`,
    }],
  };
}
