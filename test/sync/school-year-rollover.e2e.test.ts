// 1 September on a running gateway: the system of record (Дневник.ру) now lists the new school year — new terms,
// classes, groups and subjects, the pupils promoted, the 11th-graders gone. Before, the first new-year roster sync
// counted every record of the old year as missing and refused all deletes (three quarters of the school), night after
// night; accepting the number tombstoned last year's terms, classes, sections, subjects and enrollments, and the old
// year's reports came out empty. Found by an audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { reportFromStore } from '../../src/reports/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';

const roll = buildRollover({ pupils: 44, weeks: 2, newFifthGraders: 2 });
const OF_A_YEAR = ['academic_session', 'homeroom_class', 'subject', 'section', 'enrollment'] as const;

describe('a school-year rollover on the system of record', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  async function run(dataset: SyntheticSchool, kind: 'roster-sync' | 'journal-sync', data: Record<string, unknown> = {}): Promise<RunSummary> {
    const emu = await startDnevnikEmulator({ dataset });
    try {
      const inst = dnevnikInstance('dn', emu);
      const config = parseConfigText(gatewayYaml({ instances: [inst], names: ['dn'], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }), 't.yaml');
      const ctx: JobContext = { config, store, logger: createLogger({ level: 'silent' }), close: async () => {} };
      return (await runJob(kind, { schoolId: 's1', ...data } as never, ctx))[0];
    } finally {
      await emu.close();
    }
  }
  /** The next night: the first misses are a day old. */
  async function aDayLater() {
    const cursor = (await store.getCursor('dnevnik_ru', 'dn', 'roster:s1'))!;
    const state = JSON.parse(cursor.value!) as { missedAt?: Record<string, string> };
    for (const k of Object.keys(state.missedAt ?? {})) state.missedAt![k] = new Date(Date.parse(state.missedAt![k]) - 24 * 3_600_000).toISOString();
    await store.setCursor({ ...cursor, value: JSON.stringify(state) });
  }
  /** The records of the 2025/2026 year, per entity and status. */
  async function oldYear(): Promise<Record<string, number>> {
    const all = new Map<string, CanonicalRecord>();
    for (const e of [...OF_A_YEAR, 'lesson', 'mark'] as const) for await (const r of store.iterate(e)) all.set(r.id, r);
    const yearOf = (r: CanonicalRecord | undefined): number | undefined => {
      if (!r) return undefined;
      const f = r as unknown as { schoolYear?: number; academicYearId?: string; sectionId?: string; date?: string };
      if (r.entity === 'enrollment') return yearOf(all.get(f.sectionId!));
      if (r.entity === 'lesson' || r.entity === 'mark') return undefined;
      return f.schoolYear ?? yearOf(all.get(f.academicYearId!));
    };
    const out: Record<string, number> = {};
    for (const r of all.values()) {
      if (yearOf(r) !== 2026) continue;
      const k = `${r.entity}:${r.status}`;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }
  const attendanceRows = async () => (await reportFromStore(store, 'attendance', schoolCanonicalId('s1'), '2025-09')).tables.reduce((n, t) => n + t.rows.length, 0);

  it('keeps the old year as it was; only the people who left are missing, named to the operator, and deleted once accepted', async () => {
    const window = roll.old.lessonWindow();
    await run(roll.old, 'roster-sync', { window });
    await run(roll.old, 'journal-sync', { window });
    const before = await oldYear();
    for (const e of OF_A_YEAR) expect(before[`${e}:active`], e).toBeGreaterThan(0);
    const rowsBefore = await attendanceRows();
    expect(rowsBefore).toBeGreaterThan(0);

    // 1 September: the scheduled roster sync reads the new year. The old year's records are not missing; the people who
    // left are (this small school loses 14% of its pupils, over the 10% threshold): the operator is asked, and told who.
    const first = await run(roll.next, 'roster-sync');
    const oldCount = OF_A_YEAR.reduce((n, e) => n + before[`${e}:active`], 0);
    expect(first.pastYear).toEqual({ year: 2027, records: oldCount });
    expect(formatSummary(first)).toContain(`kept as an earlier school year's (the platform now lists 2026/2027) ${oldCount}`);
    expect(first.deletesRefused).toMatch(/^\d+ of \d+ records of the scope are missing \(\d+% > 10%\): person \d+, role_assignment \d+, guardian_link \d+$/);
    expect(first.deleted).toBe(0);
    expect(formatSummary(first)).toContain(`journal-gateway sync roster --config FILE --school s1 --instance dn --accept-deletes ${first.deletesToAccept}`);

    const accepted = await run(roll.next, 'roster-sync', { acceptDeletes: first.deletesToAccept });
    expect(accepted.deletesRefused).toBeUndefined();
    expect(accepted.pastYear).toBeUndefined(); // out of the snapshot since the first night
    expect(accepted.missingOnce).toBe(first.deletesToAccept); // people go only at a second miss
    await aDayLater();
    const next = await run(roll.next, 'roster-sync');
    expect(next.deletesRefused).toBeUndefined();
    expect(next.deleted).toBe(first.deletesToAccept);
    let deletedPupils = 0;
    for await (const p of store.iterate('person', { status: 'deleted' })) if ((p as unknown as { gradeLevel?: number }).gradeLevel !== undefined) deletedPupils++;
    expect(deletedPupils).toBe(roll.graduates.length + 2); // the 11th-graders, and the two 4th-graders replaced in 5th grade

    // The old year is untouched: its terms, classes, groups, subjects and memberships, and its reports.
    expect(await oldYear()).toEqual(before);
    expect(await attendanceRows()).toBe(rowsBefore);
  }, 300_000);
});
