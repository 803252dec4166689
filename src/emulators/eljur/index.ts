// The ЭлЖур emulator (PLATFORM-SLICE.md §1): renders the synthetic school with ЭлЖур's own ids and serves
// API v1.4 at `/api/…` (and `/apiv3/…` for the ESIA token exchange). `crosswalk()` stands in for roster
// sync's identity matching in tests.
import { createHash } from 'node:crypto';
import { accountsFor } from '../dataset/index.js';
import type { CanonicalRecord } from '../../model/records.js';
import { loginRole, onePerRole, schoolFor, serverControls, startEmulatorServer, type EmulatorStartOptions, type RunningEmulator } from '../kit/index.js';
import { eljurRoutes, type EljurApiState, type EmuUser } from './server.js';
import { EljurWorld, type CrosswalkRow, type ListedPeriod } from './world.js';
import { recordsFromImportPackage } from './import-loader.js';
import { importRoute, keptUserIds } from './admin-import.js';

export { EljurWorld, type CrosswalkRow };

export interface EljurEmulator extends RunningEmulator {
  world: EljurWorld;
  state: EljurApiState;
  crosswalk(): CrosswalkRow[];
  /** Records the malformed-record fault corrupted (`mark:<pupil>:<lesson>:<nm>`, `absence:<pupil>:<lesson>:0`). */
  malformed(): ReadonlySet<string>;
  /** Loads an import package as the ЭлЖур support team would (also `POST /emulator/import`, admin-import.ts). */
  importPackage(files: ReadonlyMap<string, string>): Record<string, number>;
  /** Expire every token now. */
  expireSessions(): void;
  records: readonly CanonicalRecord[];
}

export const DEFAULT_DATASET = { seed: 3, pupils: 40, weeks: 2 } as const;

export async function startEljurEmulator(
  opts: EmulatorStartOptions & {
    weeks?: number; vendor?: string; /** Serve the school an import package loads into (file name → text) instead of the dataset's. */ importPackage?: ReadonlyMap<string, string>;
    /** Periods `getperiods` lists beside the school's terms with no session behind them (holidays): world.ts. */ listedPeriods?: readonly ListedPeriod[];
  } = {},
): Promise<EljurEmulator> {
  const school = schoolFor(opts, DEFAULT_DATASET);
  // Accounts stay the dataset's (the school's staff log in); the data is the package's when one is loaded.
  const accountPersons = new Set(accountsFor(school).map((a) => a.personId));
  const worldOf = (pkg: ReadonlyMap<string, string>) => {
    const loaded = recordsFromImportPackage(pkg);
    // ЭлЖур support creates the staff accounts the school logs in with, whatever the package lists.
    const have = new Set(loaded.filter((r) => r.entity === 'person').map((r) => r.id));
    loaded.push(...school.records.filter((r) => r.entity === 'person' && accountPersons.has(r.id) && !have.has(r.id)));
    return { world: new EljurWorld(loaded, { vendor: opts.vendor, userIds: current ? keptUserIds(current, loaded) : undefined }), loaded };
  };
  let current: EljurWorld | undefined;
  let world = opts.importPackage ? worldOf(opts.importPackage).world : new EljurWorld(school.records, { vendor: opts.vendor, emptyJournal: opts.emptyJournal, listedPeriods: opts.listedPeriods });
  current = world;
  // A developer key is an MD5-like hex issued by ЭлЖур support (§4.2); the emulator derives its own.
  const devkey = createHash('md5').update(`eljur-emulator:${school.options.seed ?? 0}:${world.vendor}`).digest('hex');
  const users: EmuUser[] = accountsFor(school).map((a) => ({
    role: loginRole(a.role), login: a.login, password: a.password, personId: a.personId,
    vToken: `synthetic-v-token.${createHash('sha256').update(`v:${a.login}`).digest('hex').slice(0, 32)}`,
  }));
  const children = new Map<string, string[]>();
  for (const g of school.records) {
    if (g.entity !== 'guardian_link' || g.status === 'deleted') continue;
    (children.get(g.guardianId) ?? children.set(g.guardianId, []).get(g.guardianId)!).push(g.studentId);
  }
  const state: EljurApiState = { devkey, users, tokens: new Map(), children, malformed: new Set() };
  // The API routes delegate to the current world's, so an import (admin-import.ts) can replace the school.
  let routesNow = eljurRoutes(world, state);
  const load = (pkg: ReadonlyMap<string, string>) => {
    const next = worldOf(pkg);
    world = next.world;
    current = world;
    routesNow = eljurRoutes(world, state);
    const counts: Record<string, number> = {};
    for (const r of next.loaded) counts[r.entity] = (counts[r.entity] ?? 0) + 1;
    return counts;
  };
  const routes = [...routesNow.map((r, i) => ({ ...r, handler: (req: Parameters<typeof r.handler>[0]) => routesNow[i].handler(req) })), importRoute(devkey, load)];
  const server = await startEmulatorServer({
    port: opts.port, host: opts.host, faults: opts.faults, routes,
    onExpireSessions: () => state.tokens.clear(),
    // 429 and 5xx come from the web server in front of the API, not from the API: no envelope.
    faultResponse: (d) => d.kind === 'rate_limited'
      ? { status: 429, text: 'Too Many Requests' }
      : { status: d.status, text: '<html><body><h1>Технические работы</h1></body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } },
    notFound: () => ({ status: 404, json: { response: { state: 404, error: 'метод не найден', result: {} } } }),
    onError: () => ({ status: 500, json: { response: { state: 500, error: 'внутренняя ошибка', result: {} } } }),
  });
  const accounts = onePerRole(users).map((u) => ({ role: u.role, login: u.login, password: u.password, vToken: u.vToken }));
  return {
    ...serverControls(server),
    info: { platform: 'eljur', baseUrl: server.baseUrl, accounts, vendor: world.vendor, vendorId: world.vendorId, devkey, timeZone: world.timeZone },
    // The world is replaced when an import package is loaded (POST /emulator/import): read it through a getter.
    get world() { return world; },
    state,
    crosswalk: () => world.crosswalk(),
    malformed: () => state.malformed,
    importPackage: load,
    expireSessions: () => state.tokens.clear(),
    records: school.records,
  };
}

export const eljurEmulator = { start: startEljurEmulator };
