// `journal-gateway demo` (`npm run demo`): the four-platform demo on the embedded defaults — PGlite under
// the config's dataDir (or DATABASE_URL), Redis found or started privately (DECISIONS.md §3). Exit 0 only
// when every platform read back holds every pupil, mark and absence once (src/cli/demo/run-demo.ts).
import path from 'node:path';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { createLogger } from '../../infra/logger.js';
import { resolveRedis } from '../../infra/redis-service.js';
import { runDemo } from '../demo/run-demo.js';
import { parseCount } from '../options.js';

export async function run(opts: { config: string; seed: string; pupils: string; weeks: string }): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  const options = { seed: parseCount('--seed', opts.seed, 0), pupils: parseCount('--pupils', opts.pupils, 1), weeks: parseCount('--weeks', opts.weeks, 1) };
  const dataDir = path.resolve(cfg.store.dataDir);
  process.stdout.write(`journal-gateway demo — ${cfg.region.name}: ${options.pupils} pupils, ${options.weeks} week(s), seed ${options.seed}\n`);
  const redis = await resolveRedis({ dataDir: path.resolve('.data') });
  try {
    const result = await runDemo({
      ...options, dataDir, databaseUrl: cfg.store.databaseUrl || undefined, redis, out: process.stdout,
      logger: createLogger({ level: process.env.LOG_LEVEL ?? 'error', pretty: false }),
    });
    return result.ok ? 0 : 1;
  } finally {
    await redis.stop();
  }
}
