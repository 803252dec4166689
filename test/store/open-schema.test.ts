// Worker processes started together open the same new schema at once (bench/workers.ts starts 2 and 4): every one
// must come up — PostgreSQL answers concurrent CREATE SCHEMA IF NOT EXISTS with a unique violation on pg_namespace.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dropSchema } from '../../src/store/index.js';
import { PgDriver } from '../../src/store/sql-driver.js';
import { pgUrl } from './fixtures.js';

describe.skipIf(!pgUrl)('opening a new PostgreSQL schema', () => {
  it('eight processes opening the same new schema at once all succeed', async () => {
    const schema = `jg_open_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    try {
      const opened = await Promise.allSettled(Array.from({ length: 8 }, () => PgDriver.open(pgUrl!, schema, 1)));
      for (const o of opened) if (o.status === 'fulfilled') await o.value.close();
      expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    } finally {
      await dropSchema(pgUrl!, schema);
    }
  });
});
