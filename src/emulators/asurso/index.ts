// The АСУ РСО (NetSchool) emulator (PLATFORM-SLICE.md §1): renders the synthetic school with integer ids
// and serves `/webapi/…` and `/asp/SecurityWarning.asp` at the root of its host. `crosswalk()` stands in for
// roster sync's identity matching in tests.
import { randomInt } from 'node:crypto';
import { accountsFor } from '../dataset/index.js';
import type { CanonicalRecord } from '../../model/records.js';
import { loginRole, onePerRole, schoolFor, serverControls, startEmulatorServer, type EmulatorStartOptions, type RunningEmulator } from '../kit/index.js';
import { asursoRoutes, type AsursoApiState, type EmuUser } from './server.js';
import { coreHubUpgrade, newReportState } from './reports.js';
import { AsursoWorld, typeIdOf, type CrosswalkRow } from './world.js';

export { AsursoWorld, typeIdOf, type CrosswalkRow };

export interface AsursoEmulator extends RunningEmulator {
  world: AsursoWorld;
  state: AsursoApiState;
  crosswalk(): CrosswalkRow[];
  /** Records the malformed-record fault corrupted (`result:<assignId>:<studentId>`, `att:<cmId>:<studentId>`). */
  malformed(): ReadonlySet<string>;
  /** Ends every live session now (the server's time-out). */
  expireSessions(): void;
  /** Live sessions (a run must leave none: it logs out). */
  liveSessions(): number;
  /** What a person copies from a browser after a Госуслуги login: `at`, `ver` and the cookies. */
  importSession(role: string): { at: string; ver: string; cookies: Record<string, string> };
  records: readonly CanonicalRecord[];
}

export const DEFAULT_DATASET = { seed: 1, pupils: 40, weeks: 2 } as const;

/** The version asurso.ru stated in December 2025 (platforms.md §1.1): the ASP.NET Core report-queue hub. */
export const DEFAULT_SERVER_VERSION = '5.44.7850';

/**
 * `previousYear`: the same school's world a school year earlier (tests of the 1 September rollover): the school and its
 * people keep their ids, the new year's objects get new ids, as on the platform (see `AsursoWorld`'s constructor).
 */
export async function startAsursoEmulator(opts: EmulatorStartOptions & { weeks?: number; esiaOnly?: boolean; timeOutMs?: number; serverVersion?: string; hubClientTimeoutMs?: number; previousYear?: AsursoWorld } = {}): Promise<AsursoEmulator> {
  const school = schoolFor(opts, DEFAULT_DATASET);
  const world = new AsursoWorld(school.records, { emptyJournal: opts.emptyJournal, previousYear: opts.previousYear });
  const users: EmuUser[] = accountsFor(school).flatMap((a) => {
    const personId = world.sourceOf.get(a.personId);
    return personId === undefined ? [] : [{ role: loginRole(a.role), login: a.login, password: a.password, personId }];
  });
  const state: AsursoApiState = {
    users, pending: new Map(), sessions: new Map(), failedLogins: new Map(), esiaOnly: opts.esiaOnly ?? false,
    timeOutMs: opts.timeOutMs ?? 900_000, logouts: 0, malformed: new Set(), now: () => Date.now(), reports: newReportState(),
    version: opts.serverVersion ?? DEFAULT_SERVER_VERSION, hubClientTimeoutMs: opts.hubClientTimeoutMs ?? 30_000,
  };
  const server = await startEmulatorServer({
    port: opts.port, host: opts.host, faults: opts.faults, routes: asursoRoutes(world, state),
    onExpireSessions: () => state.sessions.clear(),
    onUpgrade: coreHubUpgrade(world, state),
    faultResponse: (d) => d.kind === 'rate_limited'
      ? { status: 429, json: { message: 'Слишком много запросов' } }
      : d.status === 503 ? { status: 503, text: '<html><body>Сервер временно недоступен</body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } }
        : { status: d.status, json: { message: 'Внутренняя ошибка сервера' } },
    notFound: () => ({ status: 404, json: { message: 'Не найдено' } }),
    onError: () => ({ status: 500, json: { message: 'Внутренняя ошибка сервера' } }),
  });
  const accounts = onePerRole(users).map((u) => ({ role: u.role, login: u.login, password: u.password }));
  return {
    ...serverControls(server),
    info: {
      platform: 'asurso', baseUrl: server.baseUrl, accounts, schoolId: world.school.id, schoolName: world.school.shortName,
      schoolYearId: world.schoolYear.id, globalYearId: world.schoolYear.globalYearId, timeZone: world.school.zone, esiaMainAuth: state.esiaOnly,
    },
    world,
    state,
    crosswalk: () => world.crosswalk(),
    malformed: () => state.malformed,
    expireSessions: () => state.sessions.clear(),
    liveSessions: () => state.sessions.size,
    importSession(role) {
      const u = users.find((x) => x.role === role);
      if (!u) throw new Error(`asurso emulator: no ${role} account`);
      const at = Array.from({ length: 26 }, () => randomInt(10)).join('');
      const ver = String(randomInt(1e8, 1e9));
      state.sessions.set(at, { user: u, ver, lastSeen: state.now(), warn: false });
      return { at, ver, cookies: { NSSESSIONID: `esia-${randomInt(1e8, 1e9)}` } };
    },
    records: school.records,
  };
}

export const asursoEmulator = { start: startAsursoEmulator };
