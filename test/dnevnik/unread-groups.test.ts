// Дневник.ру: last year's groups the platform refuses by id in the autumn read of last year's final marks
// (src/connectors/dnevnik/unread-groups.ts). A plain 403 or 404 of one group leaves that group out and is said by id;
// a refused token or an outage still fails the read; every group refused is no read at all.
import { describe, expect, it } from 'vitest';
import { GatewayHttpError, type ErrorAction, type FailureType } from '../../src/connectors/http/index.js';
import { groupsOfScope } from '../../src/connectors/dnevnik/year-groups.js';
import { UnreadGroups } from '../../src/connectors/dnevnik/unread-groups.js';
import { GroupRefusedError } from '../../src/connectors/past-year-errors.js';
import { EXIT, exitCodeOf } from '../../src/cli/exit-codes.js';
import { dnevnikMapper } from '../../src/mappers/dnevnik/index.js';
import type { MapContext } from '../../src/connectors/mapping.js';

const LAST_YEAR = { from: '2025-09-01', to: '2026-08-31', scopeYearOnly: true };
const links = (...classes: string[]) => ({ homeroom_class: classes, section: [], academic_session: [] });
const refusal = (status: number, code: string, action: ErrorAction = 'fail', failureType: FailureType = 'system') => new GatewayHttpError({
  platform: 'dnevnik', instance: 'unit', route: '/v2/edu-groups/{id}', method: 'GET', status, action, failureType, code, message: code, attempts: 1,
});
/** `edu-groups/{id}` answering each group, except those `refuse` names, which throw that error. */
const platform = (refuse: Record<string, Error>) => {
  const asked: string[] = [];
  const get = async <T>(_route: string, p: Record<string, string>) => {
    asked.push(p.id);
    if (refuse[p.id]) throw refuse[p.id];
    return { id_str: p.id, type: 'Group', name: 'x' } as T;
  };
  return { asked, get };
};
const ctx = (ids: Record<string, string>): MapContext => ({
  system: 'dnevnik_ru', instance: 'unit', timeZone: 'Europe/Samara', fetchedAt: '2026-10-13T00:00:00Z', runId: 'u', mapperVersion: 'dnevnik-1', ids, resolve: () => undefined,
});

describe('Дневник.ру: a group of last year the platform refuses', () => {
  it('is left out on a plain 404 or 403, the other groups are read, and the refusal is kept by id (not a refused token, not an outage)', async () => {
    const { asked, get } = platform({ 11: refusal(404, 'parameterInvalid'), 12: refusal(403, 'accessDenied', 'fail', 'config') });
    const unread = new UnreadGroups();
    const groups = await groupsOfScope({ ...LAST_YEAR, yearLinks: links('10', '11', '12', '13') }, '1', get, unread);
    expect(groups.map((g) => g.id_str)).toEqual(['10', '13']);
    expect(asked).toEqual(['10', '11', '12', '13']);
    expect(unread.pages()).toEqual([{ id: '11', refused: '404', type: 'parameterInvalid' }, { id: '12', refused: '403', type: 'accessDenied' }]);
    // A subgroup of a refused class is left out too, said with its class's refusal.
    expect(unread.refused({ id_str: '20', parentIds_str: ['11'] })).toBe(true);
    expect(unread.refused({ id_str: '21', parentIds_str: ['10'] })).toBe(false);
    expect(unread.pages().at(-1)).toEqual({ id: '20', refused: '404', type: 'parameterInvalid' });
    // A refused token or an outage is not about one group: it still fails the read.
    for (const e of [refusal(403, 'authorizationFailed', 'refresh_auth', 'config'), refusal(503, 'apiServerError', 'retry', 'transient'), refusal(404, 'parameterInvalid', 'retry', 'transient'), new Error('socket hang up')]) {
      await expect(groupsOfScope({ ...LAST_YEAR, yearLinks: links('10', '11') }, '1', platform({ 11: e }).get, new UnreadGroups())).rejects.toBe(e);
    }
  });

  it('fails the read when every group is refused: nothing of that year was read', async () => {
    const { get } = platform({ 11: refusal(404, 'parameterInvalid'), 12: refusal(403, 'accessDenied', 'fail', 'config') });
    await expect(groupsOfScope({ ...LAST_YEAR, yearLinks: links('11', '12') }, '1', get, new UnreadGroups())).rejects.toThrow(/all 2 edu-group\(s\) asked for by id refused the read \(404\/403/);
  });

  it('fails a read of that year\'s journal (no UnreadGroups given), naming the group and the status: no group is left out', async () => {
    const forbidden = refusal(403, 'accessDenied', 'fail', 'config');
    const { asked, get } = platform({ 11: forbidden });
    const failed = groupsOfScope({ ...LAST_YEAR, yearLinks: links('10', '11', '12') }, '1', get);
    await expect(failed).rejects.toThrow(/^dnevnik: edu-group 11 refused at edu-groups\/\{id\} \(403 accessDenied: archived, or the account's access withdrawn\)/);
    expect(asked).toEqual(['10', '11']);
    // Typed, so a queued job fails once instead of being retried (worker.ts): the group by id, the HTTP error as cause.
    // The CLI exits 1 as for any failed run: the command is right, a retry is refused alike.
    const e = await failed.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GroupRefusedError);
    expect(e).toMatchObject({ groupId: '11', cause: forbidden });
    expect(exitCodeOf(e)).toBe(EXIT.failed);
  });

  it('is quarantined by the mapper with its id and status only; a group that answered maps to nothing', () => {
    const out = dnevnikMapper('edu-groups/{id}', null, ctx({ id: '11', refused: '404', refusedType: 'parameterInvalid' }));
    expect(out.records).toEqual([]);
    expect(out.quarantine).toEqual([{
      route: 'edu-groups/{id}', sourceId: '11', field: 'ids.refused',
      reason: 'edu-group 11 not read (404 parameterInvalid): the platform refused it (archived, or the account\'s access withdrawn); its final marks are not in this read',
    }]);
    expect(dnevnikMapper('edu-groups/{id}', { id_str: '10', type: 'Group', name: '5А' }, ctx({ id: '10' }))).toEqual({ records: [], quarantine: [] });
  });

  it('a group of that year whose id was kept into a later year is quarantined by id, saying why, so the read is partial', () => {
    const out = dnevnikMapper('edu-groups/{id}', null, ctx({ id: '20', kept: 'later-year' }));
    expect(out.records).toEqual([]);
    expect(out.quarantine).toMatchObject([{ route: 'edu-groups/{id}', sourceId: '20', field: 'ids.kept' }]);
    // Counted by its first clause (addQuarantine): the id and the why, nothing else.
    expect(out.quarantine[0].reason.split(':')[0]).toBe('edu-group 20 not read (id kept into a later school year)');
  });
});
