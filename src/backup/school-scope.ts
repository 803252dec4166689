// Which records belong to one school (DECISIONS.md §8: "canonical export per school"). The store has no
// per-school partition, so membership follows the references, written out per entity below, into a
// temporary table the export joins against. Regional reference data (mark scales, work types without an
// organization) and the school's parent organizations go into every school's backup, so a restore of one
// school stands on its own.
import type { SqlExecutor } from '../store/index.js';

export const SCOPE_TABLE = 'backup_scope';

/**
 * Persons merged by review into a person of the scope (src/sync/review.ts): the tombstone keeps no enrollment or
 * role assignment that would bring it in, so the merge's trail does — the decided match candidate's `mergedInto`.
 * Recursive, because the survivor of one merge may itself have been merged away later. R-35: the tombstone, its
 * closed crosswalk rows and its change log belong in the school's backup as in the whole store's.
 */
const MERGED_PERSONS = {
  what: 'persons merged into them',
  sql: `WITH RECURSIVE merged(id) AS (
          SELECT ${SCOPE_TABLE}.id FROM ${SCOPE_TABLE} WHERE ${SCOPE_TABLE}.entity = 'person'
          UNION
          SELECT (c.record->>'leftId')::uuid FROM canonical_records c JOIN merged m ON m.id = (c.record->>'mergedInto')::uuid
          WHERE c.entity = 'match_candidate' AND c.record->>'candidateEntity' = 'person' AND c.record->>'decision' = 'merged')
        SELECT id FROM merged`,
};

/** One INSERT … SELECT per rule, run in order; each may use what the earlier ones added. */
const RULES: { what: string; sql: string }[] = [
  { what: 'the school', sql: `SELECT id FROM canonical_records WHERE entity = 'organization' AND id = $1::uuid` },
  // parents (municipality, region): up to 5 levels is more than any hierarchy here has
  ...[1, 2, 3, 4, 5].map(() => ({
    what: 'parent organizations',
    sql: `SELECT (c.record->>'parentId')::uuid FROM canonical_records c JOIN ${SCOPE_TABLE} s ON s.id = c.id
          WHERE c.entity = 'organization' AND c.record->>'parentId' IS NOT NULL`,
  })),
  { what: 'records of the school', sql: `SELECT id FROM canonical_records WHERE organization_id = $1::uuid` },
  { what: 'regional reference data', sql: `SELECT id FROM canonical_records WHERE entity IN ('mark_scale', 'work_type') AND organization_id IS NULL` },
  { what: 'sections', sql: inScope('section', 'homeroomClassId') },
  ...(['enrollment', 'lesson', 'work', 'final_mark'] as const).map((e) => ({ what: `${e}s`, sql: inScope(e, 'sectionId') })),
  ...(['mark', 'attendance_record'] as const).map((e) => ({ what: `${e}s`, sql: inScope(e, 'lessonId') })),
  {
    what: 'pupils and staff',
    sql: `SELECT (c.record->>'personId')::uuid FROM canonical_records c JOIN ${SCOPE_TABLE} s ON s.id = c.id
          WHERE c.entity IN ('role_assignment', 'enrollment')`,
  },
  MERGED_PERSONS,
  { what: 'guardian links', sql: inScope('guardian_link', 'studentId') },
  {
    what: 'guardians',
    sql: `SELECT (c.record->>'guardianId')::uuid FROM canonical_records c JOIN ${SCOPE_TABLE} s ON s.id = c.id WHERE c.entity = 'guardian_link'`,
  },
  MERGED_PERSONS, // guardians merged away: a duplicate guardian may have had no link of its own
  {
    what: 'unlock orders',
    sql: `SELECT c.id FROM canonical_records c WHERE c.entity = 'unlock_order' AND EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(coalesce(c.record->'scope'->'sectionIds', '[]') || coalesce(c.record->'scope'->'studentIds', '[]')) AS x(v)
            JOIN ${SCOPE_TABLE} s ON s.id = x.v::uuid)`,
  },
  { what: 'conflicts', sql: inScope('conflict', 'canonicalId') },
  { what: 'outbound operations', sql: inScope('outbound_operation', 'canonicalId') },
  {
    what: 'match candidates',
    sql: `SELECT c.id FROM canonical_records c WHERE c.entity = 'match_candidate' AND EXISTS (
            SELECT 1 FROM ${SCOPE_TABLE} s WHERE s.id IN ((c.record->>'leftId')::uuid, (c.record->>'rightId')::uuid))`,
  },
  {
    // A parent whose child matched by name and birth date only waits for the school with a person record and a login
    // link but no guardian link, which is what brings guardians in above: without this the restored review queue named
    // a parent the store did not hold (src/auth/children.ts: a child-link candidate's leftId is the parent).
    what: 'parents of child-link candidates',
    sql: `SELECT (c.record->>'leftId')::uuid FROM canonical_records c JOIN ${SCOPE_TABLE} s ON s.id = c.id
          WHERE c.entity = 'match_candidate' AND c.record->>'candidateEntity' = 'guardian_link'`,
  },
];

/**
 * Records of `entity` whose `field` names a record in scope. Compared as text, as the expression indexes on those
 * fields are (store/migrations 002, 004, 006, 009): a cast to uuid hid them, and each rule read every such record of
 * the region to keep the school's, so a region's nightly backups grew with the square of its schools.
 */
function inScope(entity: string, field: string): string {
  return `SELECT c.id FROM canonical_records c JOIN ${SCOPE_TABLE} s ON c.record->>'${field}' = s.id::text WHERE c.entity = '${entity}'`;
}

/**
 * Fills the scope table (dropped at commit) with the (entity, id) of one school's records. Keyed by entity
 * first, so the export pages through one entity's scope in id order on the index. `instances`: the school's
 * platform instances; sync_cursor records of those are in scope (none when the list is empty).
 */
export async function buildSchoolScope(tx: SqlExecutor, organizationId: string, instances: string[]): Promise<number> {
  await tx.query(`CREATE TEMPORARY TABLE ${SCOPE_TABLE} (entity text NOT NULL, id uuid NOT NULL, PRIMARY KEY (entity, id)) ON COMMIT DROP`);
  await tx.query(`CREATE INDEX ON ${SCOPE_TABLE} (id)`);
  const org = await tx.query(`SELECT 1 FROM canonical_records WHERE entity = 'organization' AND id = $1::uuid`, [organizationId]);
  if (org.rows.length === 0) throw new Error(`backup: no organization ${organizationId} in the store to scope the backup to`);
  const add = async (sql: string, params: unknown[]) => {
    // Joining back to canonical_records gives each id its entity and drops references to records the store lacks.
    await tx.query(
      `INSERT INTO ${SCOPE_TABLE} (entity, id) SELECT r.entity, r.id FROM canonical_records r JOIN (SELECT DISTINCT id FROM (${sql}) AS q(id)) AS x ON r.id = x.id
       ON CONFLICT DO NOTHING`,
      params,
    );
    // Temporary tables are never auto-analysed; without statistics the next rule's join plans badly.
    await tx.query(`ANALYZE ${SCOPE_TABLE}`);
  };
  for (const rule of RULES) await add(rule.sql, rule.sql.includes('$1') ? [organizationId] : []);
  await add(`SELECT id FROM canonical_records WHERE entity = 'sync_cursor' AND record->>'instance' = ANY($1::text[])`, [instances]);
  const n = await tx.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${SCOPE_TABLE}`);
  return Number(n.rows[0].n);
}
