// What every processor needs, built once per process: the config, the store, connectors per platform
// instance (through the registry), a logger. The worker and the one-off CLI commands share it.
import path from 'node:path';
import type { Logger } from 'pino';
import type { GatewayConfig, PlatformInstanceConfig, SchoolConfig } from '../config/schema.js';
import type { Connector, CredentialVault } from '../connectors/contract.js';
import { createConnectorFor, getPlatform } from '../connectors/registry.js';
import { connectorConfigOf, rateLimitOf } from '../config/check-platforms.js';
import { openStore, type CanonicalStore, type Store } from '../store/index.js';
import type { RunIdentity } from '../sync/reference-resolver.js';
import { UsageError } from '../infra/operator-errors.js';

export interface JobContext {
  config: GatewayConfig;
  store: Store;
  logger: Logger;
  close(): Promise<void>;
}

/** The store the configuration names (PostgreSQL and its schema, or the embedded store): the one way every command opens it. */
export function openConfiguredStore(config: GatewayConfig): Promise<CanonicalStore> {
  return openStore({
    databaseUrl: config.store.databaseUrl || null,
    dataDir: config.store.dataDir.startsWith('memory://') ? config.store.dataDir : path.resolve(config.store.dataDir, 'store'),
    ...(config.store.schema ? { schema: config.store.schema } : {}),
  });
}

export async function openJobContext(config: GatewayConfig, logger: Logger): Promise<JobContext> {
  const store = await openConfiguredStore(config);
  return { config, store, logger, close: () => store.close() };
}

export function schoolById(cfg: GatewayConfig, id: string): SchoolConfig {
  const s = cfg.schools.find((x) => x.id === id);
  if (!s) throw new UsageError(`no school "${id}" in the configuration (known: ${cfg.schools.map((x) => x.id).join(', ') || 'none'})`);
  return s;
}

export function instanceByName(cfg: GatewayConfig, name: string): PlatformInstanceConfig {
  const p = cfg.platforms.find((x) => x.instance === name);
  if (!p) throw new UsageError(`no platform instance "${name}" in the configuration`);
  return p;
}

type CredentialStore = Pick<Store, 'loadCredential' | 'saveCredential'>;

/**
 * One instance's saved credentials in the store (platform_credentials), shared by every process on it. The store may
 * still be opening (a migration makes its connectors first, to check the command line before the store opens).
 */
export function credentialVault(store: CredentialStore | Promise<CredentialStore>, instance: string): CredentialVault {
  return {
    load: async (name) => (await store).loadCredential(instance, name),
    save: async (name, value) => (await store).saveCredential(instance, name, value),
  };
}

/** The school's id on a platform instance, as the config declares it. */
export function schoolSourceId(school: SchoolConfig, instance: string): string {
  const p = school.platforms.find((x) => x.instance === instance);
  if (!p) throw new UsageError(`school "${school.id}" has no id on platform instance "${instance}" (schools[].platforms)`);
  return p.schoolId;
}

/**
 * The connector of an instance: the generic part of the gateway config (base URL, auth, timeout) plus the
 * platform's own `options`, validated by the platform's config schema.
 */
export function connectorFor(
  cfg: GatewayConfig, instanceName: string, logger: Logger, store?: CredentialStore | Promise<CredentialStore>,
): { connector: Connector; run: Omit<RunIdentity, 'runId'> } {
  const inst = instanceByName(cfg, instanceName);
  const entry = getPlatform(inst.platform);
  const raw = connectorConfigOf(inst);
  const connector = createConnectorFor(inst.platform, raw, {
    instance: inst.instance, logger: logger.child({ platform: inst.platform, instance: inst.instance }), rateLimit: rateLimitOf(inst), timeoutMs: inst.timeoutMs,
    ...(store ? { vault: credentialVault(store, inst.instance) } : {}),
  });
  return { connector, run: { system: entry.declaration.system, instance: inst.instance, mapperVersion: entry.declaration.mapperVersion } };
}
