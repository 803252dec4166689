// `migrate --verify-import` compares ЭлЖур read back with the canonical store: it needs the target only. It used to
// log into the source platform too — a login and rate budget spent on the old platform, and a failed verification
// once that platform is switched off, the normal state after a school has moved.
import { describe, expect, it } from 'vitest';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { dnevnikInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate --verify-import reads the target only', () => {
  const move = useEljurMove({ platform: 'dnevnik', instance: dnevnikInstance, dataset: {}, window: WINDOW });

  it('sends the source platform no request, and verifies with the source switched off', async () => {
    expect((await move.migrate({})).code).toBe(0);
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), move.packageDir());

    const before = move.source.stats().total;
    const first = await move.migrate({ verifyImport: true });
    expect(first.code).toBe(0);
    expect(move.source.stats().total).toBe(before);

    // The old platform gone: the verification does not need it.
    await move.source.close();
    const { code, printed } = await move.migrate({ verifyImport: true });
    expect(move.report().ok).toBe(true);
    expect(move.report().reconciliation?.differences).toEqual([]);
    expect(printed).toMatch(/nothing lost/);
    expect(code).toBe(0);
  }, 240_000);
});
