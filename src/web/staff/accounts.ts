// The staff accounts the web server knows, resolved from `web.staff` once at start-up: each login with its
// parsed scrypt hash and the schools it sees as canonical organization ids (the ids the reports and the
// store use). A hash named by `passwordHashEnv` is read here; a missing or malformed one stops the start.
import type { GatewayConfig } from '../../config/schema.js';
import { schoolCanonicalId } from '../../sync/roster-sync.js';
import { DEFAULT_SCRYPT, hashPassword, parsePasswordHash, verifyPassword, type ParsedHash } from './password.js';

/** `all` (a regional operator) or the canonical organization ids of the schools the account sees. */
export type StaffScope = 'all' | readonly string[];

export interface StaffAccount {
  login: string;
  /** Where the account is configured (`web.staff[2]`): what logs name instead of the login, which may be a surname. */
  ref: string;
  hash: ParsedHash;
  scope: StaffScope;
}

export function canSeeSchool(scope: StaffScope, canonicalSchoolId: string): boolean {
  return scope === 'all' || scope.includes(canonicalSchoolId);
}

/** A school of the configuration (status rows and job data carry the config id) seen through a scope. */
export function canSeeConfigSchool(scope: StaffScope, configSchoolId: string): boolean {
  return scope === 'all' || scope.includes(schoolCanonicalId(configSchoolId));
}

export class StaffDirectory {
  private readonly byLogin: Map<string, StaffAccount>;
  /** Compared against when the login is unknown, so an unknown login costs what a wrong password costs. */
  private decoy?: Promise<ParsedHash>;

  constructor(accounts: readonly StaffAccount[]) {
    this.byLogin = new Map(accounts.map((a) => [a.login, a]));
  }

  static fromConfig(cfg: GatewayConfig, env: NodeJS.ProcessEnv = process.env): StaffDirectory {
    const configured = new Set(cfg.schools.map((s) => s.id));
    return new StaffDirectory((cfg.web?.staff ?? []).map((a, i) => {
      // By position only: a login may be a person's name (docs/operations.md), and this message reaches logs.
      const where = `web.staff[${i}]`;
      let encoded = a.passwordHash;
      if (a.passwordHashEnv) {
        encoded = env[a.passwordHashEnv];
        if (!encoded) throw new Error(`${where}: environment variable ${a.passwordHashEnv} (passwordHashEnv) is empty or not set`);
      }
      let hash: ParsedHash;
      try {
        hash = parsePasswordHash(encoded!);
      } catch (e) {
        throw new Error(`${where}: ${a.passwordHashEnv ? `environment variable ${a.passwordHashEnv}: ` : ''}${(e as Error).message}`);
      }
      const scope: StaffScope = a.schools === 'all' ? 'all' : a.schools.map((id) => (configured.has(id) ? schoolCanonicalId(id) : id));
      return { login: a.login, ref: `web.staff[${i}]`, hash, scope };
    }));
  }

  get size(): number {
    return this.byLogin.size;
  }

  /** The account when the login exists and the password is its password; null otherwise, whichever part was wrong. */
  async authenticate(login: string, password: string): Promise<StaffAccount | null> {
    const account = this.byLogin.get(login.trim().toLowerCase());
    if (!account) {
      this.decoy ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`, standInCost([...this.byLogin.values()].map((a) => a.hash))).then(parsePasswordHash);
      await verifyPassword(password, await this.decoy);
      return null;
    }
    return (await verifyPassword(password, account.hash)) ? account : null;
  }
}

/**
 * The scrypt cost of the stand-in hash an unknown login is checked against: what most accounts' hashes have (the
 * costlier on a tie), not the default — accounts hashed before a costlier default, or by hand, were told from unknown
 * logins by the time (with hashes at 2^17, an unknown login was refused in a quarter of the time).
 */
export function standInCost(hashes: readonly ParsedHash[]): { N: number; r: number; p: number } {
  const counts = new Map<string, { params: { N: number; r: number; p: number }; n: number; cost: number }>();
  for (const h of hashes) {
    const k = `${h.N}/${h.r}/${h.p}`;
    const c = counts.get(k) ?? { params: { N: h.N, r: h.r, p: h.p }, n: 0, cost: h.N * h.r * h.p };
    c.n++;
    counts.set(k, c);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || b.cost - a.cost)[0]?.params ?? DEFAULT_SCRYPT;
}
