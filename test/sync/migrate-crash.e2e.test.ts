// Migration resumed after a crash (issue 8): `journal-gateway migrate` from Дневник.ру into ЭПОС.Школа runs as
// its own process and is SIGKILLed in its apply phase, once the target holds some but not all of the marks.
// The operator runs the same command again: it completes, the target read back mark by mark and absence by
// absence equals the source read back (nothing lost, nothing written twice), the reconciliation lists no
// difference, and a third run finds nothing to do.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dnevnikDeclaration } from '../../src/connectors/dnevnik/index.js';
import { eposDeclaration } from '../../src/connectors/epos/index.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import { compareRecords } from '../../src/model/compare.js';
import type { EntityName } from '../../src/model/enums.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { readAndMap as readDnevnik } from '../dnevnik/harness.js';
import { readAndMap as readEpos } from '../epos/harness.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { sharedStore, type SharedStore } from '../support/shared-store.js';
import { waitFor } from '../support/wait-for.js';

const MIGRATED: EntityName[] = ['mark', 'attendance_record'];
/** What either platform cannot carry, or stamps itself on a write, is not expected to survive the trip. */
const IGNORE = Object.fromEntries(MIGRATED.map((e) => [e, [
  ...(dnevnikDeclaration.uncarried?.[e] ?? []), ...(eposDeclaration.uncarried?.[e] ?? []), ...(eposDeclaration.unwritable?.[e] ?? []),
]]));

describe('a migration killed in its apply phase resumes without losing or doubling a record', () => {
  let school: SyntheticSchool;
  let source: DnevnikEmulator;
  let target: EposEmulator;
  let dir: string;
  let config: string;
  let window: { from: string; to: string };
  let store: SharedStore | undefined;

  beforeAll(async () => {
    school = generateSchool({ seed: 83, pupils: 30, weeks: 1 });
    source = await startDnevnikEmulator({ dataset: school });
    // Each request to the target takes a while, so the kill lands in the middle of the writes.
    target = await startEposEmulator({ dataset: school, emptyJournal: true, faults: { latencyMs: 15 } });
    const dates = school.all('lesson').map((l) => l.date).sort();
    window = { from: dates[0], to: dates.at(-1)! };
    dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-crash-'));
    // The killed process and the next one share one store.
    store = sharedStore(inject('postgresUrl'), dir, 'jg_mcrash');
    const a = dnevnikInstance('dnevnik-old', source, 500);
    const b = eposInstance('epos-new', target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: store.yaml,
      schools: [{ id: 's1', sor: 'dnevnik-old', platforms: [{ instance: 'dnevnik-old', schoolId: a.schoolId }, { instance: 'epos-new', schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    await store?.drop();
  });

  /** `journal-gateway migrate` as the operator runs it: its own process. */
  const startMigrate = (): { proc: ChildProcess; exit: Promise<number | null>; output: () => string } => {
    const proc = spawn(process.execPath, [
      '--import', 'tsx', 'src/cli/main.ts', 'migrate', '--config', config, '--from', 'dnevnik-old', '--to', 'epos-new', '--school', 's1',
      '--since', window.from, '--until', window.to, '--out', path.join(dir, 'reports'),
    ], { env: { ...process.env, LOG_LEVEL: 'warn', LOG_PRETTY: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: unknown) => { out = (out + String(d)).slice(-4000); };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    return { proc, exit, output: () => out };
  };
  const report = (): MigrationReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'migration-s1-dnevnik-old-epos-new.json'), 'utf8')) as MigrationReport;
  const pushOf = (r: MigrationReport) => r.steps.find((s) => s.kind === 'grade-push')?.pushed;
  const targetSize = () => ({ marks: target.world.marks.size, absences: target.world.attendances.size });

  it('SIGKILL mid-apply; the same command again completes: target equals source record by record, zero differences, a third run writes nothing', async () => {
    const sourceRead = await readDnevnik(source, window.from, window.to);
    const sourceMarks = sourceRead.records.filter((r) => r.entity === 'mark' && r.status !== 'deleted');
    expect(sourceMarks.length).toBeGreaterThan(100);

    const first = startMigrate();
    try {
      await waitFor('a third of the marks on the target', () => target.world.marks.size >= sourceMarks.length / 3 || first.proc.exitCode !== null, 150_000);
    } finally {
      first.proc.kill('SIGKILL');
    }
    await first.exit;
    const atKill = target.world.marks.size;
    expect(first.proc.signalCode, `the migration ended before the kill: ${first.output()}`).toBe('SIGKILL');
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(sourceMarks.length); // killed in the middle of the apply phase, not after it

    const second = startMigrate();
    expect(await second.exit, second.output()).toBe(0);
    const resumed = report();
    expect(resumed.reconciliation?.differences.slice(0, 5)).toEqual([]);
    expect(resumed.ok).toBe(true);
    expect(pushOf(resumed)).toMatchObject({ failed: 0, refused: 0 });
    expect(resumed.reconciliation?.perEntity.mark).toMatchObject({ expected: sourceMarks.length, present: sourceMarks.length, missing: 0, unexpected: 0, different: 0 });

    // Record by record, the target as ЭПОС serves it against the source as Дневник.ру serves it.
    expect(target.world.marks.size).toBe(sourceMarks.length);
    const targetRead = await readEpos(target, window.from, window.to);
    const compared = compareRecords(sourceRead.records, targetRead.records, { entities: MIGRATED, ignoreFields: IGNORE });
    expect(compared.differences.slice(0, 10)).toEqual([]);
    expect(compared.compared.mark.equal).toBe(sourceMarks.length);
    expect(compared.compared.attendance_record.equal).toBeGreaterThan(0);
    expect(target.world.attendances.size).toBe(compared.compared.attendance_record.expected);

    const before = targetSize();
    const third = startMigrate();
    expect(await third.exit, third.output()).toBe(0);
    const again = report();
    expect(again.ok).toBe(true);
    expect(pushOf(again)?.applied ?? 0).toBe(0);
    expect(Object.values(again.plan.toCreate).reduce((a, b) => a + b, 0)).toBe(0);
    expect(targetSize()).toEqual(before);
  }, 420_000);
});
