// Which organization a backup's snapshot record belongs to: named outright, or the configured school's
// canonical organization (found through the crosswalk of its platforms), or — with neither given — the store's only school.
import type { GatewayConfig, SchoolConfig } from '../config/schema.js';
import { getPlatform } from '../connectors/registry.js';
import { schoolById } from '../jobs/job-context.js';
import type { CanonicalStore } from '../store/index.js';
import { soleSchool } from './run-backup.js';
import { UsageError } from '../infra/operator-errors.js';

export async function organizationFor(store: CanonicalStore, cfg: GatewayConfig, opts: { organizationId?: string; schoolId?: string }): Promise<string> {
  if (opts.organizationId) {
    const r = await store.get(opts.organizationId);
    if (!r || r.entity !== 'organization') throw new UsageError(`--organization ${opts.organizationId}: no organization with that id in the store`);
    return r.id;
  }
  if (opts.schoolId) {
    const id = await organizationOfSchool(store, cfg, schoolById(cfg, opts.schoolId));
    if (id) return id;
    // Never another school's organization instead: the snapshot would be filed under the wrong school.
    throw new Error(`--school ${opts.schoolId}: the store holds no organization for this school yet (none of its platforms' school ids is in the crosswalk): run \`journal-gateway sync roster --school ${opts.schoolId}\` first, or name it with --organization`);
  }
  return soleSchool(store);
}

/** The configured school's canonical organization, through the crosswalk of its platforms' school ids. */
async function organizationOfSchool(store: CanonicalStore, cfg: GatewayConfig, school: SchoolConfig): Promise<string | undefined> {
  for (const p of school.platforms) {
    const inst = cfg.platforms.find((x) => x.instance === p.instance);
    if (!inst) continue;
    const found = await store.resolve(getPlatform(inst.platform).declaration.system, inst.instance, 'organization', [p.schoolId]);
    const id = found.get(p.schoolId);
    if (id) return id;
  }
  return undefined;
}

/**
 * `backup run --organization UUID`: the configured school whose organization that is, so the backup holds the cursors
 * of its platform instances as `--school` does. Before, it was backed up with no instance at all, and a school
 * restored from it had lost where each platform's delta sync stood. An organization no configured school resolves to
 * is refused (exit 64): its cursors cannot be told, and a school backup without them restores a school that re-syncs
 * from nothing. `backup run` with no scope backs up the whole store, every cursor included.
 */
export async function schoolOfOrganization(store: CanonicalStore, cfg: GatewayConfig, organizationId: string): Promise<SchoolConfig> {
  for (const school of cfg.schools) if (await organizationOfSchool(store, cfg, school) === organizationId) return school;
  throw new UsageError(`--organization ${organizationId}: no configured school resolves to this organization, so its platforms' sync cursors cannot be told and a backup would leave them out: name the school with --school, add it to schools:, or back up the whole store (backup run with neither)`);
}
