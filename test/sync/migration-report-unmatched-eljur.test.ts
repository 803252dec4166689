// `--verify-import` lists the ЭлЖур accounts it could not match to a package pupil (ambiguous namesakes, a pupil enrolled
// there by hand) by user id. The terminal and the HTML page gave the first 20 only and never said more were left out:
// a school with 25 such accounts saw 20 ids under "25 unmatched" and had no list of the other five but the JSON.
// Now the terminal says how many more there are, and the page lists them (cut at 1,000, as its other long lists).
// Synthetic ids only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PackageMigrationReport } from '../../src/sync/migrate-by-package.js';
import { migrationSummary, writeMigrationReport } from '../../src/sync/migration-report.js';

const dir = mkdtempSync(path.join(tmpdir(), 'unmatched-eljur-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = Array.from({ length: 25 }, (_, i) => `ej-user-${1000 + i}`);
const report: PackageMigrationReport = {
  school: 's1', from: 'dnevnik-old', to: 'eljur-new', window: { from: '2025-09-01', to: '2025-09-12' }, dryRun: false, stage: 'verify-import',
  steps: [], notMigrated: 0, ok: false, startedAt: '2025-09-13T00:00:00Z', finishedAt: '2025-09-13T00:01:00Z',
  plan: { toCreate: { person: 0 }, alreadyThere: { person: 100 }, unmatchedPeople: ids.length, lessonsMissingInTarget: 0, conflicts: 0 },
  reconciliation: { perEntity: { person: { expected: 100, present: 100, missing: 0, unexpected: 0, different: 0 } }, differences: [] },
  importCheck: { matchedPupils: 100, unmatchedPupils: ids, quarantined: 0, quarantineReasons: [] },
};

describe('migration report: ЭлЖур accounts the verification could not match', () => {
  it('the page lists every one, the terminal says how many it leaves out', () => {
    const { html } = writeMigrationReport(report, path.join(dir, 'r'));
    const page = readFileSync(html, 'utf8');
    for (const id of ids) expect(page, id).toContain(id);
    const printed = migrationSummary(report);
    expect(printed).toContain(ids[19]);
    expect(printed).toMatch(/… and 5 more/);
  });
});
