// Which school a report is asked for: a canonical organization id as given, else a school id of the
// configuration mapped the way roster sync maps it. The CLI and the web server both ask here; each says
// "not found" in its own words (the CLI lists the schools, the web server must not).
import { minMarksTable } from '../config/min-marks.js';
import type { SchoolConfig } from '../config/schema.js';
import type { ReportOptions } from './registry.js';
import type { Store } from '../store/index.js';
import { schoolCanonicalId } from '../sync/roster-sync.js';

export type SchoolLookup =
  /** `config`: the school's entry in the configuration, when it has one (its R-11 table, say). */
  | { found: true; id: string; config?: SchoolConfig }
  /** A school of the configuration that roster sync has not brought into the store yet. */
  | { found: false; notSynced: string }
  | { found: false };

export async function findSchool(store: Store, schools: readonly SchoolConfig[], ref: string): Promise<SchoolLookup> {
  const direct = await store.get(ref).catch(() => null); // a non-uuid id is not an error here, just not a match
  if (direct?.entity === 'organization' && direct.type === 'school' && direct.status !== 'deleted') {
    const config = schools.find((s) => schoolCanonicalId(s.id) === ref);
    return { found: true, id: ref, ...(config ? { config } : {}) };
  }
  const configured = schools.find((s) => s.id === ref);
  if (!configured) return { found: false };
  const id = schoolCanonicalId(configured.id);
  const org = await store.get(id);
  return org?.entity === 'organization' && org.status !== 'deleted' ? { found: true, id, config: configured } : { found: false, notSynced: id };
}

/** What a report of the school takes from its configuration (its R-11 table), and the one class asked for. */
export function reportOptionsOf(config: SchoolConfig | undefined, classRef: string | undefined): ReportOptions {
  const minMarks = minMarksTable(config?.minMarks);
  return { ...(minMarks ? { minMarks } : {}), ...(classRef ? { classRef } : {}) };
}
