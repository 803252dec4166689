// A school moves from Дневник.ру to ЭПОС.Школа (through the API) after the nightly syncs ran through a year-end: the
// store holds last year's final marks (its quarter marks, on last year's groups, kept as they were) beside the new
// year. A migration moves the new year (its window is refused before it, docs/migration.md): the final marks it lists
// to enter by hand, and reconciles, are the new year's. Before, last year's were listed too — to be entered on ЭПОС's
// new-year classes — and the reconciliation, reading ЭПОС's current year, missed them: "not ok" for ever.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { openStore } from '../../src/store/index.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { captureStdout } from '../support/capture-stdout.js';
import { eposInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { yearIds } from '../support/rollover-store.js';
import { twoYearsMove, type TwoYearsMove } from '../support/two-years-store.js';

describe('migrate Дневник.ру → ЭПОС from a store holding last year\'s final marks and the new year', () => {
  // Nine weeks: last year's first quarter ended, its quarter marks are in the store.
  const roll = buildRollover({ pupils: 12, weeks: 9 });
  const lastYear = roll.old.lessonWindow();
  const window = { from: roll.next.lessonWindow().from, to: '2026-09-11' };
  let move: TwoYearsMove<RunningEmulator>;
  beforeAll(async () => {
    move = await twoYearsMove(roll, lastYear, { name: 'ep', start: (dataset) => startEposEmulator({ dataset, emptyJournal: true }), instance: eposInstance });
  }, 600_000);
  afterAll(async () => {
    await move?.close();
  });

  it('the dry run lists no final mark of last year to enter by hand', async () => {
    const out = path.join(move.dir, 'reports');
    const { code } = await captureStdout(() => migrateCommand({ config: move.config, from: 'dn', to: 'ep', school: 's1', dryRun: true, since: window.from, until: window.to, out }));
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(path.join(out, 'migration-s1-dn-ep-dry-run.json'), 'utf8')) as MigrationReport;
    const store = await openStore({ databaseUrl: null, dataDir: move.storeDir });
    const lastYears = new Set<string>();
    try {
      const sections = await yearIds(store, 2026);
      for await (const f of store.iterate('final_mark', { status: 'active' })) if (f.entity === 'final_mark' && sections.has(f.sectionId)) lastYears.add(f.id);
    } finally {
      await store.close();
    }
    expect(lastYears.size, 'last year\'s final marks in the store').toBeGreaterThan(0);
    expect((r.plan.finalsByHand ?? []).filter((f) => lastYears.has(f.id)).length, 'last year\'s final marks to enter by hand').toBe(0);
    expect((r.plan.notWritable?.final_mark ?? 0), 'final marks not writable').toBe((r.plan.finalsByHand ?? []).length);
  }, 600_000);
});
