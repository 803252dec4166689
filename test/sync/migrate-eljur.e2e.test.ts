// A school moves from Дневник.ру (its whole journal) to ЭлЖур (no write API, platforms.md §4.4) through
// `journal-gateway migrate`: the apply step writes the import package; the emulator loads it as the ЭлЖур
// support team would (POST /emulator/import, emulator-only); `migrate --verify-import` reads the school back
// and reconciles it with the canonical store — zero differences; a package loaded with one mark missing
// shows exactly that mark.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES, parseCsv, toCsv } from '../../src/connectors/eljur/import/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { sha256Hex } from '../../src/model/hash.js';
import { markId } from '../../src/model/ids.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate a school from Дневник.ру into ЭлЖур (import package, then read-back)', () => {
  const move = useEljurMove({ platform: 'dnevnik', instance: dnevnikInstance, dataset: {}, window: WINDOW });
  const { packageDir, migrate, report } = move;
  const marksInWindow = () => {
    const lessons = new Set(move.school.all('lesson').filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus !== 'cancelled').map((l) => l.id));
    return move.school.all('mark').filter((m) => lessons.has(m.lessonId)).length;
  };
  const devkey = () => String(move.target.info.devkey);

  it('a dry run plans every mark and writes no package', async () => {
    const { code } = await migrate({ dryRun: true });
    expect(code).toBe(0);
    const r = report();
    expect(r.stage).toBe('dry-run');
    expect(r.plan.toCreate.mark).toBe(marksInWindow());
    expect(r.importPackage).toBeUndefined();
  }, 180_000);

  it('the apply step writes the import package (ЭлЖур cannot be written) and says how to go on', async () => {
    const { code, printed } = await migrate({});
    expect(code).toBe(0);
    const r = report();
    expect(r.stage).toBe('package');
    expect(r.reconciliation).toBeUndefined();
    expect(r.ok).toBe(false); // nothing is verified yet
    expect(printed).toMatch(/--verify-import/);
    const manifest = JSON.parse(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')) as { vendor?: string; files: { name: string; rows: number }[] };
    expect(manifest.files.find((f) => f.name === 'marks.csv')?.rows).toBe(marksInWindow());
    // It names the school's ЭлЖур (its vendor, from the instance's options) for the support team, as `eljur-package --vendor` does.
    expect(manifest.vendor).toBe(String(move.target.info.vendor));
    expect(readFileSync(path.join(packageDir(), 'README.md'), 'utf8')).toContain(`для vendor «${String(move.target.info.vendor)}»`);
    // The package carries no marks into ЭлЖур by itself: the emulator still serves an empty journal.
    expect([...move.target.world.marksByPupil.values()].flat().filter((m) => !m.absence)).toHaveLength(0);
  }, 180_000);

  it('after the import, --verify-import reads ЭлЖур back and reconciles with zero differences', async () => {
    const loaded = await importIntoEmulator(move.target.baseUrl, devkey(), packageDir());
    expect(loaded.mark).toBe(marksInWindow());
    const { code, printed } = await migrate({ verifyImport: true });
    const r = report();
    expect(r.reconciliation?.differences.slice(0, 5)).toEqual([]);
    expect(r.importCheck).toMatchObject({ unmatchedPupils: [], quarantined: 0 });
    expect(r.importCheck?.matchedPupils).toBeGreaterThanOrEqual(24);
    expect(r.reconciliation?.perEntity.mark).toMatchObject({ expected: marksInWindow(), present: marksInWindow(), missing: 0, unexpected: 0, different: 0 });
    expect([r.plan.toCreate.mark, r.plan.alreadyThere.mark]).toEqual([0, marksInWindow()]); // the plan as read back
    expect(r.reconciliation?.perEntity.attendance_record.expected).toBeGreaterThan(0);
    expect(r.reconciliation?.perEntity.lesson.missing).toBe(0);
    expect(r.ok).toBe(true);
    expect(code).toBe(0);
    expect(printed).toMatch(/nothing lost/);
    expect(readFileSync(path.join(move.reportsDir(), 'migration-s1-dnevnik-old-eljur-new.html'), 'utf8')).toMatch(/Ничего не потеряно/);
  }, 180_000);

  it('a second run after the verified import finds nothing to do: ЭлЖур is read back first, and no package is written', async () => {
    const before = readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8');
    const { code, printed } = await migrate({});
    expect(code).toBe(0);
    const r = report();
    expect(r.stage).toBe('package');
    expect(r.importPackage).toBeUndefined();
    expect(r.plan.toCreate.mark).toBe(0);
    expect(r.plan.alreadyThere.mark).toBe(marksInWindow());
    expect(r.ok).toBe(true);
    expect(printed).toMatch(/nothing to do: eljur-new already holds every record/);
    expect(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')).toBe(before);
  }, 180_000);

  it('a package loaded with one mark removed: --verify-import exits 1 and names that mark as missing', async () => {
    const marks = parseCsv(readFileSync(path.join(packageDir(), 'marks.csv'), 'utf8'));
    const dropped = marks.pop()!;
    // The support team's copy lost a row; the manifest is re-sealed so the load itself succeeds.
    const text = toCsv(FILES['marks.csv'].columns, marks);
    const manifest = JSON.parse(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')) as { files: { name: string; rows: number; sha256: string }[] };
    const files = new Map([['marks.csv', text], ['manifest.json', JSON.stringify({ ...manifest, files: manifest.files.map((f) => (f.name === 'marks.csv' ? { ...f, rows: marks.length, sha256: sha256Hex(text) } : f)) })]]);
    for (const name of Object.keys(FILES)) if (name !== 'marks.csv') files.set(name, readFileSync(path.join(packageDir(), name), 'utf8'));
    move.target.importPackage(files);
    const { code, printed } = await migrate({ verifyImport: true });
    expect(code).toBe(1);
    const r = report();
    expect(r.ok).toBe(false);
    // The package's keys are the canonical ids: the lost mark is the one with that pupil, lesson and slot.
    const lost = markId(dropped.person_key, dropped.lesson_key, Number(dropped.slot));
    expect(r.reconciliation?.differences).toEqual([{ entity: 'mark', id: lost, kind: 'missing' }]);
    expect(r.reconciliation?.perEntity.mark).toMatchObject({ expected: marksInWindow(), present: marksInWindow() - 1, missing: 1 });
    expect(printed).toContain(`missing: mark ${lost}`);
  }, 180_000);
});
