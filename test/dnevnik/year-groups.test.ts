// The Дневник.ру seam for a read of an earlier school year (src/connectors/dnevnik/year-groups.ts): which groups are
// asked for, which final marks are that year's, and which days' lessons name the subjects' teachers.
import { describe, expect, it } from 'vitest';
import { NothingOfYearToAskError } from '../../src/connectors/past-year-errors.js';
import { finalsOfScopeYear, groupsOfScope, keptGroupsNotRead, lastLessonsRange } from '../../src/connectors/dnevnik/year-groups.js';
import { UnreadGroups } from '../../src/connectors/dnevnik/unread-groups.js';

const LAST_YEAR = { from: '2025-09-01', to: '2026-08-31' };
const ZONE = 'Europe/Samara';
const period = (id: string, type: string, start: string, finish: string) => ({ id_str: id, type, number: 1, start: `${start}T00:00:00`, finish: `${finish}T00:00:00`, year: 2026 });

describe('Дневник.ру: the groups and final marks of an earlier school year', () => {
  it('reads the school\'s list for an ordinary read, and last year\'s linked groups one by one for a year-only read', async () => {
    const asked: string[] = [];
    const get = async <T>(route: string, p: Record<string, string>) => {
      asked.push(`${route} ${Object.values(p).join(',')}`);
      return (route === 'schools/{id}/edu-groups' ? [{ id_str: '9', type: 'Group', name: '6А' }] : { id_str: p.id, type: 'Group', name: 'x' }) as T;
    };
    expect((await groupsOfScope({ ...LAST_YEAR }, '1', get)).map((g) => g.id_str)).toEqual(['9']);
    asked.length = 0;
    // A class, its subject journals (`{group}:{subject}`, the same group once) and a subgroup's journal.
    const links = { homeroom_class: ['10'], section: ['10:500', '10:501', '11:500'], academic_session: ['700'] };
    const groups = await groupsOfScope({ ...LAST_YEAR, scopeYearOnly: true, yearLinks: links }, '1', get);
    expect(groups.map((g) => g.id_str)).toEqual(['10', '11']);
    expect(asked).toEqual(['edu-groups/{id} 10', 'edu-groups/{id} 11']);
    // No links: nothing of that year is known, nothing is asked (never the current year's list in its stead).
    asked.length = 0;
    expect(await groupsOfScope({ ...LAST_YEAR, scopeYearOnly: true }, '1', get)).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('does not ask for a group of that year kept into a later year, even where a section link still names it, and names it', async () => {
    const asked: string[] = [];
    const get = async <T>(route: string, p: Record<string, string>) => { asked.push(p.id); return { id_str: p.id, type: 'Group', name: 'x' } as T; };
    // 10 is read; 20 (a class and its journal kept) is not; 30's class id was kept, and one journal page of a subject
    // the class no longer has still names it: the id answers as the later year's group, so it is not asked either.
    const links = { homeroom_class: ['10'], section: ['10:500', '30:501'], academic_session: [], keptLater: { homeroom_class: ['20', '30'], section: ['20:500', '20:501'] } };
    const scope = { ...LAST_YEAR, scopeYearOnly: true, yearLinks: links };
    expect(keptGroupsNotRead(scope)).toEqual(['20', '30']);
    expect((await groupsOfScope(scope, '1', get)).map((g) => g.id_str)).toEqual(['10']);
    expect(asked).toEqual(['10']);
    // An ordinary read asks for no year's ids: nothing of the kind is said.
    expect(keptGroupsNotRead({ yearLinks: links })).toEqual([]);
  });

  it('fails, asking for nothing, when every group of that year it knows was kept into a later year', async () => {
    const asked: string[] = [];
    const get = async <T>(_route: string, p: Record<string, string>) => { asked.push(p.id); return { id_str: p.id, type: 'Group', name: 'x' } as T; };
    // 21's journal page of a subject it no longer has is still linked: it names a kept group all the same.
    const links = { homeroom_class: [], section: ['21:502'], academic_session: ['700'], keptLater: { homeroom_class: ['20'], section: ['20:500', '21:500'] } };
    await expect(groupsOfScope({ ...LAST_YEAR, scopeYearOnly: true, yearLinks: links }, '1', get))
      .rejects.toThrow(/^dnevnik: every edu-group of the year asked for \(2: 20, 21\) kept its id into a later school year.*nothing of that year was read/);
    // The autumn read of final marks (refused groups left out, UnreadGroups) fails the same way.
    await expect(groupsOfScope({ ...LAST_YEAR, scopeYearOnly: true, yearLinks: links }, '1', get, new UnreadGroups()))
      .rejects.toThrow(/kept its id into a later school year/);
    // Typed: a queued job fails once (worker.ts) and the autumn read says it once per interval, as asking again finds the same.
    await expect(groupsOfScope({ ...LAST_YEAR, scopeYearOnly: true, yearLinks: links }, '1', get)).rejects.toBeInstanceOf(NothingOfYearToAskError);
    expect(asked).toEqual([]);
  });

  it('leaves out the final marks of a period outside the year (a kept group id answering this year), keeps unknown ones for the mapper', () => {
    const periods = [period('1', 'Quarter', '2025-09-01', '2025-10-31'), period('2', 'Year', '2025-09-01', '2026-05-31'), period('3', 'Quarter', '2026-09-01', '2026-10-31')];
    const page = [{ reportingPeriod_str: '1' }, { reportingPeriod_str: '2' }, { reportingPeriod_str: '3' }, { reportingPeriod_str: '99' }, { person_str: 'no period' }];
    expect(finalsOfScopeYear(page, periods, LAST_YEAR, ZONE)).toEqual([{ reportingPeriod_str: '1' }, { reportingPeriod_str: '2' }, { reportingPeriod_str: '99' }, { person_str: 'no period' }]);
    expect(finalsOfScopeYear({ not: 'a list' }, periods, LAST_YEAR, ZONE)).toEqual({ not: 'a list' });
  });

  it('reads the month of lessons up to the end of the last term, not of a Year period ending in August', () => {
    const periods = [period('1', 'Quarter', '2026-03-30', '2026-05-26'), period('2', 'Year', '2025-09-01', '2026-08-31'), period('3', 'Quarter', '2026-09-01', '2026-10-31')];
    expect(lastLessonsRange(periods, LAST_YEAR, ZONE)).toEqual(['2026-04-26', '2026-05-26']);
    expect(lastLessonsRange([period('2', 'Year', '2025-09-01', '2026-05-31')], LAST_YEAR, ZONE)).toEqual(['2026-05-01', '2026-05-31']);
    expect(lastLessonsRange([period('3', 'Quarter', '2026-09-01', '2026-10-31')], LAST_YEAR, ZONE)).toBeUndefined();
  });

  it('takes a period\'s school year by its middle day in the school\'s zone, not by its first day\'s first ten characters', () => {
    // A Year period opened on Friday 29 August, and a first term sent as a UTC instant (1 September 00:00 in Samara):
    // both of last year. Before, both were taken for another year's and their final marks — the year marks — left out.
    const stamped = (id: string, type: string, start: string, finish: string) => ({ id_str: id, type, number: 1, start, finish, year: 2026 });
    const periods = [
      period('1', 'Year', '2025-08-29', '2026-05-31'),
      stamped('2', 'Quarter', '2025-08-31T20:00:00Z', '2025-10-24T20:00:00Z'),
      period('3', 'Quarter', '2026-08-31', '2026-10-31'), // the new year's first term, opened on 31 August
    ];
    const page = [{ reportingPeriod_str: '1' }, { reportingPeriod_str: '2' }, { reportingPeriod_str: '3' }];
    expect(finalsOfScopeYear(page, periods, LAST_YEAR, ZONE)).toEqual([{ reportingPeriod_str: '1' }, { reportingPeriod_str: '2' }]);
    // The last term's end sent as a UTC instant is its day in the school's zone (26 May), not the day before.
    expect(lastLessonsRange([stamped('4', 'Quarter', '2026-03-29T20:00:00Z', '2026-05-25T20:00:00Z')], LAST_YEAR, ZONE)).toEqual(['2026-04-26', '2026-05-26']);
  });
});
