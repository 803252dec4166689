// The set-up every platform emulator shares (src/emulators/kit/school.ts): which school it renders and which
// accounts its startup line lists.
import { describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { loginRole, onePerRole, schoolFor } from '../../src/emulators/kit/index.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';

describe('emulator kit: the school and its accounts', () => {
  it('renders the dataset it is given, else generates the platform default with the options asked for', () => {
    const given = generateSchool({ seed: 4, pupils: 12, weeks: 1 });
    expect(schoolFor({ dataset: given, seed: 99 }, { seed: 1, pupils: 40, weeks: 2 })).toBe(given);
    const made = schoolFor({ pupils: 12, weeks: 1 }, { seed: 4, pupils: 40, weeks: 2 });
    expect(made.records.map((r) => r.contentHash)).toEqual(given.records.map((r) => r.contentHash)); // same seed and size: the same school
    const perm = schoolFor({ pupils: 12, weeks: 1 }, { seed: 4, pupils: 40, weeks: 2, timeZone: 'Asia/Yekaterinburg' });
    expect(perm.all('organization').length).toBeGreaterThan(0);
    expect(perm.all('organization').every((o) => o.timeZone === 'Asia/Yekaterinburg')).toBe(true);
  });

  it('the director and the academic deputy log in as administrators; the startup line lists the first account of each role', async () => {
    expect(['director', 'deputy_academic', 'teacher', 'parent'].map(loginRole)).toEqual(['administrator', 'administrator', 'teacher', 'parent']);
    expect(onePerRole([{ role: 'teacher', n: 1 }, { role: 'parent', n: 2 }, { role: 'teacher', n: 3 }])).toEqual([{ role: 'teacher', n: 1 }, { role: 'parent', n: 2 }]);
    const emu = await startEposEmulator({ seed: 4, pupils: 12, weeks: 1 });
    try {
      const roles = emu.info.accounts.map((a) => a.role);
      expect(new Set(roles).size).toBe(roles.length);
      expect(roles).toContain('administrator');
      expect(roles).not.toContain('director');
    } finally {
      await emu.close();
    }
  });
});
