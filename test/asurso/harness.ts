// Shared by the АСУ РСО end-to-end tests: read a whole school through the connector, map every batch, and
// compare with the dataset.
import { asursoConfig, createAsursoConnector } from '../../src/connectors/asurso/index.js';
import { asursoMapper } from '../../src/mappers/asurso/index.js';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { businessFields, type CanonicalRecord, type RecordOf } from '../../src/model/records.js';
import { contentHashOf } from '../../src/model/hash.js';
import type { EntityName } from '../../src/model/enums.js';
import { ASURSO_UNCARRIED } from '../../src/mappers/asurso/uncarried.js';
import type { Capability, ConnectorDeps } from '../../src/connectors/contract.js';
import { journalWindow } from '../support/journal-window.js';
import { readSchool, type SchoolRead } from '../support/read-school.js';

/**
 * Business fields NetSchool cannot carry (docs/platforms/asurso.md §"What is compared"): each is absent from
 * every payload of the routes the connector reads.
 */
export const ASURSO_IGNORE_FIELDS = ASURSO_UNCARRIED;
export const COMPARED: EntityName[] = [
  'academic_session', 'homeroom_class', 'subject', 'person', 'role_assignment', 'section', 'enrollment',
  'lesson', 'work', 'mark', 'attendance_record', 'final_mark',
];

/**
 * What the dataset looks like after a round trip through NetSchool: marks are integers (`5-` reads back as
 * 5, modifier none), «точка» is one sign (an owed mark with an empty raw reads back as `.`), an absence with no
 * reason yet reads back as unexcused (ОТ), and «Не задано» has no form (a lesson without a homework column has no
 * homework).
 */
export function asAsursoCarries(r: CanonicalRecord): CanonicalRecord {
  if (r.entity === 'lesson') return r.homework?.notAssigned ? withoutHomework(r) : r;
  // No letter for "absent, no reason yet": written as ОТ, read back as unexcused (canonical-model.md §A.3.2).
  if (r.entity === 'attendance_record') return r.kind === 'absent' && r.reason === 'unknown' ? { ...r, reason: 'unexcused' } : r;
  if (r.entity !== 'mark') return r;
  if (r.state === 'owed') return r.raw === '.' ? r : { ...r, raw: '.' };
  if (r.base !== null && (r.modifier !== 'none' || r.raw !== String(r.base))) return { ...r, raw: String(r.base), modifier: 'none', numeric: r.base };
  return r;
}

function withoutHomework(r: RecordOf<'lesson'>): CanonicalRecord {
  const { homework: _, ...rest } = r;
  return { ...rest, contentHash: contentHashOf(businessFields(rest as CanonicalRecord)) } as CanonicalRecord;
}

/** Persons a teacher-journal read can see: pupils of classes and teachers of subject groups. */
export function visiblePersons(all: readonly CanonicalRecord[]): Set<string> {
  const sections = new Set(all.filter((r) => r.entity === 'section').map((r) => r.id));
  const classes = new Set(all.filter((r) => r.entity === 'homeroom_class').map((r) => r.id));
  const out = new Set<string>();
  for (const r of all) {
    if (r.entity !== 'enrollment') continue;
    if (r.role === 'student' && classes.has(r.sectionId)) out.add(r.personId);
    if (r.role !== 'student' && sections.has(r.sectionId)) out.add(r.personId);
  }
  return out;
}

/** The records a teacher-journal read over [from, to] is expected to reproduce. */
export function expectedRecords(all: readonly CanonicalRecord[], from: string, to: string, entities: readonly EntityName[] = COMPARED): CanonicalRecord[] {
  const inWindow = journalWindow(all, from, to);
  const persons = visiblePersons(all);
  return all.filter((r) => {
    if (!entities.includes(r.entity) || r.status === 'deleted') return false;
    if (r.entity === 'person') return persons.has(r.id);
    // Teacher routes list pupils (of classes and subject groups) and subject-group teachers: no staff, parents or class-teacher roles.
    if (r.entity === 'role_assignment') return persons.has(r.personId) && (r.role === 'student' || r.role === 'subject_teacher');
    if (r.entity === 'enrollment') return r.role === 'student';
    return inWindow(r) ?? true;
  }).map(asAsursoCarries);
}

export type ReadResult = SchoolRead<ReturnType<typeof createAsursoConnector>>;

export function connectorFor(emu: AsursoEmulator, over: Partial<{ auth: unknown; role: string; rateLimit: { requestsPerSecond: number; concurrency: number; windowMarginMs?: number } }> = {}, deps: Partial<ConnectorDeps> = {}) {
  const acc = emu.info.accounts.find((a) => a.role === (over.role ?? 'administrator'))!;
  const cfg = asursoConfig.parse({
    baseUrl: emu.baseUrl, schoolId: emu.info.schoolId,
    auth: over.auth ?? { kind: 'password', login: acc.login, password: acc.password },
    rateLimit: over.rateLimit ?? { requestsPerSecond: 500, concurrency: 8 },
  });
  return createAsursoConnector(cfg, { instance: `emu-${emu.baseUrl}`, retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 50 }, ...deps });
}

/** Reads the school over [from, to] (test/support/read-school.ts); NetSchool names lessons by id everywhere, so nothing is learnt. */
export function readAndMap(
  emu: AsursoEmulator, from: string, to: string, connector = connectorFor(emu), opts: { capabilities?: Capability[]; keepRecords?: boolean } = {},
): Promise<ReadResult> {
  return readSchool({ connector, mapper: asursoMapper, crosswalk: emu.crosswalk(), from, to, learnLessons: false, ...opts });
}
