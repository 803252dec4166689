// What the school-year rollover tests (test/sync/*school-year-rollover.e2e.test.ts) run and read around 1 September,
// whichever platform is the system of record: one job against an emulator started for that run, the old year's
// records by entity and status, the old year's attendance report, and "the next night" for the roster's miss clock.
import { parseConfigText } from '../../src/config/load.js';
import type { InstanceYaml } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { reportFromStore } from '../../src/reports/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { schoolYearOf } from '../../src/sync/school-year-of.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { gatewayYaml } from './emulator-configs.js';

/** The entities whose records belong to one school year. */
export const OF_A_YEAR = ['academic_session', 'homeroom_class', 'subject', 'section', 'enrollment'] as const;

/**
 * One job of school `s1` (system of record: the instance `name` of the emulator `start` brings up), into `store`;
 * `yaml`: further school keys and top-level YAML (gatewayYaml's `settings` and `extra`), e.g. a nightly's `windowEndsOn`.
 */
export async function runOnSor<E extends RunningEmulator>(
  store: CanonicalStore, sor: { name: string; start: () => Promise<E>; instance: (name: string, emu: E) => InstanceYaml },
  kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}, yaml: { settings?: string; extra?: string } = {},
): Promise<RunSummary> {
  const emu = await sor.start();
  try {
    const inst = sor.instance(sor.name, emu);
    const school = { id: 's1', sor: sor.name, platforms: [{ instance: sor.name, schoolId: inst.schoolId }], ...(yaml.settings ? { settings: yaml.settings } : {}) };
    const config = parseConfigText(gatewayYaml({ instances: [inst], names: [sor.name], schools: [school], ...(yaml.extra ? { extra: yaml.extra } : {}) }), 't.yaml');
    const ctx: JobContext = { config, store, logger: createLogger({ level: 'silent' }), close: async () => {} };
    return (await runJob(kind, { schoolId: 's1', ...data } as never, ctx))[0];
  } finally {
    await emu.close();
  }
}

/** The next night: the roster's first misses (system `system`, instance `instance`) are a day old. */
export async function aDayLater(store: CanonicalStore, system: string, instance: string): Promise<void> {
  const cursor = (await store.getCursor(system, instance, 'roster:s1'))!;
  const state = JSON.parse(cursor.value!) as { missedAt?: Record<string, string> };
  for (const k of Object.keys(state.missedAt ?? {})) state.missedAt![k] = new Date(Date.parse(state.missedAt![k]) - 24 * 3_600_000).toISOString();
  await store.setCursor({ ...cursor, value: JSON.stringify(state) });
}

/** The records of the school year ending in `schoolYear` (2026 = 2025/2026), counted per `entity:status`. */
export async function yearRecords(store: CanonicalStore, schoolYear = 2026): Promise<Record<string, number>> {
  const all = new Map<string, CanonicalRecord>();
  for (const e of OF_A_YEAR) for await (const r of store.iterate(e)) all.set(r.id, r);
  const yearOf = (r: CanonicalRecord) => schoolYearOf(r, (id) => all.get(id));
  const out: Record<string, number> = {};
  for (const r of all.values()) {
    if (yearOf(r) !== schoolYear) continue;
    const k = `${r.entity}:${r.status}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Rows of school `s1`'s attendance report for September 2025 (the old year's first month). */
export const attendanceRows = async (store: CanonicalStore): Promise<number> =>
  (await reportFromStore(store, 'attendance', schoolCanonicalId('s1'), '2025-09')).tables.reduce((n, t) => n + t.rows.length, 0);

/** Pupils (persons with a grade) now deleted. */
export async function deletedPupils(store: CanonicalStore): Promise<number> {
  let n = 0;
  for await (const p of store.iterate('person', { status: 'deleted' })) if ((p as unknown as { gradeLevel?: number }).gradeLevel !== undefined) n++;
  return n;
}

/** Each pupil's person record (canonical id, status, grade) by their id on `system` (the platform's person id). */
export async function pupilsBySourceId(store: CanonicalStore, system: string): Promise<Map<string, { id: string; status: string; grade: number }>> {
  const out = new Map<string, { id: string; status: string; grade: number }>();
  for await (const p of store.iterate('person')) {
    const r = p as CanonicalRecord & { gradeLevel?: number };
    const sid = r.sourceRefs.find((s) => s.system === system)?.sourceId;
    if (sid && r.gradeLevel !== undefined) out.set(sid, { id: r.id, status: r.status, grade: r.gradeLevel });
  }
  return out;
}

/** Every record of the entities `entities`, by id: its entity, status and content hash (what a rewrite would change). */
export async function contentById(store: CanonicalStore, entities: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of entities) for await (const r of store.iterate(e as CanonicalRecord['entity'])) out.set(r.id, `${r.entity}|${r.status}|${r.contentHash}`);
  return out;
}

/** The ids of the records of the school year ending in `schoolYear`, of the entities of a year (see yearRecords). */
export async function yearIds(store: CanonicalStore, schoolYear: number): Promise<Set<string>> {
  const all = new Map<string, CanonicalRecord>();
  for (const e of OF_A_YEAR) for await (const r of store.iterate(e)) all.set(r.id, r);
  const yearOf = (r: CanonicalRecord) => schoolYearOf(r, (id) => all.get(id));
  return new Set([...all.values()].filter((r) => yearOf(r) === schoolYear).map((r) => r.id));
}
