// A school moves from ЭПОС.Школа to ЭлЖур by import package. ЭПОС lists its pupils as members of groups, not of
// classes; the package took pupils from class enrollments only, so pupils.csv came out empty while marks.csv named
// them, the package stage said "hand it over", and the read-back found every record missing. Now a pupil's class
// is the one their groups belong to, and a package naming a pupil it does not list is refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/connectors/eljur/import/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { eposInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate a school from ЭПОС into ЭлЖур (import package, then read-back)', () => {
  const move = useEljurMove({ platform: 'epos', instance: eposInstance, dataset: { seed: 53, pupils: 20, timeZone: 'Asia/Yekaterinburg' }, window: WINDOW });
  const { packageDir, migrate, report } = move;

  it('the package lists every pupil its marks name, and the read-back finds every record with its homework', async () => {
    expect((await migrate({})).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')) as { files: { name: string; rows: number }[] };
    const rows = (name: string) => manifest.files.find((f) => f.name === name)?.rows ?? 0;
    expect(rows('pupils.csv')).toBe(20);
    expect(rows('marks.csv')).toBeGreaterThan(100);
    const csv = (name: string) => parseCsv(readFileSync(path.join(packageDir(), name), 'utf8'));
    const pupils = new Set(csv('pupils.csv').map((r) => r.person_key));
    for (const m of csv('marks.csv')) expect(pupils.has(m.person_key), 'every mark\'s pupil is listed').toBe(true);
    // ЭПОС homework (core/api/student_homeworks) reaches the package.
    expect(readFileSync(path.join(packageDir(), 'lessons.csv'), 'utf8')).toMatch(/Упр\.|№ \d|с\. \d/);

    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), packageDir());
    const verified = await migrate({ verifyImport: true });
    const r = report();
    expect(r.importCheck?.matchedPupils).toBe(20);
    expect(r.reconciliation?.differences ?? []).toEqual([]);
    expect(r.reconciliation?.perEntity.mark.present).toBeGreaterThan(100);
    expect(r.ok).toBe(true);
    expect(verified.code).toBe(0);
  }, 240_000);
});
