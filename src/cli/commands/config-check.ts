import { loadCheckedConfig } from '../../config/check-platforms.js';

export async function run(file: string): Promise<number> {
  const cfg = loadCheckedConfig(file);
  process.stdout.write(
    `${file}: OK — region ${cfg.region.id}, ${cfg.platforms.length} platform instance(s), ${cfg.schools.length} school(s)\n`,
  );
  return 0;
}
