// The current school year a one-off window is judged against (src/sync/past-year-window.ts): the newest year of the
// terms linked to the platform instance, from the earliest of their starts — or 1 September, where the first term
// starts later: the days before it are the year's, and a window from 1 September is read as before.
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/model/index.js';
import type { Store } from '../../src/store/index.js';
import { currentSchoolYear, planPastYearWindow } from '../../src/sync/past-year-window.js';
import { keptClassIdsStore } from '../support/kept-class-ids-store.js';

const ORG = 'org-1';
const term = (id: string, schoolYear: number, startDate: string, status = 'active', endDate = `${schoolYear}-05-31`) =>
  ({ id, entity: 'academic_session', status, schoolYear, startDate, endDate, organizationId: ORG }) as unknown as CanonicalRecord;
const homeroom = (id: string, academicYearId: string) =>
  ({ id, entity: 'homeroom_class', status: 'active', academicYearId, organizationId: ORG }) as unknown as CanonicalRecord;

/** A store holding `terms`, of which those in `linked` are linked to the instance. */
const storeOf = (terms: CanonicalRecord[], linked: string[]) => ({
  ofOrganization: async () => terms,
  referencing: async () => [],
  sourceIdsFor: async (_s: string, _i: string, _e: string, ids: string[]) => new Map(ids.filter((id) => linked.includes(id)).map((id) => [id, `p-${id}`])),
});
const run = { system: 'epos', instance: 'ep' } as const;

describe('the current school year of a platform instance, as its linked terms give it', () => {
  it('is the newest linked year, from 1 September when its first term starts on the first Monday after it', async () => {
    const store = storeOf([term('a', 2026, '2025-09-01'), term('b', 2027, '2026-09-07'), term('c', 2027, '2026-11-09')], ['a', 'b', 'c']);
    expect(await currentSchoolYear(store, run, ORG)).toEqual({ schoolYear: 2027, firstDay: '2026-09-01' });
  });

  it('starts on the first term\'s day where the school starts before 1 September', async () => {
    const store = storeOf([term('b', 2027, '2026-08-25'), term('c', 2027, '2026-11-09')], ['b', 'c']);
    expect(await currentSchoolYear(store, run, ORG)).toEqual({ schoolYear: 2027, firstDay: '2026-08-25' });
  });

  it('counts only terms linked to this instance, and none deleted: another platform\'s new year is not this one\'s', async () => {
    const store = storeOf([term('a', 2026, '2025-09-01'), term('b', 2027, '2026-09-01'), term('d', 2028, '2027-09-01', 'deleted')], ['a', 'd']);
    expect(await currentSchoolYear(store, run, ORG)).toEqual({ schoolYear: 2026, firstDay: '2025-09-01' });
  });

  it('is unknown when no term is linked to the instance: the window is then read as before', async () => {
    expect(await currentSchoolYear(storeOf([term('a', 2026, '2025-09-01')], []), run, ORG)).toBeUndefined();
  });
});

describe('an earlier year of a one-off window on Дневник.ру (by-linked-ids), as its linked terms give it', () => {
  const dnevnik = { platform: 'dnevnik', title: 'Дневник.ру', pastYearJournal: 'by-linked-ids' } as const;
  const dn = { system: 'dnevnik_ru', instance: 'dn' } as const;
  // 2024/25 from 2 September; 2025/26 from 25 August 2025 (to 31 May 2026); 2026/27, the current year, from 1 September.
  const records = [
    term('y25', 2025, '2024-09-02'), term('y26', 2026, '2025-08-25'), term('y26b', 2026, '2026-01-12'), term('y27', 2027, '2026-09-01'),
    homeroom('k25', 'y25'), homeroom('k26', 'y26'),
  ];
  const store = storeOf(records, records.map((r) => r.id)) as unknown as Store;

  it('a window from the year\'s first day in August is that one year, read by its ids (not two years, not 2024/25\'s)', async () => {
    const plan = await planPastYearWindow(store, dn, ORG, dnevnik, { from: '2025-08-25', to: '2026-05-31' });
    expect(plan).toEqual({ kind: 'by-linked-ids', schoolYear: 2026, yearLinks: { homeroom_class: ['p-k26'], section: [], academic_session: ['p-y26', 'p-y26b'] }, current: { schoolYear: 2027, firstDay: '2026-09-01' } });
  });

  it('a window of the year before ends on the day before that August start, not on 31 August', async () => {
    await expect(planPastYearWindow(store, dn, ORG, dnevnik, { from: '2024-09-02', to: '2025-08-27' }))
      .rejects.toThrow(/end the window by 2025-08-24/);
    expect(await planPastYearWindow(store, dn, ORG, dnevnik, { from: '2024-09-02', to: '2025-08-24' }))
      .toMatchObject({ kind: 'by-linked-ids', schoolYear: 2025, yearLinks: { homeroom_class: ['p-k25'] } });
  });
});

describe('an earlier year on Дневник.ру whose class ids the platform kept into the current year', () => {
  const dnevnik = { platform: 'dnevnik', title: 'Дневник.ру', pastYearJournal: 'by-linked-ids' } as const;
  const dn = { system: 'dnevnik_ru', instance: 'dn' } as const;
  const WINDOW = { from: '2025-09-01', to: '2026-05-31' };
  const storeWith = (kept: string[]) => keptClassIdsStore(kept) as unknown as Store;

  it('hands the kept ids on apart from the ones asked for, so that the read can say them', async () => {
    // Before, the kept id was in neither list: the read left it out with no word.
    const plan = await planPastYearWindow(storeWith(['501']), dn, ORG, dnevnik, WINDOW);
    expect(plan).toMatchObject({ kind: 'by-linked-ids', yearLinks: { homeroom_class: ['502'], keptLater: { homeroom_class: ['501'], section: [] } } });
  });

  it('refuses the window, saying the ids were kept, when every class of that year was: nothing is left to ask for', async () => {
    // Before: "the gateway did not read that year from it" — untrue, it was read; its ids answer the new year now.
    await expect(planPastYearWindow(storeWith(['501', '502']), dn, ORG, dnevnik, WINDOW))
      .rejects.toThrow(/every class and group of 2025\/2026 linked to this platform kept its id into a later school year/);
  });
});
