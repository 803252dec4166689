// The ЭПОС.Школа emulator (PLATFORM-SLICE.md §1): renders the synthetic school with ЭПОС's own integer ids
// and serves the МЭШ-style API at the root (`/lms/api/…`, `/core/api/…`, `/jersey/api/…`). `crosswalk()`
// stands in for roster sync's identity matching in tests.
import { createHash } from 'node:crypto';
import { accountsFor } from '../dataset/index.js';
import type { CanonicalRecord } from '../../model/records.js';
import { loginRole, onePerRole, schoolFor, serverControls, startEmulatorServer, type EmulatorStartOptions, type RunningEmulator } from '../kit/index.js';
import { apiError, eposRoutes, type EmuUser, type EposApiState } from './server.js';
import { EposWorld, type CrosswalkRow } from './world.js';

export { EposWorld, type CrosswalkRow };

export interface EposEmulator extends RunningEmulator {
  world: EposWorld;
  crosswalk(): CrosswalkRow[];
  /** Records the malformed-record fault corrupted (`mark:<id>`, `attendance:<id>`). */
  malformed(): ReadonlySet<string>;
  /** Ends every session now (the cabinet `auth_token`s stay valid: a client can open a new session). */
  expireSessions(): void;
  /** Revokes the cabinet token of an imported login (what happens when the browser session ends). */
  revokeCabinetToken(token: string): void;
  /** Live sessions (tests check `DELETE lms/api/sessions` ended them). */
  sessionCount(): number;
  /** API calls that came without any `auth-token` (a client must wait for its re-login instead). */
  tokenlessCalls(): number;
  records: readonly CanonicalRecord[];
  /** Sets (or, with undefined, clears) the hook a marks request calls before its page is cut (EposApiState.onMarksPage). */
  onMarksPage(hook: EposApiState['onMarksPage']): void;
}

/** Perm is UTC+5 (platforms.md §2.6): the emulator's school lives there unless a dataset says otherwise. */
export const DEFAULT_DATASET = { seed: 1, pupils: 40, weeks: 2, timeZone: 'Asia/Yekaterinburg' } as const;

/**
 * `previousYear`: the same school's world a school year earlier (tests of the 1 September rollover): people keep
 * their profile ids, the new year's objects get new ids, as on the real platform (see `EposWorld`'s constructor);
 * `keepIds` keeps the promoted class units' and the subjects' ids as well (a platform that keeps them across years),
 * `keepGroupIds` the groups' (the same class letter, subject and subgroup a grade higher).
 * `listsPreviousYear` (with `previousYear`): the platform still lists that year and answers its year-scoped set-up
 * and pupils (with that year's final marks, as the previous world holds them now) — as a real ЭПОС does in the
 * autumn, when last year's final marks are corrected after re-takes. Off, only the current year is listed, as before.
 */
export async function startEposEmulator(opts: EmulatorStartOptions & { weeks?: number; previousYear?: EposWorld; keepIds?: boolean; keepGroupIds?: boolean; listsPreviousYear?: boolean } = {}): Promise<EposEmulator> {
  const school = schoolFor(opts, DEFAULT_DATASET);
  const world = new EposWorld(school.records, { emptyJournal: opts.emptyJournal, previousYear: opts.previousYear, keepIds: opts.keepIds, keepGroupIds: opts.keepGroupIds });
  const users: EmuUser[] = accountsFor(school).map((a) => ({
    role: loginRole(a.role), login: a.login, password: a.password,
    profileId: world.profileOf.get(a.personId)!,
    // Deterministic like the passwords: same seed, same accounts.
    cabinetToken: createHash('sha256').update(`epos-cabinet/${a.login}/${a.password}`).digest('hex').slice(0, 24),
  }));
  const state: EposApiState = { users, sessions: new Map(), cabinetTokens: new Map(users.map((u) => [u.cabinetToken, u])), malformed: new Set() };
  const server = await startEmulatorServer({
    port: opts.port, host: opts.host, faults: opts.faults, routes: eposRoutes(world, state, opts.listsPreviousYear ? opts.previousYear : undefined),
    onExpireSessions: () => state.sessions.clear(),
    faultResponse: (d) => (d.kind === 'rate_limited' ? apiError(429, 'Слишком много запросов') : apiError(d.status, 'Внутренняя ошибка сервера')),
    notFound: () => apiError(404, 'Ресурс не найден'),
    onError: () => apiError(500, 'Внутренняя ошибка сервера'),
  });
  // One account per role; `token` is the cabinet `auth_token` cookie a Госуслуги login would leave (imported_token).
  const accounts = onePerRole(users).map((u) => ({
    role: u.role, login: u.login, password: u.password, token: u.cabinetToken, profileId: u.profileId,
  }));
  return {
    ...serverControls(server),
    info: { platform: 'epos', baseUrl: server.baseUrl, accounts, schoolId: String(world.school.id), academicYearId: world.academicYear.id, timeZone: world.timeZone },
    world,
    crosswalk: () => world.crosswalk(),
    malformed: () => state.malformed,
    expireSessions: () => state.sessions.clear(),
    revokeCabinetToken: (t) => void state.cabinetTokens.delete(t),
    sessionCount: () => state.sessions.size,
    tokenlessCalls: () => state.tokenless ?? 0,
    records: school.records,
    onMarksPage: (hook) => { state.onMarksPage = hook; },
  };
}

export const eposEmulator = { start: startEposEmulator };
