// Each platform instance of the config checked against its connector's own schema (DECISIONS.md §5):
// the generic part (base URL, auth, rate limit) plus the platform's `options`, with exact paths.
import { ConfigError, loadConfigFile, type ConfigProblem } from './load.js';
import type { GatewayConfig, PlatformInstanceConfig } from './schema.js';
import { getPlatform, platformIds } from '../connectors/registry.js';
import { formatPath } from './env-substitution.js';

/** The object a platform's connector receives for an instance. */
export function connectorConfigOf(inst: PlatformInstanceConfig): Record<string, unknown> {
  return { baseUrl: inst.baseUrl, auth: inst.auth, rateLimit: inst.rateLimit, ...inst.options };
}

export function checkPlatformConfigs(cfg: GatewayConfig, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  cfg.platforms.forEach((inst, i) => {
    let entry;
    try {
      entry = getPlatform(inst.platform);
    } catch {
      problems.push({ file, path: `platforms[${i}].platform`, message: `unknown platform "${inst.platform}" (known: ${platformIds().join(', ')})` });
      return;
    }
    const r = entry.declaration.configSchema.safeParse(connectorConfigOf(inst));
    if (r.success) return;
    for (const issue of r.error.issues) {
      const [head, ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      // Platform-specific keys live under `options` in the gateway config.
      const where = head === 'baseUrl' || head === 'auth' || head === 'rateLimit' ? [head, ...rest] : ['options', head, ...rest];
      problems.push({ file, path: formatPath([`platforms[${i}]`, ...where.filter((x) => x !== undefined)]), message: issue.message });
    }
  });
  return problems;
}

/**
 * The config file, with every platform instance checked by its connector too: what `config check` passes is what every
 * command runs with (a worker used to start on a config `config check` refused, then fail every job of the instance
 * five times over; `sync` ran the first platform, then stopped on the next one's connector with a raw ZodError).
 */
export function loadCheckedConfig(file: string): GatewayConfig {
  const cfg = loadConfigFile(file);
  const problems = checkPlatformConfigs(cfg, file);
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}
