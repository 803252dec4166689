import { BackupConfigError, checkSeparateDevices } from '../../backup/destinations.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { trustProxyWarning } from '../../web/trust-proxy.js';
import { EXIT } from '../exit-codes.js';

export async function run(file: string): Promise<number> {
  const cfg = loadCheckedConfig(file);
  // Said here first, as `backup run` and the nightly job would refuse it: a destination's directory missing (a medium
  // not mounted), or two destinations on one file system.
  try {
    if (cfg.backup.destinations.length > 1) await checkSeparateDevices(cfg.backup.destinations, cfg.backup.allowOneDevice);
  } catch (e) {
    if (!(e instanceof BackupConfigError)) throw e;
    process.stderr.write(`configuration problems:\n${file}: backup.destinations: ${e.message}\n`);
    return EXIT.config;
  }
  // Warned, not refused: installations that followed the older docs keep starting; the fix is one line.
  const proxyWarning = cfg.web ? trustProxyWarning(cfg.web.trustProxy) : undefined;
  if (proxyWarning) process.stderr.write(`warning: ${file}: ${proxyWarning}\n`);
  process.stdout.write(
    `${file}: OK — region ${cfg.region.id}, ${cfg.platforms.length} platform instance(s), ${cfg.schools.length} school(s)\n`,
  );
  return 0;
}
