// Into ЭлЖур, deletes the source's read refused (more missing than sync.deleteThreshold) leave the store holding marks
// the source no longer does — and ЭлЖур, loaded from the package, still holds them. The package stage is then not
// "ok" and not "nothing to do", and `--verify-import` is not "nothing lost" (exit 1) while the package stage's
// recorded refusal stands, as migrate.ts refuses "ok" on the API path. Before, migrate-by-package.ts never looked at
// `deletesRefused` (review finding).
import { describe, expect, it } from 'vitest';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };
type DnevnikWorld = { marks: Map<unknown, unknown> };

describe('migrate into ЭлЖур with the source\'s deletes refused', () => {
  const move = useEljurMove({ platform: 'dnevnik', instance: dnevnikInstance, dataset: {}, window: WINDOW });

  it('marks deleted at the source (deletes refused by the threshold) leave the run not "ok"', async () => {
    expect((await move.migrate({})).code).toBe(0);
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), move.packageDir());
    await move.migrate({ verifyImport: true });
    expect(move.report().ok).toBe(true);
    // The school deletes a third of the marks at the source (a wrong class page cleared, say).
    const marks = (move.source as unknown as { world: DnevnikWorld }).world.marks;
    const keys = [...marks.keys()];
    for (const k of keys.slice(0, Math.ceil(keys.length / 3))) marks.delete(k);
    const { printed } = await move.migrate({});
    const r = move.report();
    // The verification after it says the same: "nothing lost", exit 0.
    const verify = await move.migrate({ verifyImport: true });
    const v = move.report();
    expect(r.steps.some((s) => s.deletesRefused)).toBe(true); // the read refused them: the store still holds them
    expect(printed).not.toMatch(/nothing to do|nothing lost/);
    expect(r.ok).toBe(false);
    expect(v.ok).toBe(false);
    expect(verify.code).toBe(1);
    // …and says why: the refusal the package stage recorded.
    expect(v.packageStage?.deletesRefused).toMatch(/missing/);
    expect(verify.printed).toMatch(/NOT applied: .*refused its deletes/);
    expect(verify.printed).toMatch(/deletes made at the source not applied/);
  }, 300_000);

  it('a package stage that wrote no package (ЭлЖур holds everything, deletes refused) neither says it wrote one nor exits 0', async () => {
    // The source still lacks the third of its marks: its read refuses the deletes again.
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { said.push(String(s)); return true; }) as typeof process.stderr.write;
    let code: number;
    try {
      ({ code } = await move.migrate({}));
    } finally {
      process.stderr.write = write;
    }
    const r = move.report();
    expect(r.steps.some((s) => s.deletesRefused)).toBe(true);
    expect(r.importPackage).toBeUndefined();
    expect(said.join('')).not.toMatch(/import package written/);
    // Exit 0 is "nothing lost, or a dry run, or a package written and waiting for its import" (docs/migration.md).
    expect(code).toBe(1);
  }, 300_000);
});
