// The Дневник.ру emulator (PLATFORM-SLICE.md §1): renders the synthetic school with int64 ids and serves
// the partner API v2 at `/v2/…`. `crosswalk()` stands in for roster sync's identity matching in tests.
import { accountsFor } from '../dataset/index.js';
import type { CanonicalRecord } from '../../model/records.js';
import { loginRole, onePerRole, schoolFor, serverControls, startEmulatorServer, type EmulatorStartOptions, type RunningEmulator } from '../kit/index.js';
import { apiError, dnevnikRoutes, EMULATOR_CLIENT, type DnevnikApiState, type EmuUser } from './server.js';
import { DnevnikWorld, type CrosswalkRow } from './world.js';
import { correctMarks } from './corrections.js';

export { DnevnikWorld, EMULATOR_CLIENT, type CrosswalkRow };

export interface DnevnikEmulator extends RunningEmulator {
  world: DnevnikWorld;
  /** Long-lived records: (entity, platform id) → canonical id. */
  crosswalk(): CrosswalkRow[];
  /** Records the malformed-record fault corrupted (`mark:<id>`, `log:<lesson>:<person>`, `final:<group>:<i>`). */
  malformed(): ReadonlySet<string>;
  /** Expire every access token now (refresh tokens stay valid). */
  expireSessions(): void;
  records: readonly CanonicalRecord[];
  /** A teacher corrects `share` of the marks, anywhere in the journal (corrections.ts); returns their platform ids. */
  correctMarks(share: number, seed?: number): string[];
}

/** Dataset options the emulator uses when none is given: one small school. */
export const DEFAULT_DATASET = { seed: 1, pupils: 40, weeks: 2 } as const;

/**
 * `previousYear`: the same school's world a school year earlier (the autumn after a rollover): its groups, periods
 * and final marks answer by group id beside this year's (server.ts); a test corrects last year's marks in it.
 */
export async function startDnevnikEmulator(opts: EmulatorStartOptions & {
  weeks?: number; markDates?: 'lesson-day' | 'set-day'; previousYear?: DnevnikWorld;
  /** Groups (by platform id) every by-id route refuses with this status: archived (404) or access withdrawn (403). */
  refusedGroups?: ReadonlyMap<string, 403 | 404>;
} = {}): Promise<DnevnikEmulator> {
  const school = schoolFor(opts, DEFAULT_DATASET);
  const world = new DnevnikWorld(school.records, { emptyJournal: opts.emptyJournal, markDates: opts.markDates });
  const users: EmuUser[] = accountsFor(school).map((a) => ({
    role: loginRole(a.role), login: a.login, password: a.password, personId: a.personId,
    code: `code-${a.login}`,
  }));
  const state: DnevnikApiState = { users, tokens: new Map(), refreshTokens: new Map(), failedLogins: new Map(), malformed: new Set(), ...(opts.refusedGroups ? { refusedGroups: opts.refusedGroups } : {}) };
  const server = await startEmulatorServer({
    port: opts.port, host: opts.host, faults: opts.faults, routes: dnevnikRoutes(world, state, opts.previousYear),
    onExpireSessions: () => state.tokens.clear(),
    // Maintenance: 500/502 as `{type: apiServerError}`, 503 as the HTML page the site shows (platforms.md §3.5).
    faultResponse: (d) => d.kind === 'rate_limited'
      ? apiError(429, 'apiRateLimit', 'Too many requests')
      : d.status === 503 ? { status: 503, text: '<html><body><div class="error__description">Технические работы</div></body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } }
        : apiError(d.status, 'apiServerError', 'Internal server error'),
    notFound: () => apiError(404, 'apiUnknownError', 'Unknown method'),
    onError: () => apiError(500, 'apiUnknownError', 'Unhandled error'),
  });
  const accounts = onePerRole(users).map((u) => ({
    role: u.role, login: u.login, password: u.password, authorizationCode: u.code,
  }));
  return {
    ...serverControls(server),
    info: {
      platform: 'dnevnik', baseUrl: server.baseUrl, accounts,
      clientId: EMULATOR_CLIENT.clientId, clientSecret: EMULATOR_CLIENT.clientSecret, schoolId: String(world.school.id), timeZone: world.school.iana,
    },
    world,
    crosswalk: () => world.crosswalk(),
    malformed: () => state.malformed,
    expireSessions: () => state.tokens.clear(),
    records: school.records,
    correctMarks: (share, seed) => correctMarks(world, share, seed),
  };
}

export const dnevnikEmulator = { start: startDnevnikEmulator };
