// Shared by the ЭлЖур end-to-end tests: read a whole school through the connector, map every batch, and
// compare with the dataset it came from.
import { createEljurConnector, eljurConfig, eljurDeclaration } from '../../src/connectors/eljur/index.js';
import { readSchool, type SchoolRead } from '../support/read-school.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { EntityName } from '../../src/model/enums.js';
import type { ConnectorDeps } from '../../src/connectors/contract.js';
import { expectedFromEljur, VERIFIED } from '../../src/connectors/eljur/import/index.js';

/** Business fields ЭлЖур cannot carry (the declaration's `uncarried`, docs/platforms/eljur.md). */
export const ELJUR_IGNORE_FIELDS = eljurDeclaration.uncarried as Partial<Record<EntityName, readonly string[]>>;
/** What is compared (works are not: ЭлЖур has no work columns, only the `mtype` of each mark). */
export const COMPARED = VERIFIED;
/** The records an ЭлЖур read over [from, to] is expected to reproduce (src/connectors/eljur/import/verify.ts). */
export const expectedRecords = expectedFromEljur;

export type ReadResult = SchoolRead<ReturnType<typeof createEljurConnector>>;

/**
 * A read cut to what is compared: a read asking for the school's structure (`schoolStructure`) also brings the
 * teachers the diaries name and the sections of the school year so far, which the window's comparison does not cover.
 */
export const comparedOf = (res: ReadResult, from: string, to: string): ReadResult => ({ ...res, records: expectedFromEljur(res.records, from, to) });

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

/** Reads the school over [from, to] (test/support/read-school.ts), a class's diary before its marks. */
export function readAndMap(emu: EljurEmulator, from: string, to: string, connector = connectorFor(emu), opts: { keepRecords?: boolean; schoolStructure?: boolean } = {}): Promise<ReadResult> {
  return readSchool({ connector, mapper: eljurMapper, crosswalk: emu.crosswalk(), from, to, ...opts });
}
