// A migration not "ok" only because the source's read refused its deletes (the target keeps records the source no
// longer holds: src/sync/migrate.ts, `!steps[1].deletesRefused`) says so: in the terminal's verdict and in the HTML's
// «Сверка» section. Before, the page said only «Расхождений при сверке: 0.» and the terminal "0 difference(s) in the
// read-back: see the report" (review finding). Counts only, no personal data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../src/sync/migrate.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { migrationSummary, writeMigrationReport } from '../../src/sync/migration-report.js';

const dir = mkdtempSync(path.join(tmpdir(), 'report-refused-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const step = (kind: string, extra: Partial<RunSummary> = {}) => ({
  kind, school: 's1', instance: 'x', runId: 'r', created: 0, updated: 0, unchanged: 10, deleted: 0, restored: 0, quarantined: 0, forReview: 0, keyChanges: 0, quarantineReasons: {}, ...extra,
}) as unknown as RunSummary;
const REFUSED = '404 of 1320 marks and absences of the lessons read are missing (31% > 10%): no journal deletes this run';

describe('migration report when deletes were refused', () => {
  it('the HTML and the summary\'s verdict name why the run is not "ok"', () => {
    const r: MigrationReport = {
      school: 's1', from: 'dnevnik-old', to: 'epos-new', window: { from: '2025-09-01', to: '2025-10-31' }, dryRun: false,
      steps: [step('roster-sync'), step('journal-sync', { deletesRefused: REFUSED }), step('roster-sync'), step('journal-sync'), step('grade-push')],
      plan: { toCreate: { mark: 0 }, alreadyThere: { mark: 916 }, unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0 },
      reconciliation: { perEntity: { mark: { expected: 916, present: 916, missing: 0, unexpected: 0, different: 0 } }, differences: [] },
      notMigrated: 0, ok: false, startedAt: '2025-11-01T00:00:00Z', finishedAt: '2025-11-01T00:01:00Z',
    };
    const { html } = writeMigrationReport(r, path.join(dir, 'm'));
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/Ничего не потеряно/);
    // The page the school reads must say what is wrong: the deletes the source made were not applied.
    expect(page).toMatch(/<h2>Сверка<\/h2>[\s\S]*удал/i);
    const verdict = migrationSummary(r).split('\n').at(-1)!;
    expect(verdict).toMatch(/delete/i);
  });
});
