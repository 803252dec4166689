// A store that several gateway processes of one test share (a worker killed and its successor, a CLI run and
// the next): PostgreSQL in a fresh schema when the test services have it, else PGlite on disk under `dir`.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { dropSchema } from '../../src/store/open-store.js';

export interface SharedStore {
  /** The `store:` section's body for gatewayYaml. */
  yaml: string;
  /** Drops the schema (PostgreSQL); the PGlite directory goes with the test's temporary directory. */
  drop(): Promise<void>;
}

export function sharedStore(postgresUrl: string | null | undefined, dir: string, schemaPrefix: string): SharedStore {
  if (!postgresUrl) return { yaml: `  dataDir: "${path.join(dir, 'data')}"`, drop: async () => {} };
  const schema = `${schemaPrefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return { yaml: `  databaseUrl: "${postgresUrl}"\n  schema: ${schema}`, drop: () => dropSchema(postgresUrl, schema) };
}
