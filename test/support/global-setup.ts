// Provides real services to every test file (DECISIONS.md §3): Redis found or started privately,
// PostgreSQL when DATABASE_URL is set or the local server answers. Tests isolate themselves with
// random queue names, key prefixes and schemas, so parallel runs never collide.
import type { TestProject } from 'vitest/node';
import { resolveRedis } from '../../src/infra/redis-service.js';
import { findPostgres } from '../../src/infra/postgres-probe.js';

export default async function setup(project: TestProject) {
  const redis = await resolveRedis();
  const postgresUrl = await findPostgres();
  project.provide('redisUrl', redis.url);
  project.provide('postgresUrl', postgresUrl);
  process.stdout.write(`test services: redis ${redis.origin} (${redis.url}), postgres ${postgresUrl ? 'available' : 'absent: PGlite only'}\n`);
  return async () => {
    await redis.stop();
  };
}
