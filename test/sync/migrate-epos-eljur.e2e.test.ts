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

  /** What the source holds in the window that the package has no column for (src/connectors/eljur/import/not-carried.ts). */
  const heldInWindow = () => move.school.all('lesson').filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus !== 'cancelled');
  const expectedNotCarried = () => {
    const lessons = heldInWindow();
    const ids = new Set(move.school.all('lesson').filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until).map((l) => l.id));
    return {
      late: move.school.all('attendance_record').filter((a) => ids.has(a.lessonId) && a.minutesLate !== undefined).length,
      substituted: lessons.filter((l) => l.substituteTeacherId).length,
    };
  };

  it('the package lists every pupil its marks name, and the read-back finds every record with its homework', async () => {
    const packaged = await migrate({});
    expect(packaged.code).toBe(0);
    // The package has no column for minutes late or a substitute: the plan names them before the package goes out
    // (the read-back cannot see them, so "nothing lost" alone hid them). ЭПОС's works have no titles of their own.
    const { late, substituted } = expectedNotCarried();
    expect(late).toBeGreaterThan(0);
    expect(substituted).toBeGreaterThan(0);
    expect(report().plan.notCarried).toMatchObject({ 'attendance_record.minutesLate': late, 'lesson.substituteTeacherId': substituted });
    expect(report().plan.notCarried?.['work.title']).toBeUndefined();
    expect(packaged.printed).toContain(`NOT carried: the minutesLate of ${late} attendance_record record(s) — eljur-new cannot hold it or be given it`);
    expect(packaged.printed).toContain(`NOT carried: the substituteTeacherId of ${substituted} lesson record(s)`);
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
    // The verification's report names them too: it is the one that says "nothing lost".
    expect(r.plan.notCarried?.['attendance_record.minutesLate']).toBe(late);
    expect(verified.printed).toMatch(/NOT carried: the minutesLate[\s\S]*nothing lost/);
    expect(readFileSync(path.join(move.reportsDir(), 'migration-s1-epos-old-eljur-new.html'), 'utf8')).toContain('Минуты опоздания');
  }, 240_000);
});
