// The read every platform's end-to-end harness runs (test/<platform>/harness.ts): a whole school through the
// connector, each batch mapped in order, the last version of each record kept. Ids resolve through the
// emulator's crosswalk (long-lived records) and, for platforms whose marks name their lesson only by platform
// id, through the lessons mapped so far — what the sync engine's crosswalk does in a real run.
import type { Capability, Connector } from '../../src/connectors/contract.js';
import { createLearningResolver } from '../../src/connectors/learning-resolver.js';
import { mapBatch, type Mapper, type QuarantineItem } from '../../src/connectors/mapping.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import { withOpenConnector } from './open-connector.js';

export interface SchoolRead<C> {
  records: CanonicalRecord[];
  quarantine: QuarantineItem[];
  batches: number;
  /** How payloads arrived: `text` (e.g. XML as received) or `json` (a decoded JSON value). */
  payloadKinds: Set<'text' | 'json'>;
  connector: C;
}

export interface SchoolReadSpec<C extends Connector> {
  connector: C;
  mapper: Mapper;
  /** The emulator's crosswalk: platform id → canonical id of the dataset's records. */
  crosswalk: readonly { entity: string; sourceId: string; canonicalId: string }[];
  from: string;
  to: string;
  capabilities?: Capability[];
  /** Learn lessons' canonical ids from the lessons mapped so far (default true). */
  learnLessons?: boolean;
  /** false: count and check, but do not keep the records (a large read). */
  keepRecords?: boolean;
  /** Read as the system of record or a migration's source would (`ReadScope.schoolStructure`). */
  schoolStructure?: boolean;
  /** Several ranges inside [from, to] instead of all of it, and the days per range request (a nightly's read). */
  ranges?: readonly { from: string; to: string }[];
  windowDays?: number;
}

export async function readSchool<C extends Connector>(spec: SchoolReadSpec<C>): Promise<SchoolRead<C>> {
  const { connector, mapper } = spec;
  const { system, mapperVersion } = connector.declaration;
  const xwalk = new Map(spec.crosswalk.map((x) => [`${x.entity}:${x.sourceId}`, x.canonicalId]));
  const base = (entity: string, sid: string) => xwalk.get(`${entity}:${sid}`);
  const learning = spec.learnLessons === false ? undefined : createLearningResolver(base, system);
  const byId = new Map<string, CanonicalRecord>();
  const quarantine: QuarantineItem[] = [];
  const payloadKinds = new Set<'text' | 'json'>();
  let batches = 0;
  await withOpenConnector(connector, async () => {
    for await (const b of connector.readSchool({ from: spec.from, to: spec.to, capabilities: spec.capabilities, schoolStructure: spec.schoolStructure, ranges: spec.ranges, windowDays: spec.windowDays })) {
      batches++;
      payloadKinds.add(typeof b.payload === 'string' ? 'text' : 'json');
      const m = mapBatch(mapper, b, { system, instance: 'emulator', runId: 'e2e', mapperVersion, resolve: learning?.resolve ?? base });
      learning?.learn(m.records);
      if (spec.keepRecords !== false) for (const r of m.records) byId.set(r.id, r);
      quarantine.push(...m.quarantine);
    }
  });
  return { records: [...byId.values()], quarantine, batches, payloadKinds, connector };
}
