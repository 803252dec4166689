// A platform that cannot read an earlier school year's final marks is not asked in the autumn: the nightly says so,
// once per interval; a push target is not asked at all (src/sync/last-year-finals-read.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connectors/contract.js';
import type { Mapper } from '../../src/connectors/mapping.js';
import { NothingOfYearToAskError } from '../../src/connectors/past-year-errors.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { lastYearFinalsCursorKey, readLastYearFinals } from '../../src/sync/last-year-finals-read.js';
import { keptClassIdsStore } from '../support/kept-class-ids-store.js';

describe('last year\'s final marks on a platform that reads only the current year', () => {
  let store: CanonicalStore;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });
  // Any read would fail the test: the connector must not be asked.
  const connector = {
    declaration: { platform: 'eljur', title: 'ЭлЖур', capabilities: ['roster.read', 'journal.read', 'finals.read'] },
    readSchool: () => { throw new Error('not to be read'); },
  } as unknown as Connector;
  const input = (today: string, at: string, isSystemOfRecord = true) => ({
    store, connector, mapper: (() => { throw new Error('not to be mapped'); }) as unknown as Mapper,
    run: { system: 'dnevnik_ru' as const, instance: 'dn', runId: 'r1', mapperVersion: 't' }, school: { id: 's1', sourceId: '1', timeZone: 'Europe/Samara' },
    isSystemOfRecord, today, intervalHours: 168, at: new Date(at),
  });

  it('says it was not read, once a week in the season, and never for a push target', async () => {
    expect(await readLastYearFinals(input('2026-09-10', '2026-09-10T23:00:00Z', false))).toBeUndefined();
    const first = await readLastYearFinals(input('2026-09-10', '2026-09-10T23:00:00Z'));
    expect(first?.report).toEqual({ from: '2025-09-01', to: '2026-08-31', notRead: 'ЭлЖур reads only the current school year\'s final marks (docs/platforms/eljur.md)' });
    expect((await store.getCursor('dnevnik_ru', 'dn', lastYearFinalsCursorKey('s1')))?.lastSuccessAt).toBe('2026-09-10T23:00:00.000Z');
    expect(await readLastYearFinals(input('2026-09-11', '2026-09-11T23:00:00Z'))).toBeUndefined();
    expect((await readLastYearFinals(input('2026-09-17', '2026-09-17T23:00:00Z')))?.report.notRead).toBeDefined();
    expect(await readLastYearFinals(input('2026-11-02', '2026-11-02T23:00:00Z'))).toBeUndefined();
  });

  it('a platform read by last year\'s linked ids, with none linked, is neither opened nor read', async () => {
    // Дневник.ру: the school came to it this year, so the store links none of last year's groups to it.
    const untouched = {
      declaration: { platform: 'dnevnik', title: 'Дневник.ру', capabilities: ['roster.read', 'journal.read', 'finals.read'], pastYearFinals: 'by-linked-ids' },
      open: () => { throw new Error('not to be opened'); },
      readSchool: () => { throw new Error('not to be read'); },
    } as unknown as Connector;
    const school = { id: 's3', sourceId: '3', timeZone: 'Europe/Samara' };
    const read = await readLastYearFinals({ ...input('2026-09-10', '2026-09-10T23:00:00Z'), connector: untouched, school });
    expect(read?.report).toEqual({ from: '2025-09-01', to: '2026-08-31', notRead: 'no class or group of last year is linked to Дневник.ру: the gateway did not read that year from it' });
    expect((await store.getCursor('dnevnik_ru', 'dn', lastYearFinalsCursorKey('s3')))?.lastSuccessAt).toBe('2026-09-10T23:00:00.000Z');
  });

  it('a platform read by last year\'s linked ids, every one of them kept into this year, is neither opened nor read', async () => {
    // Both of last year's classes kept their Дневник.ру ids (501, 502) into this year. Before, the read logged in and
    // failed on finding no group to ask — "asked again next night", every night of the season, for nothing.
    const untouched = {
      declaration: { platform: 'dnevnik', title: 'Дневник.ру', capabilities: ['roster.read', 'journal.read', 'finals.read'], pastYearFinals: 'by-linked-ids' },
      open: () => { throw new Error('not to be opened'); },
      readSchool: () => { throw new Error('not to be read'); },
    } as unknown as Connector;
    const school = { id: 's4', sourceId: '4', timeZone: 'Europe/Samara' };
    const kept = { ...keptClassIdsStore(['501', '502']), getCursor: store.getCursor.bind(store), setCursor: store.setCursor.bind(store) } as unknown as CanonicalStore;
    const read = await readLastYearFinals({ ...input('2026-09-10', '2026-09-10T23:00:00Z'), store: kept, connector: untouched, school });
    expect(read?.report.notRead).toBe('every class and group of last year linked to Дневник.ру kept its id into this school year: none answers as last year\'s (docs/platforms/dnevnik.md "Last year\'s journal")');
    expect((await store.getCursor('dnevnik_ru', 'dn', lastYearFinalsCursorKey('s4')))?.lastSuccessAt).toBe('2026-09-10T23:00:00.000Z');
  });

  it('a read whose links left all name groups kept into this year is said once per interval, not failed every night', async () => {
    // 502 still linked to last year's class (a journal page of a subject the class dropped, say), yet the group it names
    // kept its id: the connector finds nothing to ask (year-groups.ts) and says so with NothingOfYearToAskError.
    const why = 'dnevnik: every edu-group of the year asked for (1: 502) kept its id into a later school year';
    const nothing = {
      declaration: { platform: 'dnevnik', title: 'Дневник.ру', capabilities: ['roster.read', 'journal.read', 'finals.read'], pastYearFinals: 'by-linked-ids', mapperVersion: 't' },
      open: async () => {}, close: async () => {},
      // eslint-disable-next-line require-yield
      readSchool: async function* () { throw new NothingOfYearToAskError(why); },
    } as unknown as Connector;
    const school = { id: 's5', sourceId: '5', timeZone: 'Europe/Samara' };
    const links = keptClassIdsStore(['501']);
    const mixed = new Proxy(store, { get: (real, key) => (key in links ? links[key as keyof typeof links] : Reflect.get(real, key, real)) }) as CanonicalStore;
    const read = await readLastYearFinals({ ...input('2026-09-10', '2026-09-10T23:00:00Z'), store: mixed, connector: nothing, school });
    expect(read?.report.notRead).toBe(why);
    // Committed: the next nights of the interval do not ask again (before, "asked again next night", every night).
    expect((await store.getCursor('dnevnik_ru', 'dn', lastYearFinalsCursorKey('s5')))?.lastSuccessAt).toBe('2026-09-10T23:00:00.000Z');
    expect(await readLastYearFinals({ ...input('2026-09-11', '2026-09-11T23:00:00Z'), store: mixed, connector: nothing, school })).toBeUndefined();
  });

  it('a read that fails does not fail the night: said in the summary, the cursor left for the next night', async () => {
    const failing = {
      declaration: { platform: 'epos', title: 'ЭПОС.Школа', capabilities: ['roster.read', 'journal.read', 'finals.read'], pastYearFinals: true },
      // eslint-disable-next-line require-yield
      readSchool: async function* () { throw new Error('epos GET core/api/student_profiles: HTTP 503'); },
    } as unknown as Connector;
    const school = { id: 's2', sourceId: '2', timeZone: 'Asia/Yekaterinburg' };
    const read = await readLastYearFinals({ ...input('2026-09-10', '2026-09-10T23:00:00Z'), connector: failing, school });
    expect(read?.report).toEqual({ from: '2025-09-01', to: '2026-08-31', notRead: 'the read failed, asked again next night: epos GET core/api/student_profiles: HTTP 503' });
    expect(await store.getCursor('dnevnik_ru', 'dn', lastYearFinalsCursorKey('s2'))).toBeNull();
  });
});
