// Дневник.ру → ЭлЖур: a homework corrected at the source after the import. ЭлЖур's read gives a lesson's homework text
// back (not its due day, files or «Не задано»), but the comparison left the whole homework out: the re-run found
// "nothing to do: eljur-new already holds every record" and `--verify-import` said "nothing lost" while ЭлЖур held the
// old text.
import { describe, expect, it } from 'vitest';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { HOMEWORK_WORK_TYPE } from '../../src/mappers/dnevnik/codes.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('Дневник.ру → ЭлЖур: a homework corrected at the source after the import', () => {
  const move = useEljurMove({ platform: 'dnevnik', instance: dnevnikInstance, dataset: { pupils: 20 }, window: WINDOW });

  it('the package is imported and verified: nothing lost', async () => {
    expect((await move.migrate({})).code).toBe(0);
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), move.packageDir());
    expect((await move.migrate({ verifyImport: true })).code).toBe(0);
  }, 300_000);

  it('the correction is counted to carry, and the verification lists the lesson until ЭлЖур holds it', async () => {
    const work = [...(move.source as DnevnikEmulator).world.works.values()]
      .find((x) => x.type === HOMEWORK_WORK_TYPE && x.text && String(x.targetDate ?? '') >= WINDOW.since && String(x.sentDate ?? '') <= WINDOW.until)!;
    work.text = 'Параграф 99, упражнения 1-5 (исправлено)';
    const again = await move.migrate({});
    expect(again.printed).not.toMatch(/nothing to do: eljur-new already holds every record/);
    expect(again.printed).toMatch(/to create \{[^}]*"lesson":1[,}]/);
    const verified = await move.migrate({ verifyImport: true });
    expect(verified.code).toBe(1);
    expect(verified.printed).toMatch(/different: lesson [0-9a-f-]+ \(homework\)/);
    // The support team loads the new package: ЭлЖур holds the corrected text, nothing lost.
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), move.packageDir());
    const after = await move.migrate({ verifyImport: true });
    expect(after.code, after.printed).toBe(0);
  }, 300_000);
});
