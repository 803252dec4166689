// An absence ЭлЖур holds twice in one lesson (the support team loaded the package twice, or a «Н» was entered by hand
// over the loaded one) is a difference at `migrate --verify-import`, exit 1. The ЭлЖур mapper gives both the same
// canonical id (attendanceId(pupil, lesson)) and the same source id, and verifyImport kept its read-back in a Map by
// id, so the second vanished and the run said "nothing lost", exit 0 (review finding; src/model/duplicates.ts).
import { describe, expect, it } from 'vitest';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate into ЭлЖур: --verify-import and a doubled absence', () => {
  const move = useEljurMove({ platform: 'dnevnik', instance: dnevnikInstance, dataset: {}, window: WINDOW });

  it('an absence held twice in one lesson by ЭлЖур is a difference, not "nothing lost"', async () => {
    expect((await move.migrate({})).code).toBe(0);
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), move.packageDir());
    const first = await move.migrate({ verifyImport: true });
    expect(move.report().ok).toBe(true);
    expect(first.code).toBe(0);
    // The same «Н» once more in the same lesson for the same pupil.
    const [pupil, list] = [...move.target.world.marksByPupil.entries()].find(([, l]) => l.some((m) => m.absence))!;
    const absence = list.find((m) => m.absence)!;
    list.push({ ...absence });
    expect(list.filter((m) => m.absence && m.lesson.id === absence.lesson.id)).toHaveLength(2);
    void pupil;
    const { code, printed } = await move.migrate({ verifyImport: true });
    const r = move.report();
    expect(printed).not.toMatch(/nothing lost/);
    expect(r.reconciliation?.differences).toContainEqual(expect.objectContaining({ entity: 'attendance_record', kind: 'unexpected' }));
    expect(r.ok).toBe(false);
    expect(code).toBe(1);
  }, 300_000);
});
