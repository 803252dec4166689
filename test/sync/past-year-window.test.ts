// The current school year a one-off window is judged against (src/sync/past-year-window.ts): the newest year of the
// terms linked to the platform instance, from the earliest of their starts — or 1 September, where the first term
// starts later: the days before it are the year's, and a window from 1 September is read as before.
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/model/index.js';
import { currentSchoolYear } from '../../src/sync/past-year-window.js';

const ORG = 'org-1';
const term = (id: string, schoolYear: number, startDate: string, status = 'active') =>
  ({ id, entity: 'academic_session', status, schoolYear, startDate, endDate: `${schoolYear}-05-31`, organizationId: ORG }) as unknown as CanonicalRecord;

/** A store holding `terms`, of which those in `linked` are linked to the instance. */
const storeOf = (terms: CanonicalRecord[], linked: string[]) => ({
  ofOrganization: async () => terms,
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
