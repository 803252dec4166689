// `journal-gateway migrate --since` before the source platform's current school year (src/sync/migration-window.ts).
// Before, ЭПОС was read through its current year's groups for those days: they migrated nothing, the target read back
// the same, and the run ended "nothing lost", exit 0. Now the migration is refused with the one-off sync's
// PastYearWindowError (exit 64), dry run or not: before any request where the store knows ЭПОС's year, and after the
// source's roster read (before any journal read; the target only logged in to) where it does not. A window inside the year
// migrates as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { dnevnikInstance, eposInstance } from '../support/emulator-configs.js';
import { useMovingSchool } from '../support/moving-school.js';

/** The dataset's school year is 2025/2026, its first term from 1 September 2025; this window starts in the summer before. */
const BEFORE = { since: '2025-08-25', until: '2025-09-12' };
const INSIDE = { since: '2025-09-01', until: '2025-09-12' };
const REFUSED = /epos-old: the window 2025-08-25…2025-09-12 starts before 2025-09-01, the first day of the school year 2025\/2026 the gateway has read from this platform; ЭПОС.* reads its journal through the current year's groups only .*; ask for a window from 2025-09-01\. Nothing was read/;

describe('migrate from ЭПОС (no pastYearJournal) with a window before its current school year', () => {
  const move = useMovingSchool<RunningEmulator>({
    from: { platform: 'epos', instance: 'epos-old', yaml: eposInstance },
    to: { platform: 'dnevnik', instance: 'dnevnik-new', yaml: dnevnikInstance },
    seed: 21, dataset: { pupils: 12 }, window: INSIDE,
  });
  let out = '';
  beforeAll(() => { out = mkdtempSync(path.join(tmpdir(), 'jg-migrate-past-year-')); });
  afterAll(() => { process.exitCode = 0; rmSync(out, { recursive: true, force: true }); });

  /** `journal-gateway migrate …` as main.ts runs it: the exit code and stderr. */
  async function cli(window: { since: string; until: string }, dryRun: boolean): Promise<{ code: number; stderr: string }> {
    const write = process.stderr.write.bind(process.stderr);
    const print = process.stdout.write.bind(process.stdout);
    let stderr = '';
    process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await runCommand(() => import('../../src/cli/commands/migrate.js'), { config: move.configPath(), from: 'epos-old', to: 'dnevnik-new', school: 's1', dryRun, ...window, out });
    } finally {
      process.stderr.write = write;
      process.stdout.write = print;
    }
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return { code, stderr };
  }
  /** ЭПОС's journal routes (lessons, marks, absences, homework, final marks) the run asked, with their counts. */
  const journalRoutes = (emu: RunningEmulator) => Object.entries(emu.stats().byRoute).filter(([route]) => /schedule_items|marks|attendances|homeworks|progress/.test(route));

  it('a store that never read ЭПОС: refused after its roster read, before any journal request; Дневник.ру only logged in to', async () => {
    const { code, stderr } = await cli(BEFORE, false);
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
      const { code, stderr } = await cli(BEFORE, dryRun);
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
