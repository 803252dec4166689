// Which school a report is asked for: a canonical organization id as given, else a school id of the
// configuration mapped the way roster sync maps it. The CLI and the web server both ask here; each says
// "not found" in its own words (the CLI lists the schools, the web server must not).
import type { SchoolConfig } from '../config/schema.js';
import type { Store } from '../store/index.js';
import { schoolCanonicalId } from '../sync/roster-sync.js';

export type SchoolLookup =
  | { found: true; id: string }
  /** A school of the configuration that roster sync has not brought into the store yet. */
  | { found: false; notSynced: string }
  | { found: false };

export async function findSchool(store: Store, schools: readonly SchoolConfig[], ref: string): Promise<SchoolLookup> {
  const direct = await store.get(ref).catch(() => null); // a non-uuid id is not an error here, just not a match
  if (direct?.entity === 'organization' && direct.type === 'school' && direct.status !== 'deleted') return { found: true, id: ref };
  const configured = schools.find((s) => s.id === ref);
  if (!configured) return { found: false };
  const id = schoolCanonicalId(configured.id);
  const org = await store.get(id);
  return org?.entity === 'organization' && org.status !== 'deleted' ? { found: true, id } : { found: false, notSynced: id };
}
