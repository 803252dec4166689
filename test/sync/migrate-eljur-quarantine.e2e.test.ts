// A move into ЭлЖур whose source read quarantined records: they are not in the package, so not in ЭлЖур after the
// import. `--verify-import` does not read the source again, and it forgot them — "nothing lost", exit 0. The
// package stage now records what its read could not carry (src/sync/package-stage.ts) and the verification counts it.
import { describe, expect, it } from 'vitest';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate into ЭлЖур: records the package stage could not read stay counted through --verify-import', () => {
  const move = useEljurMove({ platform: 'dnevnik', instance: dnevnikInstance, dataset: {}, window: WINDOW });
  const { migrate, report, packageDir } = move;
  let lost = 0;

  it('--verify-import on a store that never ran the package stage is refused, naming that stage', async () => {
    await expect(migrate({ verifyImport: true })).rejects.toThrow(/school s1 was never read into this store — run the package stage first/);
  }, 60_000);

  it('the package stage reads a source serving malformed records: they are quarantined and named NOT migrated', async () => {
    move.source.setFaults({ seed: 3, malformedRecordRate: 0.01 });
    const { code, printed } = await migrate({});
    move.source.setFaults(undefined);
    expect(code).toBe(0); // waiting for the import
    const r = report();
    lost = r.notMigrated;
    expect(lost).toBeGreaterThan(0);
    expect(r.importPackage).toBeDefined();
    expect(printed).toContain(`NOT migrated: ${lost} source record(s) were quarantined at the read`);
  }, 180_000);

  it('after the import, --verify-import still counts them: exit 1, not "nothing lost"', async () => {
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), packageDir());
    const { code, printed } = await migrate({ verifyImport: true });
    const r = report();
    // What the package holds is in ЭлЖур, equal; what the read could not carry is not.
    expect(r.reconciliation?.differences).toEqual([]);
    expect(r.notMigrated).toBe(lost);
    expect(r.packageStage).toMatchObject({ notMigrated: lost, window: { from: WINDOW.since, to: WINDOW.until }, packaged: true });
    expect(r.packageStage?.problem).toBeUndefined();
    expect(r.ok).toBe(false);
    expect(code).toBe(1);
    expect(printed).toContain(`NOT migrated: ${lost} source record(s) were quarantined at the package stage's read`);
    expect(printed).not.toMatch(/nothing lost/);
  }, 180_000);

  it('a verification over another window than the package stage read is refused as not verified', async () => {
    const { code, printed } = await migrate({ verifyImport: true, since: '2025-09-01', until: '2025-09-05' });
    const r = report();
    expect(r.packageStage?.problem).toMatch(/the package stage read 2025-09-01…2025-09-12, this verification 2025-09-01…2025-09-05/);
    expect(r.ok).toBe(false);
    expect(code).toBe(1);
    expect(printed).toContain('NOT verified: the package stage read 2025-09-01…2025-09-12');
  }, 180_000);
});
