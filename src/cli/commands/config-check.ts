import { BackupConfigError, checkSeparateDevices } from '../../backup/destinations.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { EXIT } from '../exit-codes.js';

export async function run(file: string): Promise<number> {
  const cfg = loadCheckedConfig(file);
  // Said here first, as `backup run` and the nightly job would refuse it: two destinations on one file system.
  try {
    if (cfg.backup.destinations.length > 1) await checkSeparateDevices(cfg.backup.destinations, cfg.backup.allowOneDevice);
  } catch (e) {
    if (!(e instanceof BackupConfigError)) throw e;
    process.stderr.write(`configuration problems:\n${file}: backup.destinations: ${e.message}\n`);
    return EXIT.config;
  }
  process.stdout.write(
    `${file}: OK — region ${cfg.region.id}, ${cfg.platforms.length} platform instance(s), ${cfg.schools.length} school(s)\n`,
  );
  return 0;
}
