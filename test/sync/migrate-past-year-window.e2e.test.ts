// `journal-gateway migrate --since` before the source platform's current school year (src/sync/migration-window.ts).
// Before, ЭПОС was read through its current year's groups for those days: they migrated nothing, the target read back
// the same, and the run ended "nothing lost", exit 0. Now the migration is refused with the one-off sync's
// PastYearWindowError (exit 64), dry run or not: before any request where the store knows ЭПОС's year, and after the
// source's roster read (before any journal read; the target only logged in to) where it does not. A window inside the year
// migrates as before. Дневник.ру, which a one-off sync reads last year by the ids linked then, is refused in a migration
// too: the target would be written and read back through the lessons it lists now. Into ЭлЖур (migrate-by-package.ts)
// the package stage is refused the same way, no package written.
// A target this store never read, whose current year is newer than the window: refused after its roster read, which
// now comes before the source's journal (ЭПОС, through the API; ЭлЖур, whose roster read is judged without being stored).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { DnevnikWorld, startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator } from '../../src/emulators/eljur/index.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import type { InstanceYaml } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { openStore } from '../../src/store/index.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { migrationReportBase } from '../../src/sync/migration-report.js';
import { dnevnikInstance, eljurInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { runOnSor } from '../support/rollover-store.js';
import { useMovingSchool } from '../support/moving-school.js';

/** The dataset's school year is 2025/2026, its first term from 1 September 2025; this window starts in the summer before. */
const BEFORE = { since: '2025-08-25', until: '2025-09-12' };
const INSIDE = { since: '2025-09-01', until: '2025-09-12' };
const REFUSED = /epos-old: the window 2025-08-25…2025-09-12 starts before 2025-09-01, the first day of the school year 2025\/2026 the gateway has read from this platform; ЭПОС.* reads its journal through the current year's groups only .*; ask for a window from 2025-09-01\. Nothing was read/;

/** `journal-gateway migrate …` as main.ts runs it: the exit code and stderr. */
async function cli(opts: { config: string; from: string; to: string; since: string; until: string; dryRun: boolean; out: string }): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  const print = process.stdout.write.bind(process.stdout);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await runCommand(() => import('../../src/cli/commands/migrate.js'), { school: 's1', ...opts });
  } finally {
    process.stderr.write = write;
    process.stdout.write = print;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stderr };
}

/** ЭПОС's journal routes: lessons, marks, absences, homework, final marks. */
const EPOS_JOURNAL = /schedule_items|marks|attendances|homeworks|progress/;
/** ЭПОС's journal routes the run asked, with their counts. */
const journalRoutes = (emu: RunningEmulator) => Object.entries(emu.stats().byRoute).filter(([route]) => EPOS_JOURNAL.test(route));

describe('migrate from ЭПОС (no pastYearJournal) with a window before its current school year', () => {
  const move = useMovingSchool<RunningEmulator>({
    from: { platform: 'epos', instance: 'epos-old', yaml: eposInstance },
    to: { platform: 'dnevnik', instance: 'dnevnik-new', yaml: dnevnikInstance },
    seed: 21, dataset: { pupils: 12 }, window: INSIDE,
  });
  let out = '';
  beforeAll(() => { out = mkdtempSync(path.join(tmpdir(), 'jg-migrate-past-year-')); });
  afterAll(() => { process.exitCode = 0; rmSync(out, { recursive: true, force: true }); });

  const migrate = (window: { since: string; until: string }, dryRun: boolean) => cli({ config: move.configPath(), from: 'epos-old', to: 'dnevnik-new', dryRun, ...window, out });

  it('a store that never read ЭПОС: refused after its roster read, before any journal request; Дневник.ру only logged in to', async () => {
    const { code, stderr } = await migrate(BEFORE, false);
    expect(stderr).toMatch(REFUSED);
    expect(code).toBe(64);
    expect(move.source.stats().total, 'the roster read that tells the store the year').toBeGreaterThan(0);
    expect(journalRoutes(move.source)).toEqual([]);
    // The command logs in to both platforms before the run; nothing else is asked of the target, nothing written there.
    expect(move.target.stats().byRoute, 'requests to the target').toEqual({ 'POST authorizations/bycredentials': 1 });
  }, 180_000);

  it('once the store knows ЭПОС\'s year: refused before any request, the dry run as the run', async () => {
    for (const dryRun of [true, false]) {
      const before = { source: move.source.stats().total, target: move.target.stats().total };
      const { code, stderr } = await migrate(BEFORE, dryRun);
      expect(stderr, `dryRun ${dryRun}`).toMatch(REFUSED);
      expect(code).toBe(64);
      expect(move.source.stats().total - before.source, 'requests to the source').toBe(0);
      expect(move.target.stats().total - before.target, 'requests to the target').toBe(0);
    }
  }, 180_000);

  it('a window from the year\'s first day migrates as before', async () => {
    const { code } = await move.migrate({ since: INSIDE.since, until: INSIDE.until });
    const r = move.report<MigrationReport>();
    expect(r.reconciliation?.differences.slice(0, 5)).toEqual([]);
    expect(code).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.reconciliation?.perEntity.mark?.present).toBeGreaterThan(0);
    expect(journalRoutes(move.source).length).toBeGreaterThan(0);
  }, 240_000);
});

describe('migrate from Дневник.ру (pastYearJournal: by-linked-ids) with a window into last year, after the new year\'s roster', () => {
  // A one-off sync reads such a window by last year's linked group ids (past-year-window.e2e.test.ts); a migration would
  // also write that year into ЭПОС and read it back through the lessons ЭПОС lists now: refused, saying so.
  const roll = buildRollover({ pupils: 12, weeks: 2 });
  const lastYear = roll.old.lessonWindow();
  const oldWorld = new DnevnikWorld(roll.old.records);
  let dir = '';
  let config = '';
  let source: RunningEmulator;
  let target: RunningEmulator;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-past-year-dn-'));
    const dataDir = path.join(dir, 'data');
    // Last year read from Дневник.ру (its ids linked), then the new year's roster: the store's current year is 2026/2027.
    // (Where the command opens the config's store: `<dataDir>/store`, job-context.ts.)
    const store = await openStore({ databaseUrl: null, dataDir: path.join(dataDir, 'store') });
    const sor = (dataset: typeof roll.old) => ({
      name: 'dn', instance: dnevnikInstance,
      start: () => startDnevnikEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}) }),
    });
    try {
      await runOnSor(store, sor(roll.old), 'roster-sync', { window: lastYear });
      await runOnSor(store, sor(roll.old), 'journal-sync', { window: lastYear });
      await runOnSor(store, sor(roll.next), 'roster-sync');
    } finally {
      await store.close();
    }
    source = await startDnevnikEmulator({ dataset: roll.next, previousYear: oldWorld });
    target = await startEposEmulator({ dataset: roll.next, emptyJournal: true });
    const a = dnevnikInstance('dn', source, 500);
    const b = eposInstance('ep', target, 500);
    config = writeMigrationConfig(dir, dataDir, a, b, 'ep');
  }, 240_000);
  afterAll(async () => {
    process.exitCode = 0;
    await source?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is refused before any request, naming the year and why a migration cannot carry it', async () => {
    for (const dryRun of [true, false]) {
      const { code, stderr } = await cli({ config, from: 'dn', to: 'ep', since: lastYear.from, until: lastYear.to, dryRun, out: path.join(dir, 'reports') });
      expect(stderr, `dryRun ${dryRun}`).toMatch(new RegExp(`dn: the window ${lastYear.from}…${lastYear.to} starts before 2026-09-01, the first day of the school year 2026/2027`));
      expect(stderr).toMatch(/could read 2025\/2026 by the ids linked then, but a migration writes it into ep and reads ep back through the lessons it lists now .*; ask for a window from 2026-09-01/);
      expect(code).toBe(64);
    }
    expect(source.stats().total, 'requests to the source').toBe(0);
    expect(target.stats().total, 'requests to the target').toBe(0);
  }, 180_000);
});

/** The config of a school `s1` with Дневник.ру `source` (instance `dn`) as its system of record and `target`, stored in `dataDir`. */
function writeMigrationConfig(dir: string, dataDir: string, source: InstanceYaml, target: InstanceYaml, targetName: string): string {
  const config = path.join(dir, 'gateway.yaml');
  writeFileSync(config, gatewayYaml({
    instances: [source, target], names: [], store: `  dataDir: "${dataDir}"`,
    schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: source.schoolId }, { instance: targetName, schoolId: target.schoolId }] }],
  }));
  return config;
}

/** A target this store never read, already in 2026/2027; `title`: its declaration's, as the refusal names it. */
interface NewerTarget {
  title: string; name: string;
  start: (dataset: SyntheticSchool) => Promise<RunningEmulator>;
  instance: (name: string, emu: RunningEmulator) => InstanceYaml;
  /** Its journal routes (a migration reads the target's journal; ЭлЖур's package stage its diaries and marks). */
  journal: RegExp;
  /** Its routes that write (ЭлЖур has none: it takes an import package, which must not be written either). */
  writes?: RegExp;
}

describe.each<NewerTarget>([
  { title: 'ЭПОС', name: 'ep', start: (dataset) => startEposEmulator({ dataset, emptyJournal: true }), instance: eposInstance, journal: EPOS_JOURNAL, writes: /^(POST|PUT|DELETE) (?!.*sessions)/ },
  { title: 'ЭлЖур', name: 'el', start: (dataset) => startEljurEmulator({ dataset, emptyJournal: true }), instance: eljurInstance, journal: /getdiary|getmarks|getschedule|gethomework|getfinalassessments/ },
])('migrate into $title, never read by this store, whose current school year is newer than the window', (t) => {
  // The store knows the source's year (Дневник.ру, 2025/2026, the window's) but has never read the target, already in
  // 2026/2027: only the target's roster read tells which year is current there. Before, that read came after the whole
  // source journal had been read into the store (into ЭлЖур it was never judged: the package was written); now both
  // rosters are read first, and the window is refused before any journal read.
  const roll = buildRollover({ pupils: 12, weeks: 2 });
  const window = roll.old.lessonWindow();
  let dir = '';
  let config = '';
  let storeDir = '';
  let source: RunningEmulator;
  let target: RunningEmulator;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-past-year-target-'));
    const dataDir = path.join(dir, 'data');
    storeDir = path.join(dataDir, 'store');
    const store = await openStore({ databaseUrl: null, dataDir: storeDir });
    try {
      await runOnSor(store, { name: 'dn', instance: dnevnikInstance, start: () => startDnevnikEmulator({ dataset: roll.old }) }, 'roster-sync', { window });
    } finally {
      await store.close();
    }
    source = await startDnevnikEmulator({ dataset: roll.old });
    target = await t.start(roll.next);
    const a = dnevnikInstance('dn', source, 500);
    const b = t.instance(t.name, target);
    config = writeMigrationConfig(dir, dataDir, a, b, t.name);
  }, 240_000);
  afterAll(async () => {
    process.exitCode = 0;
    await source?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is refused after the target\'s roster read, naming it, with no journal read on either side and nothing written for it', async () => {
    const out = path.join(dir, 'reports');
    const { code, stderr } = await cli({ config, from: 'dn', to: t.name, since: window.from, until: window.to, dryRun: false, out });
    expect(stderr).toMatch(new RegExp(`${t.name}: the window ${window.from}…${window.to} starts before 2026-09-01, the first day of the school year 2026/2027 the gateway has read from this platform; ${t.title}.* reads its journal through the current year's groups only .*; ask for a window from 2026-09-01\\. Nothing was read`));
    expect(code).toBe(64);
    // Дневник.ру's journal routes: lessons, marks, absences and final marks of a group, marks of a lesson.
    const sourceJournal = Object.entries(source.stats().byRoute).filter(([route]) => /\{g\}|^GET lessons\//.test(route));
    expect(sourceJournal, 'journal requests to the source').toEqual([]);
    expect(Object.keys(source.stats().byRoute).some((route) => route.includes('edu-groups')), 'the source\'s roster read').toBe(true);
    const targetRoutes = Object.keys(target.stats().byRoute);
    expect(targetRoutes.length, 'the target\'s roster read').toBeGreaterThan(1);
    expect(targetRoutes.filter((route) => t.journal.test(route)), 'journal requests to the target').toEqual([]);
    expect(targetRoutes.filter((route) => t.writes?.test(route)), 'writes to the target').toEqual([]);
    expect(existsSync(`${migrationReportBase(out, 's1', 'dn', t.name)}-package`), 'an import package').toBe(false);
    const store = await openStore({ databaseUrl: null, dataDir: storeDir });
    try {
      for (const entity of ['lesson', 'mark', 'attendance_record'] as const) {
        let n = 0;
        for await (const _ of store.iterate(entity)) n++;
        expect(n, `${entity} records in the store`).toBe(0);
      }
    } finally {
      await store.close();
    }
  }, 240_000);
});

describe('migrate from ЭПОС into ЭлЖур (import package) with a window before ЭПОС\'s current school year', () => {
  const move = useMovingSchool<RunningEmulator>({
    from: { platform: 'epos', instance: 'epos-old', yaml: eposInstance },
    to: { platform: 'eljur', instance: 'eljur-new', yaml: eljurInstance },
    seed: 22, dataset: { pupils: 12 }, window: INSIDE,
  });
  afterAll(() => { process.exitCode = 0; });

  it('a store that never read ЭПОС: the package stage is refused after its roster read, no journal read, no package', async () => {
    const out = move.reportsDir();
    const { code, stderr } = await cli({ config: move.configPath(), from: 'epos-old', to: 'eljur-new', dryRun: false, ...BEFORE, out });
    expect(stderr).toMatch(REFUSED);
    expect(code).toBe(64);
    expect(journalRoutes(move.source)).toEqual([]);
    expect(move.target.stats().byRoute, 'ЭлЖур only logged in to').toEqual({ auth: 1 });
    expect(existsSync(path.join(out, 'migration-s1-epos-old-eljur-new-package'))).toBe(false);
  }, 180_000);
});
