// Which records belong to one school (DECISIONS.md §8: "canonical export per school"). The store has no
// per-school partition, so membership follows the references, written out per entity below, into a
// temporary table the export joins against. Regional reference data (mark scales, work types without an
// organization) and the school's parent organizations go into every school's backup, so a restore of one
// school stands on its own.
import type { SqlExecutor } from '../store/index.js';

export const SCOPE_TABLE = 'backup_scope';

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
  { what: 'guardian links', sql: inScope('guardian_link', 'studentId') },
  {
    what: 'guardians',
    sql: `SELECT (c.record->>'guardianId')::uuid FROM canonical_records c JOIN ${SCOPE_TABLE} s ON s.id = c.id WHERE c.entity = 'guardian_link'`,
  },
  {
    what: 'unlock orders',
    sql: `SELECT c.id FROM canonical_records c WHERE c.entity = 'unlock_order' AND EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(coalesce(c.record->'scope'->'sectionIds', '[]') || coalesce(c.record->'scope'->'studentIds', '[]')) AS x(v)
            JOIN ${SCOPE_TABLE} s ON s.id::text = x.v)`,
  },
  { what: 'conflicts', sql: inScope('conflict', 'canonicalId') },
  { what: 'outbound operations', sql: inScope('outbound_operation', 'canonicalId') },
  {
    what: 'match candidates',
    sql: `SELECT c.id FROM canonical_records c WHERE c.entity = 'match_candidate' AND EXISTS (
            SELECT 1 FROM ${SCOPE_TABLE} s WHERE s.id::text IN (c.record->>'leftId', c.record->>'rightId'))`,
  },
];

function inScope(entity: string, field: string): string {
  return `SELECT c.id FROM canonical_records c JOIN ${SCOPE_TABLE} s ON s.id::text = c.record->>'${field}' WHERE c.entity = '${entity}'`;
}

/**
 * Fills the scope table (dropped at commit) with the ids of one school's records. `instances`: the school's
 * platform instances; sync_cursor records of those are in scope (none when the list is empty).
 */
export async function buildSchoolScope(tx: SqlExecutor, organizationId: string, instances: string[]): Promise<number> {
  await tx.query(`CREATE TEMPORARY TABLE ${SCOPE_TABLE} (id uuid PRIMARY KEY) ON COMMIT DROP`);
  const org = await tx.query(`SELECT 1 FROM canonical_records WHERE entity = 'organization' AND id = $1::uuid`, [organizationId]);
  if (org.rows.length === 0) throw new Error(`backup: no organization ${organizationId} in the store to scope the backup to`);
  for (const rule of RULES) {
    const params = rule.sql.includes('$1') ? [organizationId] : [];
    await tx.query(`INSERT INTO ${SCOPE_TABLE} (id) SELECT DISTINCT x.id FROM (${rule.sql}) AS x(id) WHERE x.id IS NOT NULL ON CONFLICT DO NOTHING`, params);
  }
  await tx.query(
    `INSERT INTO ${SCOPE_TABLE} (id) SELECT id FROM canonical_records WHERE entity = 'sync_cursor' AND record->>'instance' = ANY($1::text[]) ON CONFLICT DO NOTHING`,
    [instances],
  );
  const n = await tx.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${SCOPE_TABLE}`);
  return Number(n.rows[0].n);
}
