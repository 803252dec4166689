// The staff side's progress report counts R-11 by the school's own table of minimum marks (`schools[].minMarks`),
// as the CLI's does (test/reports/cli.test.ts): both ask src/reports/find-school.ts `reportOptionsOf`. A school
// without a table of its own gets the built-in one (3 marks for 1–2 hours a week, else 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORDS, staffLogin, staffRig, type StaffRig } from './staff-rig.js';

describe('staff progress report: the school\'s own R-11 table', () => {
  let r: StaffRig;
  let bare: StaffRig;
  beforeAll(async () => {
    [r, bare] = await Promise.all([staffRig([], { configured: 'minMarks: [{ weeklyHoursUpTo: 2, marks: 5 }, { marks: 7 }]' }), staffRig()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([r?.close(), bare?.close()]);
  });

  const minMarks = async (rig: StaffRig) => {
    const cookie = (await staffLogin(rig.baseUrl, 'north', PASSWORDS.north)).cookie!;
    const res = await fetch(`${rig.baseUrl}/staff/reports/progress?school=${rig.schoolId}&period=${encodeURIComponent('1 четверть')}&format=json`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const rows = (await res.json() as { tables: { rows: { minMarks: number }[] }[] }).tables[0].rows;
    expect(rows.length).toBeGreaterThan(0);
    return new Set(rows.map((x) => x.minMarks));
  };

  it('a configured school\'s table: 5 marks for sections of 1–2 hours a week, 7 for heavier ones', async () => {
    expect(await minMarks(r)).toEqual(new Set([5, 7]));
  });

  it('a school the configuration has no table for: the built-in 3 and 4', async () => {
    expect(await minMarks(bare)).toEqual(new Set([3, 4]));
  });
});
