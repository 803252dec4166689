// A migration says "nothing lost" only when nothing is: final marks, which no target publishes a write route for,
// are looked for in the target and each missing one is listed (exit 1, "NOT writable … enter them by hand"); and a
// target record the read-back cannot accept, or one more mark in a cell than the source has, makes the run not "ok"
// instead of vanishing from the comparison. Дневник.ру → ЭПОС.Школа against the emulators.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { captureStdout } from '../support/capture-stdout.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';

type EposTarget = RunningEmulator & { world: { marks: Map<unknown, Record<string, unknown>>; addMark(m: Record<string, unknown>): unknown } };

/** `POST core/api/marks` with the emulator's administrator session: a copy of `m` (same pupil, lesson and value). */
async function postMarkAsAdministrator(target: EposTarget, m: Record<string, unknown>): Promise<void> {
  const admin = (target.info as { accounts: { role: string; login: string; password: string }[] }).accounts.find((a) => a.role === 'administrator')!;
  const session = await (await fetch(`${target.baseUrl}/lms/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: admin.login, password_plain: admin.password, password: admin.password }) })).json() as { authentication_token: string; profiles: { id: number }[] };
  const pid = session.profiles[0].id;
  const res = await fetch(`${target.baseUrl}/core/api/marks?pid=${pid}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'auth-token': session.authentication_token, 'profile-id': String(pid) },
    body: JSON.stringify({ schedule_lesson_id: m.lesson, student_profile_id: m.student, control_form_id: m.controlForm, grade_origins: [{ grade_origin: m.original }], is_point: false }),
  });
  expect(res.ok).toBe(true);
}

async function rig(weeks: number, window: { since: string; until: string }) {
  const school = generateSchool({ seed: 51, pupils: 24, weeks });
  const source = await getPlatform('dnevnik').emulator.start({ dataset: school });
  const target = await getPlatform('epos').emulator.start({ dataset: school, emptyJournal: true }) as EposTarget;
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-complete-'));
  const a = dnevnikInstance('dnevnik-old', source, 500);
  const b = eposInstance('epos-new', target, 500);
  const config = path.join(dir, 'gateway.yaml');
  writeFileSync(config, gatewayYaml({
    instances: [a, b], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
    schools: [{ id: 's1', sor: 'dnevnik-old', platforms: [{ instance: 'dnevnik-old', schoolId: a.schoolId }, { instance: 'epos-new', schoolId: b.schoolId }] }],
  }));
  const migrate = async () => {
    const { code, printed } = await captureStdout(() => migrateCommand({ config, from: 'dnevnik-old', to: 'epos-new', school: 's1', dryRun: false, ...window, out: path.join(dir, 'reports') }));
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'migration-s1-dnevnik-old-epos-new.json'), 'utf8')) as MigrationReport;
    return { code, printed, report };
  };
  return { school, source, target, migrate, close: async () => { await source.close(); await target.close(); } };
}

describe('migration: final marks are accounted for', () => {
  // 1 September – 31 October: the first quarter (ends 24 October) has its final marks in the source.
  let r: Awaited<ReturnType<typeof rig>>;
  let school: SyntheticSchool;
  beforeAll(async () => { r = await rig(9, { since: '2025-09-01', until: '2025-10-31' }); school = r.school; }, 60_000);
  afterAll(async () => { await r?.close(); });

  it('marks and absences move and reconcile; every final mark is listed as missing in the target, and the run is not "ok"', async () => {
    const quarterFinals = school.all('final_mark').length;
    expect(quarterFinals).toBeGreaterThan(50);
    const { code, printed, report } = await r.migrate();
    expect(report.reconciliation?.perEntity.mark).toMatchObject({ missing: 0, unexpected: 0, different: 0 });
    expect(report.plan.notWritable).toEqual({ final_mark: quarterFinals });
    expect(report.reconciliation?.perEntity.final_mark).toMatchObject({ expected: quarterFinals, present: 0, missing: quarterFinals });
    expect(report.reconciliation?.differences.filter((d) => d.entity === 'final_mark' && d.kind === 'missing')).toHaveLength(quarterFinals);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    expect(printed).toContain(`NOT writable: ${quarterFinals} final_mark record(s) — epos-new has no route to write them; ${quarterFinals} to enter there by hand`);
    expect(printed).not.toContain('nothing lost');
  }, 240_000);
});

describe('migration: a target record the read-back cannot accept is a difference', () => {
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => { r = await rig(3, { since: '2025-09-01', until: '2025-09-21' }); }, 60_000);
  afterAll(async () => { await r?.close(); });

  it('a third mark in a cell (a duplicate a double write would leave) makes the second run not "ok"', async () => {
    const first = await r.migrate();
    expect(first.report.ok).toBe(true);
    // A cell with two marks gets a third, written through ЭПОС's own API as a double write would leave it.
    const cells = new Map<string, Record<string, unknown>[]>();
    for (const m of r.target.world.marks.values()) cells.set(`${String(m.student)}|${String(m.lesson)}`, [...(cells.get(`${String(m.student)}|${String(m.lesson)}`) ?? []), m]);
    const two = [...cells.values()].find((c) => c.length === 2)!;
    await postMarkAsAdministrator(r.target, two[1]);
    expect([...r.target.world.marks.values()].filter((m) => m.student === two[1].student && m.lesson === two[1].lesson)).toHaveLength(3);
    const second = await r.migrate();
    // Seen either way: quarantined by the read-back (a third mark of the cell) or as a duplicate of a cell's mark.
    const duplicates = second.report.reconciliation!.differences.filter((d) => d.kind === 'unexpected').length;
    expect((second.report.readBackQuarantined?.count ?? 0) + duplicates).toBeGreaterThan(0);
    expect(second.report.ok).toBe(false);
    expect(second.code).toBe(1);
    expect(second.printed).not.toContain('nothing lost');
  }, 240_000);
});
