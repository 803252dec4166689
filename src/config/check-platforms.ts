// Each platform instance of the config checked against its connector's own schema (DECISIONS.md §5):
// the generic part (base URL, auth, rate limit) plus the platform's `options`, with exact paths and lines.
import type * as z from 'zod';
import { loadConfigFile, type ConfigCheck } from './load.js';
import { PlatformInstanceConfig, type GatewayConfig } from './schema.js';
import { getPlatform, platformIds } from '../connectors/registry.js';
import { unknownPlatformKeys } from './unknown-platform-keys.js';

type ConfigProblem = ReturnType<ConfigCheck>[number];

/** The budget used when a platform's connector states none (a platform registered at run time). */
const FALLBACK_RATE_LIMIT = { requestsPerSecond: 5, concurrency: 2 };

/**
 * An instance's budget: what its `rateLimit` sets, the rest its platform's default (the connector's `rateLimit`
 * default, which docs/platforms/*.md state).
 */
export function rateLimitOf(inst: PlatformInstanceConfig): { requestsPerSecond: number; concurrency: number; windowMarginMs?: number } {
  const schema = getPlatform(inst.platform).declaration.configSchema as unknown as { shape?: { rateLimit?: z.ZodType } };
  const d = schema.shape?.rateLimit?.safeParse(undefined);
  const platformDefault = d?.success ? d.data as typeof FALLBACK_RATE_LIMIT : FALLBACK_RATE_LIMIT;
  const given = Object.fromEntries(Object.entries(inst.rateLimit).filter(([, v]) => v !== undefined));
  return { ...platformDefault, ...given };
}

/** The object a platform's connector receives for an instance. */
export function connectorConfigOf(inst: PlatformInstanceConfig): Record<string, unknown> {
  return { baseUrl: inst.baseUrl, auth: inst.auth, rateLimit: rateLimitOf(inst), ...inst.options };
}

/**
 * Runs on the document as written (after `${VAR}` substitution), not on a config the gateway schema has accepted, so
 * its problems come out with the schema's in one pass. An instance the gateway schema refuses is left to that schema.
 */
export const checkPlatformConfigs: ConfigCheck = (raw) => {
  const platforms = (raw as { platforms?: unknown } | null)?.platforms;
  if (!Array.isArray(platforms)) return [];
  return platforms.flatMap((rawInstance: unknown, i) => instanceProblems(rawInstance, i));
};

function instanceProblems(rawInstance: unknown, i: number): ConfigProblem[] {
  const generic = PlatformInstanceConfig.safeParse(rawInstance);
  if (!generic.success) return [];
  const inst = generic.data;
  if (!platformIds().includes(inst.platform)) {
    return [{ path: ['platforms', i, 'platform'], message: `unknown platform "${inst.platform}" (known: ${platformIds().join(', ')})` }];
  }
  const schema = getPlatform(inst.platform).declaration.configSchema;
  const unknown = unknownPlatformKeys(schema, inst).map((p) => ({ path: ['platforms', i, ...p.path], message: p.message }));
  const r = schema.safeParse(connectorConfigOf(inst));
  if (r.success) return unknown;
  return [...r.error.issues.map((issue) => {
    const [head, ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // Platform-specific keys live under `options` in the gateway config.
    const where = head === 'baseUrl' || head === 'auth' || head === 'rateLimit' ? [head, ...rest] : ['options', head, ...rest];
    const expected = 'expected' in issue ? issue.expected : undefined;
    return { path: ['platforms', i, ...where.filter((x) => x !== undefined)], message: issue.message, code: issue.code, expected };
  }), ...unknown];
}

/**
 * The config file, with every platform instance checked by its connector too: what `config check` passes is what every
 * command runs with (a worker used to start on a config `config check` refused, then fail every job of the instance
 * five times over; `sync` ran the first platform, then stopped on the next one's connector with a raw ZodError).
 */
export function loadCheckedConfig(file: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfigFile(file, env, [checkPlatformConfigs]);
}
