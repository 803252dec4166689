// Shared by the ЭлЖур end-to-end tests and the benchmark: read a whole school through the connector, map
// every batch, and compare with the dataset it came from.
import { createEljurConnector, eljurConfig, eljurDeclaration } from '../../src/connectors/eljur/index.js';
import { createLearningResolver } from '../../src/connectors/learning-resolver.js';
import { mapBatch, type QuarantineItem } from '../../src/connectors/mapping.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import type { EntityName } from '../../src/model/enums.js';
import type { ConnectorDeps } from '../../src/connectors/contract.js';
import { expectedFromEljur, VERIFIED } from '../../src/connectors/eljur/import/index.js';

/** Business fields ЭлЖур cannot carry (the declaration's `uncarried`, docs/platforms/eljur.md). */
export const ELJUR_IGNORE_FIELDS = eljurDeclaration.uncarried as Partial<Record<EntityName, readonly string[]>>;
/** What is compared (works are not: ЭлЖур has no work columns, only the `mtype` of each mark). */
export const COMPARED = VERIFIED;
/** The records an ЭлЖур read over [from, to] is expected to reproduce (src/connectors/eljur/import/verify.ts). */
export const expectedRecords = expectedFromEljur;

export interface ReadResult {
  records: CanonicalRecord[];
  quarantine: QuarantineItem[];
  batches: number;
  payloadBytes: number;
  mapMs: number;
  parseMs: number;
  /** How payloads arrived: `text` (XML as received) or `json` (a decoded JSON value). */
  payloadKinds: Set<'text' | 'json'>;
  connector: ReturnType<typeof createEljurConnector>;
}

export function connectorFor(
  emu: EljurEmulator,
  over: Partial<{ auth: unknown; format: 'json' | 'xml'; windowDays: number; rateLimit: { requestsPerSecond: number; concurrency: number; windowMarginMs?: number } }> = {},
  deps: Partial<ConnectorDeps> = {},
) {
  const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
  const cfg = eljurConfig.parse({
    baseUrl: emu.baseUrl, devkey: emu.info.devkey, vendor: emu.info.vendor, format: over.format ?? 'json', timeZone: emu.info.timeZone,
    auth: over.auth ?? { kind: 'credentials', login: admin.login, password: admin.password },
    windowDays: over.windowDays ?? 7, rateLimit: over.rateLimit ?? { requestsPerSecond: 500, concurrency: 8 },
  });
  return createEljurConnector(cfg, { instance: `emu-${emu.baseUrl}-${over.format ?? 'json'}`, retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 50 }, ...deps });
}

/** Reads the school over [from, to], maps each batch in order (lessons before their marks), keeps the last version of each record. */
export async function readAndMap(
  emu: EljurEmulator, from: string, to: string, connector = connectorFor(emu), opts: { measureParse?: boolean; keepRecords?: boolean } = {},
): Promise<ReadResult> {
  const xwalk = new Map(emu.crosswalk().map((x) => [`${x.entity}:${x.sourceId}`, x.canonicalId]));
  const learning = createLearningResolver((entity, sid) => xwalk.get(`${entity}:${sid}`), 'eljur');
  const byId = new Map<string, CanonicalRecord>();
  const quarantine: QuarantineItem[] = [];
  let batches = 0;
  let payloadBytes = 0;
  let mapMs = 0;
  let parseMs = 0;
  const payloadKinds = new Set<'text' | 'json'>();
  await connector.open();
  try {
    for await (const b of connector.readSchool({ from, to })) {
      batches++;
      payloadKinds.add(typeof b.payload === 'string' ? 'text' : 'json');
      if (opts.measureParse) {
        const text = typeof b.payload === 'string' ? b.payload : JSON.stringify(b.payload);
        payloadBytes += Buffer.byteLength(text);
        const t0 = performance.now();
        JSON.parse(typeof b.payload === 'string' ? JSON.stringify(b.payload) : text);
        parseMs += performance.now() - t0;
      }
      const t0 = performance.now();
      const m = mapBatch(eljurMapper, b, { system: 'eljur', instance: 'emulator', runId: 'e2e', mapperVersion: eljurDeclaration.mapperVersion, resolve: learning.resolve });
      learning.learn(m.records);
      mapMs += performance.now() - t0;
      if (opts.keepRecords !== false) for (const r of m.records) byId.set(r.id, r);
      quarantine.push(...m.quarantine);
    }
  } finally {
    await connector.close();
  }
  return { records: [...byId.values()], quarantine, batches, payloadBytes, mapMs, parseMs, payloadKinds, connector };
}
