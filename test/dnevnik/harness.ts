// Shared by the Дневник.ру end-to-end tests: read a whole school through the connector, map every batch, and
// compare with the dataset.
import { createDnevnikConnector, dnevnikConfig } from '../../src/connectors/dnevnik/index.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import type { EntityName } from '../../src/model/enums.js';
import { DNEVNIK_UNCARRIED } from '../../src/mappers/dnevnik/uncarried.js';
import type { ConnectorDeps } from '../../src/connectors/contract.js';
import { journalWindow } from '../support/journal-window.js';
import { readSchool, type SchoolRead } from '../support/read-school.js';

/**
 * Business fields Дневник.ру cannot carry (docs/platforms/dnevnik.md §"What is compared"): each one is
 * absent from every documented payload of the routes the connector reads.
 */
export const DNEVNIK_IGNORE_FIELDS = DNEVNIK_UNCARRIED;
export const COMPARED: EntityName[] = [
  'academic_session', 'homeroom_class', 'subject', 'person', 'role_assignment', 'guardian_link', 'section', 'enrollment',
  'lesson', 'work', 'mark', 'attendance_record', 'final_mark',
];

const STAFF_ROLES = new Set(['director', 'deputy_academic', 'deputy_upbringing', 'administrator', 'secretary']);

/**
 * What the dataset looks like after a round trip through the platform: Дневник.ру has one status for an
 * absence without a valid reason, so `unexcused` reads back as `unknown`; every staff member is on the one
 * `Admins` list, so their roles read back as `administrator`. Class-teacher roles and teacher enrollments
 * are not carried at all.
 */
export function asDnevnikCarries(r: CanonicalRecord): CanonicalRecord | undefined {
  if (r.entity === 'attendance_record' && r.reason === 'unexcused') return { ...r, reason: 'unknown' };
  if (r.entity === 'role_assignment' && r.role === 'class_teacher') return undefined;
  if (r.entity === 'role_assignment' && STAFF_ROLES.has(r.role)) return { ...r, role: 'administrator' };
  if (r.entity === 'enrollment' && r.role !== 'student') return undefined;
  return r;
}

/** The records a Дневник.ру read is expected to reproduce (persons, sections and the journal of the window). */
export function expectedRecords(all: readonly CanonicalRecord[], from: string, to: string): CanonicalRecord[] {
  const inWindow = journalWindow(all, from, to);
  return all.filter((r) => {
    if (!COMPARED.includes(r.entity)) return false;
    return inWindow(r) ?? true;
  }).flatMap((r) => asDnevnikCarries(r) ?? []);
}

export type ReadResult = SchoolRead<ReturnType<typeof createDnevnikConnector>>;

export function connectorFor(emu: DnevnikEmulator, over: Partial<{ auth: unknown; windowDays: number; rateLimit: { requestsPerSecond: number; concurrency: number } }> = {}, deps: Partial<ConnectorDeps> = {}) {
  const student = emu.info.accounts.find((a) => a.role === 'administrator')!;
  const cfg = dnevnikConfig.parse({
    baseUrl: emu.baseUrl,
    auth: over.auth ?? { kind: 'password', clientId: emu.info.clientId, clientSecret: emu.info.clientSecret, username: student.login, password: student.password },
    windowDays: over.windowDays ?? 7,
    rateLimit: over.rateLimit ?? { requestsPerSecond: 500, concurrency: 8 },
  });
  return createDnevnikConnector(cfg, { instance: `emu-${emu.baseUrl}`, retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 50 }, ...deps });
}

/** Reads the school over [from, to] (test/support/read-school.ts), lessons before their marks. */
export function readAndMap(emu: DnevnikEmulator, from: string, to: string, connector = connectorFor(emu)): Promise<ReadResult> {
  return readSchool({ connector, mapper: dnevnikMapper, crosswalk: emu.crosswalk(), from, to });
}
