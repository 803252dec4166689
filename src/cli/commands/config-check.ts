import { checkPlatformConfigs } from '../../config/check-platforms.js';
import { ConfigError, loadConfigFile } from '../../config/load.js';

export async function run(file: string): Promise<number> {
  const cfg = loadConfigFile(file);
  const problems = checkPlatformConfigs(cfg, file);
  if (problems.length > 0) throw new ConfigError(problems);
  process.stdout.write(
    `${file}: OK — region ${cfg.region.id}, ${cfg.platforms.length} platform instance(s), ${cfg.schools.length} school(s)\n`,
  );
  return 0;
}
