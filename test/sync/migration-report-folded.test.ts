// Records the target holds in its own spelling (5- as 5 on АСУ РСО) are counted in the reconciliation as `folded`, not
// as differences. The terminal gave that count per entity ("in asurso-new's own spelling N"), the JSON too, but the
// HTML page's «Сверка» table did not: the page the school keeps said nothing of the marks held otherwise than given.
// Synthetic ids only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { migrationSummary, writeMigrationReport } from '../../src/sync/migration-report.js';

const dir = mkdtempSync(path.join(tmpdir(), 'folded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report: MigrationReport = {
  school: 's1', from: 'dnevnik-old', to: 'asurso-new', window: { from: '2025-09-01', to: '2025-09-12' }, dryRun: false, steps: [], notMigrated: 0, ok: true,
  startedAt: '2025-09-13T00:00:00Z', finishedAt: '2025-09-13T00:01:00Z',
  plan: { toCreate: { mark: 40 }, alreadyThere: { mark: 0 }, unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0, folded: { 'modifier-dropped': 7 } },
  reconciliation: { perEntity: { mark: { expected: 40, present: 40, missing: 0, unexpected: 0, different: 0 } }, differences: [], folded: { mark: 7 } },
};

describe('migration report: records held in the target\'s own spelling', () => {
  it('the HTML reconciliation table gives the count the terminal gives', () => {
    expect(migrationSummary(report)).toMatch(/mark\s+expected 40, present 40, missing 0, unexpected 0, different 0, in asurso-new's own spelling 7/);
    const page = readFileSync(writeMigrationReport(report, path.join(dir, 'r')).html, 'utf8');
    const table = page.slice(page.indexOf('<h2>Сверка</h2>'));
    expect(table).toMatch(/<th>В написании asurso-new<\/th>/);
    expect(table).toMatch(/<tr><td>Отметки<\/td><td>40<\/td><td>40<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>7<\/td><\/tr>/);
  });
});
