// Which organization a backup's snapshot record belongs to: named outright, or the configured school's
// canonical organization (found through the crosswalk of its platforms), or — with neither given — the store's only school.
import type { GatewayConfig } from '../config/schema.js';
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
    const school = schoolById(cfg, opts.schoolId);
    for (const p of school.platforms) {
      const inst = cfg.platforms.find((x) => x.instance === p.instance);
      if (!inst) continue;
      const found = await store.resolve(getPlatform(inst.platform).declaration.system, inst.instance, 'organization', [p.schoolId]);
      const id = found.get(p.schoolId);
      if (id) return id;
    }
    // Never another school's organization instead: the snapshot would be filed under the wrong school.
    throw new Error(`--school ${opts.schoolId}: the store holds no organization for this school yet (none of its platforms' school ids is in the crosswalk): run \`journal-gateway sync roster --school ${opts.schoolId}\` first, or name it with --organization`);
  }
  return soleSchool(store);
}
