// Shared by the ЭПОС end-to-end tests: read a whole school through the connector, map every batch, and
// compare with the dataset.
import { createEposConnector, eposConfig, eposDeclaration } from '../../src/connectors/epos/index.js';
import { eposMapper } from '../../src/mappers/epos/index.js';
import type { EposEmulator } from '../../src/emulators/epos/index.js';
import { businessFields, type CanonicalRecord } from '../../src/model/records.js';
import { contentHashOf } from '../../src/model/hash.js';
import type { EntityName } from '../../src/model/enums.js';
import type { ConnectorDeps } from '../../src/connectors/contract.js';
import { journalWindow } from '../support/journal-window.js';
import { readSchool, type SchoolRead } from '../support/read-school.js';

/** Business fields ЭПОС cannot carry: the declaration's own list (docs/platforms/epos.md). */
export const EPOS_IGNORE_FIELDS = eposDeclaration.uncarried!;
/** Works are derived from their marks (ЭПОС has no work object): compared without title and due date. */
export const COMPARED: EntityName[] = ['person', 'guardian_link', 'section', 'lesson', 'work', 'mark', 'attendance_record', 'final_mark'];

/** Persons an ЭПОС school read sees: pupils (with their parents) and teachers; administration profiles have no list route. */
export function visiblePersons(all: readonly CanonicalRecord[]): Set<string> {
  const out = new Set<string>();
  for (const r of all) if (r.entity === 'role_assignment' && ['student', 'parent', 'subject_teacher', 'class_teacher'].includes(r.role)) out.add(r.personId);
  return out;
}

/**
 * A lesson as ЭПОС can hold it: homework is a text with a due day; «Не задано» has no form there, so such a
 * lesson reads without homework (docs/platforms/epos.md "Homework").
 */
export function asEposLesson(r: CanonicalRecord): CanonicalRecord {
  if (r.entity !== 'lesson' || !r.homework?.notAssigned) return r;
  const { homework: _, ...rest } = r;
  return { ...rest, contentHash: contentHashOf(businessFields(rest as CanonicalRecord)) } as CanonicalRecord;
}

/** The records an ЭПОС read over [from, to] is expected to reproduce. */
export function expectedRecords(all: readonly CanonicalRecord[], from: string, to: string, entities: readonly EntityName[] = COMPARED): CanonicalRecord[] {
  const inWindow = journalWindow(all, from, to);
  const persons = visiblePersons(all);
  return all.filter((r) => {
    if (!entities.includes(r.entity) || r.status === 'deleted') return false;
    if (r.entity === 'person') return persons.has(r.id);
    return inWindow(r) ?? true;
  }).map(asEposLesson);
}

export type ReadResult = SchoolRead<ReturnType<typeof createEposConnector>>;

type Over = Partial<{ auth: unknown; profileId: number; windowDays: number; perPage: number; groupsPerRequest: number; rateLimit: { requestsPerSecond: number; concurrency: number } }>;

export function connectorFor(emu: EposEmulator, over: Over = {}, deps: Partial<ConnectorDeps> = {}) {
  const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
  const cfg = eposConfig.parse({
    baseUrl: emu.baseUrl, auth: over.auth ?? { kind: 'password', login: admin.login, password: admin.password },
    ...(over.profileId ? { profileId: over.profileId } : {}), timeZone: emu.info.timeZone,
    windowDays: over.windowDays ?? 7, perPage: over.perPage ?? 100, groupsPerRequest: over.groupsPerRequest ?? 10,
    rateLimit: over.rateLimit ?? { requestsPerSecond: 500, concurrency: 8 },
  });
  return createEposConnector(cfg, { instance: `emu-${emu.baseUrl}`, retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 50 }, ...deps });
}

/** Reads the school over [from, to] (test/support/read-school.ts), lessons before their marks. */
export function readAndMap(emu: EposEmulator, from: string, to: string, connector = connectorFor(emu)): Promise<ReadResult> {
  return readSchool({ connector, mapper: eposMapper, crosswalk: emu.crosswalk(), from, to });
}
